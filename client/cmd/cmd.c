/*
 * cmd.c — what the commands share (see cmd.h): option parsing, the
 * connection and authentication with one-line errors, and reading
 * passwords without echo.
 */
#include "cmd.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "ansi.h"
#include "sanitize.h"
#include "xmalloc.h"

void
cmd_error(const char *fmt, ...)
{
	va_list ap;
	char msg[1024], clean[1024];

	/* A message may quote the server: one clean line. */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fflush(stdout);
	fprintf(stderr, "mockint: %s\n", sanitize_into(msg, 0, clean,
	    sizeof clean));
}

json_t *
cmd_map_strings(json_t *j, char *(*change)(const char *s))
{
	const char *key;
	json_t *v;
	size_t i;
	char *c;

	if (json_is_string(j)) {
		if ((c = change(json_string_value(j))) != NULL) {
			json_string_set(j, c);
			free(c);
		}
	} else if (json_is_object(j))
		json_object_foreach(j, key, v)
			cmd_map_strings(v, change);
	else if (json_is_array(j))
		json_array_foreach(j, i, v)
			cmd_map_strings(v, change);
	return j;
}

static char *
sanitized(const char *s)
{
	if (!sanitize_needed(s, SANITIZE_MULTILINE))
		return NULL;
	return sanitize_text(s, SANITIZE_MULTILINE);
}

json_t *
cmd_sanitize(json_t *j)
{
	return cmd_map_strings(j, sanitized);
}

void
cmd_usage(const struct cmd_entry *e, int to_stdout)
{
	FILE *f = to_stdout ? stdout : stderr;

	fprintf(f, "usage: mockint %s%s%s%s%s\n", e->name, e->sub ? " " : "",
	    e->sub ? e->sub : "", e->usage[0] ? " " : "", e->usage);
	if (to_stdout)
		fprintf(f, "\n%s\n", e->help);
}

static const struct cmd_opt *
find_opt(const struct cmd_opt *opts, const char *name, size_t len, char c)
{
	for (; opts != NULL && (opts->name != NULL || opts->short_name);
	    opts++) {
		if (c != 0 && opts->short_name == c)
			return opts;
		if (c == 0 && opts->name != NULL && strlen(opts->name) ==
		    len && strncmp(opts->name, name, len) == 0)
			return opts;
	}
	return NULL;
}

int
cmd_getopt(const struct cmd_entry *e, int argc, char **argv,
    const struct cmd_opt *opts, char **pos, int maxpos, int *npos)
{
	int i, dashdash = 0;

	*npos = 0;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i], *val = NULL, *name;
		const struct cmd_opt *o;
		size_t len;

		if (dashdash || a[0] != '-' || a[1] == '\0') {
			if (*npos >= maxpos) {
				cmd_error("%s: unexpected argument '%s'",
				    e->name, a);
				cmd_usage(e, 0);
				return CMD_USAGE;
			}
			pos[(*npos)++] = argv[i];
			continue;
		}
		if (strcmp(a, "--") == 0) {
			dashdash = 1;
			continue;
		}
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			cmd_usage(e, 1);
			return -1;
		}
		if (a[1] == '-') {
			name = a + 2;
			len = strcspn(name, "=");
			if (name[len] == '=')
				val = name + len + 1;
			o = find_opt(opts, name, len, 0);
		} else {
			name = a + 1;
			len = 1;
			if (a[2] != '\0')
				val = a + 2;
			o = find_opt(opts, NULL, 0, a[1]);
		}
		if (o == NULL) {
			cmd_error("%s: unknown option '%s'", e->name, a);
			cmd_usage(e, 0);
			return CMD_USAGE;
		}
		if (o->value == NULL) {
			if (val != NULL) {
				cmd_error("%s: %s takes no value", e->name, a);
				return CMD_USAGE;
			}
			*o->flag = 1;
			continue;
		}
		if (val == NULL) {
			if (i + 1 >= argc) {
				cmd_error("%s: %.*s%.*s needs a value", e->name,
				    a[1] == '-' ? 2 : 1, "--", (int)len, name);
				cmd_usage(e, 0);
				return CMD_USAGE;
			}
			val = argv[++i];
		}
		*o->value = val;
		if (o->flag != NULL)
			*o->flag = 1;
	}
	return CMD_OK;
}

static void
loop_ready(struct cmd_ctx *ctx)
{
	if (ctx->loop_ready)
		return;
	uv_loop_init(&ctx->loop);
	ctx->loop_ready = 1;
}

/* lws's reasons are terse and technical; say what a person needs. */
static void
explain(const char *why, int tls, char *out, size_t len)
{
	if (strstr(why, "refused") != NULL || strstr(why, "connect failed")
	    != NULL || strstr(why, "ECONNREFUSED") != NULL ||
	    strcmp(why, "closed before established") == 0)
		snprintf(out, len, "connection refused");
	else if (strstr(why, "DNS") != NULL || strstr(why, "dns") != NULL ||
	    strstr(why, "resolve") != NULL ||
	    strncmp(why, "cannot connect to", 17) == 0)
		/* lws fails synchronously, without a reason, on a bad name. */
		snprintf(out, len, "unknown host or no route to it");
	else if (strstr(why, "SSL") != NULL || strstr(why, "ssl") != NULL ||
	    strstr(why, "TLS") != NULL)
		/* OpenSSL's own words ("error:00000001:lib(0)") help no
		 * one; the usual cause is wss:// to a plain server. */
		snprintf(out, len, "the TLS handshake failed%s", tls ? " (a "
		    "plain ws:// server? then use ws://; a certificate from "
		    "your own CA needs --ca FILE)" : "");
	else if (strstr(why, "HS:") != NULL || strstr(why, "upgrade") !=
	    NULL)
		snprintf(out, len, "not a mockint server (the WebSocket "
		    "handshake failed: %s)", why);
	else
		snprintf(out, len, "%s", why);
}

int
cmd_connect(struct cmd_ctx *ctx, const struct rpc_handlers *h, void *arg)
{
	char why[256], nice[320];

	loop_ready(ctx);
	if (ctx->rpc == NULL) {
		ctx->rpc = rpc_new(&ctx->loop, ctx->ca, h, arg);
		if (ctx->rpc == NULL) {
			cmd_error("cannot set up the WebSocket client%s%s",
			    ctx->ca ? " (check --ca " : "", ctx->ca ?
			    ctx->ca : "");
			return -1;
		}
	}
	if (rpc_open_sync(ctx->rpc, ctx->server, CMD_CONNECT_MS, why,
	    sizeof why) == -1) {
		if (strncmp(why, "bad server URL", 14) == 0) {
			cmd_error("%s", why);
			return -1;
		}
		explain(why, strncmp(ctx->server, "wss://", 6) == 0, nice,
		    sizeof nice);
		cmd_error("cannot reach %s: %s", ctx->server, nice);
		return -1;
	}
	return 0;
}

const char *
cmd_token(struct cmd_ctx *ctx)
{
	if (ctx->cfg.token == NULL) {
		cmd_error("not logged in (run 'mockint login USER')");
		return NULL;
	}
	if (ctx->cfg.server == NULL || strcmp(ctx->cfg.server,
	    ctx->server) != 0) {
		cmd_error("not logged in to %s (you are logged in to %s; run "
		    "'mockint --server %s login USER')", ctx->server,
		    ctx->cfg.server ? ctx->cfg.server : "?", ctx->server);
		return NULL;
	}
	return ctx->cfg.token;
}

int
cmd_connect_auth(struct cmd_ctx *ctx, const struct rpc_handlers *h,
    void *arg)
{
	const char *token = cmd_token(ctx);
	json_t *r;
	char why[256];

	if (token == NULL || cmd_connect(ctx, h, arg) == -1)
		return -1;
	r = cmd_sanitize(rpc_call_sync(ctx->rpc, "auth", json_pack("{s:s}",
	    "token", token), CMD_REPLY_MS, why, sizeof why));
	if (r == NULL) {
		cmd_error("%s: %s", ctx->server, why);
		return -1;
	}
	if (!rpc_is_ok(r)) {
		const char *code = rpc_error_code(r);

		if (code != NULL && strcmp(code, "unauthenticated") == 0) {
			cmd_error("your login expired or was revoked (run "
			    "'mockint login %s')", ctx->cfg.username ?
			    ctx->cfg.username : "USER");
			config_clear_login(&ctx->cfg);
			cmd_save_config(ctx);
		} else
			cmd_print_error(r, "auth");
		json_decref(r);
		return -1;
	}
	json_decref(ctx->auth);
	ctx->auth = r;
	ctx->user_id = json_integer_value(json_object_get(r, "user_id"));
	ctx->username = json_string_value(json_object_get(r, "username"));
	ctx->session = json_object_get(r, "session");
	if (json_is_null(ctx->session))
		ctx->session = NULL;
	return 0;
}

void
cmd_print_error(const json_t *reply, const char *type)
{
	const char *code = rpc_error_code(reply);
	const char *msg = rpc_error_message(reply);
	json_t *retry = json_object_get(reply, "retry_after_ms");

	if (code == NULL) {
		cmd_error("%s: unexpected reply from the server", type);
		return;
	}
	if (strcmp(code, "rate_limited") == 0 && json_is_integer(retry)) {
		cmd_error("too many attempts; try again in %lld s",
		    (long long)(json_integer_value(retry) + 999) / 1000);
		return;
	}
	if (strcmp(code, "unauthenticated") == 0) {
		cmd_error("not logged in (run 'mockint login USER')");
		return;
	}
	if (strcmp(code, "internal") == 0) {
		cmd_error("the server failed (%s); nothing was recorded", msg);
		return;
	}
	/* The server's messages are written for people. */
	cmd_error("%s", msg[0] ? msg : code);
}

json_t *
cmd_request(struct cmd_ctx *ctx, const char *type, json_t *fields)
{
	char why[256];
	json_t *r = cmd_sanitize(rpc_call_sync(ctx->rpc, type, fields,
	    CMD_REPLY_MS, why, sizeof why));

	if (r == NULL) {
		cmd_error("%s: %s", ctx->server, why);
		return NULL;
	}
	if (!rpc_is_ok(r)) {
		cmd_print_error(r, type);
		json_decref(r);
		return NULL;
	}
	return r;
}

void
cmd_close(struct cmd_ctx *ctx)
{
	if (ctx->rpc != NULL)
		rpc_shutdown(ctx->rpc);
	json_decref(ctx->auth);
	ctx->auth = NULL;
	ctx->session = NULL;
	ctx->username = NULL;
	if (ctx->loop_ready) {
		/* lws closes its handles (and our connection) on the loop. */
		uv_run(&ctx->loop, UV_RUN_DEFAULT);
		rpc_free(ctx->rpc);
		ctx->rpc = NULL;
		uv_run(&ctx->loop, UV_RUN_DEFAULT);
		uv_loop_close(&ctx->loop);
		ctx->loop_ready = 0;
	}
}

int
cmd_color_set(struct cmd_ctx *ctx, const char *when)
{
	enum ansi_when w;

	if (ansi_parse_when(when, &w) == -1) {
		cmd_error("--color must be auto, always or never (not '%s')",
		    when);
		return -1;
	}
	ctx->color_when = when;
	ansi_enable(ansi_resolve(w, STDOUT_FILENO));
	return 0;
}

int
cmd_save_config(struct cmd_ctx *ctx)
{
	char err[512];

	if (config_save(&ctx->cfg, err, sizeof err) == -1) {
		cmd_error("%s", err);
		return -1;
	}
	return 0;
}

/* One line from fd, without the newline; NULL on EOF before any byte. */
static char *
read_line_fd(int fd)
{
	size_t len = 0, cap = 128;
	char *buf = xmalloc(cap), c;
	ssize_t n;

	while ((n = read(fd, &c, 1)) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (c == '\n')
			break;
		if (len + 2 > cap)
			buf = xrealloc(buf, cap *= 2);
		buf[len++] = c;
	}
	if (n == 0 && len == 0) {
		free(buf);
		return NULL;
	}
	if (len > 0 && buf[len - 1] == '\r')
		len--;
	buf[len] = '\0';
	return buf;
}

/* The terminal's settings while a password is read without echo. */
static struct termios tty_saved;
static int tty_fd = -1;

static void
restore_tty(int sig)
{
	/* ^C at the prompt must not leave the terminal without echo. */
	if (tty_fd != -1)
		tcsetattr(tty_fd, TCSAFLUSH, &tty_saved);
	signal(sig, SIG_DFL);
	raise(sig);
}

char *
cmd_read_password(const char *prompt)
{
	return cmd_read_secret(prompt, "MOCKINT_PASSWORD");
}

char *
cmd_read_secret(const char *prompt, const char *var)
{
	const char *env = getenv(var);
	struct termios old, quiet;
	char *pw;
	int fd;

	if (env != NULL)
		return xstrdup(env);
	fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (fd == -1 || !isatty(STDIN_FILENO)) {
		/* A script: the password is the first line of stdin. */
		if (fd != -1)
			close(fd);
		pw = read_line_fd(STDIN_FILENO);
		if (pw == NULL)
			cmd_error("no password given (type it, or set "
			    "%s)", var);
		return pw;
	}
	if (write(fd, prompt, strlen(prompt)) < 0) {
		/* Nothing to do: the prompt is a courtesy. */
	}
	if (tcgetattr(fd, &old) == -1) {
		cmd_error("cannot read a password: %s", strerror(errno));
		close(fd);
		return NULL;
	}
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
	quiet.c_lflag |= ICANON;
	tty_saved = old;
	tty_fd = fd;
	signal(SIGINT, restore_tty);
	signal(SIGTERM, restore_tty);
	signal(SIGHUP, restore_tty);
	tcsetattr(fd, TCSAFLUSH, &quiet);
	pw = read_line_fd(fd);
	tcsetattr(fd, TCSAFLUSH, &old);
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	signal(SIGHUP, SIG_DFL);
	tty_fd = -1;
	if (write(fd, "\n", 1) < 0) {
		/* As above. */
	}
	close(fd);
	if (pw == NULL)
		cmd_error("no password given");
	return pw;
}

long long
cmd_parse_id(const char *what, const char *s)
{
	char *end;
	long long v;

	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v <= 0) {
		cmd_error("%s must be a positive number (not '%s')", what, s);
		return -1;
	}
	return v;
}

void
cmd_device_label(char *buf, size_t len)
{
	char host[256] = "";
	size_t n, max = len - 1 < CMD_DEVICE_MAX ? len - 1 : CMD_DEVICE_MAX;

	if (gethostname(host, sizeof host - 1) != 0 || host[0] == '\0')
		snprintf(host, sizeof host, "an unnamed host");
	snprintf(buf, len, "mockint on %s", host);
	/* The server takes text only: no control characters. */
	for (char *p = buf; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	n = strlen(buf);
	if (n > max) {
		/* Cut at a character's start, never inside one. */
		while (max > 0 && ((unsigned char)buf[max] & 0xc0) == 0x80)
			max--;
		buf[max] = '\0';
	}
}
