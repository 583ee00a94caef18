/*
 * options.c — mockintd's option table, its command-line parser, the
 * configuration file reader and the usage (see options.h).
 */
#include "options.h"

#include <ctype.h>
#include <errno.h>
#include <arpa/inet.h>
#include <limits.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "xmalloc.h"

void
options_defaults(struct options *o)
{
	memset(o, 0, sizeof *o);
	o->host = xstrdup("127.0.0.1");
	o->port = 8080;
	o->db = xstrdup("mockint.db");
	o->phase_s[PHASE_PREP] = 60;
	o->phase_s[PHASE_ANSWER] = 600;
	o->phase_s[PHASE_FOLLOWUP] = 300;
	o->phase_s[PHASE_SCORING] = 180;
	o->log_level = LOG_INFO;
	o->pwhash_ops = crypto_pwhash_OPSLIMIT_INTERACTIVE;
	o->pwhash_mem = crypto_pwhash_MEMLIMIT_INTERACTIVE;
	o->token_days = 30;
	o->login_failures = 5;
	o->login_window_s = 900;
	o->no_show_s = 30;
	o->grace_s = 120;
	o->room_linger_s = 60;
	o->keepalive_s = 60;
	o->sync_full = 1;
	o->max_conns_per_ip = 64;
	o->token_max_days = 90;
	o->limits.requests_per_s = 20;
	o->limits.requests_burst = 60;
	o->limits.chat_messages = 1000;
	o->limits.chat_bytes = 1024L * 1024;
	o->limits.notes = 1000;
	o->limits.note_bytes = 1024L * 1024;
	o->limits.sessions_per_hour = 20;
	o->limits.registrations_per_hour = 10;
	o->limits.room_joins_per_min = 10;
	o->limits.pushes_per_s = 2;
	o->limits.write_queue = 20000;
}

static void
list_free(struct options_list *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

void
options_free(struct options *o)
{
	free(o->host);
	free(o->db);
	free(o->questions);
	free(o->check_questions);
	free(o->config);
	free(o->tls_cert);
	free(o->tls_key);
	free(o->backup);
	free(o->metrics_listen);
	free(o->web_dir);
	list_free(&o->trusted_proxies);
	memset(o, 0, sizeof *o);
}

/* A whole decimal number in [min, max], nothing else. */
static int
parse_num(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	if (*s == '\0' || *s == ' ' || *s == '+')
		return -1;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}

int
options_parse_phases(const char *s, int phase_s[PHASE__TIMED], char *err,
    size_t errlen)
{
	int out[PHASE__TIMED], seen[PHASE__TIMED] = { 0 };
	const char *p = s;

	memcpy(out, phase_s, sizeof out);
	if (*p == '\0') {
		snprintf(err, errlen, "--phases: empty value");
		return -1;
	}
	while (*p != '\0') {
		const char *eq = strchr(p, '='), *end = strchr(p, ',');
		char num[24];
		long long v;
		size_t nlen, vlen;
		int i;

		if (end == NULL)
			end = p + strlen(p);
		if (eq == NULL || eq > end) {
			snprintf(err, errlen, "--phases: expected NAME=SECONDS "
			    "in '%.*s'", (int)(end - p), p);
			return -1;
		}
		nlen = (size_t)(eq - p);
		for (i = 0; i < PHASE__TIMED; i++)
			if (strlen(phase_name(i)) == nlen &&
			    strncmp(phase_name(i), p, nlen) == 0)
				break;
		if (i == PHASE__TIMED) {
			snprintf(err, errlen, "--phases: unknown phase '%.*s' "
			    "(prep, answer, followup, scoring)", (int)nlen, p);
			return -1;
		}
		if (seen[i]++) {
			snprintf(err, errlen, "--phases: %s given twice",
			    phase_name(i));
			return -1;
		}
		vlen = (size_t)(end - eq - 1);
		if (vlen == 0 || vlen >= sizeof num) {
			snprintf(err, errlen, "--phases: bad seconds for %s",
			    phase_name(i));
			return -1;
		}
		memcpy(num, eq + 1, vlen);
		num[vlen] = '\0';
		/* A day per phase is plenty; 0 would make a phase vanish. */
		if (parse_num(num, 1, 86400, &v) != 0) {
			snprintf(err, errlen, "--phases: %s must be 1 to 86400 "
			    "seconds, not '%s'", phase_name(i), num);
			return -1;
		}
		out[i] = (int)v;
		p = *end == ',' ? end + 1 : end;
		if (*end == ',' && *p == '\0') {
			snprintf(err, errlen, "--phases: trailing comma");
			return -1;
		}
	}
	memcpy(phase_s, out, sizeof out);
	return 0;
}

typedef int (*opt_setter)(struct options *, const char *, char *, size_t);

/* Where an option may be given. */
enum opt_where {
	OPT_ANY,	/* command line and configuration file */
	OPT_CLI,	/* command line only: actions and --config itself */
	OPT_REPEAT	/* anywhere, any number of times: a list; the
			 * command line's values replace the file's */
};

struct opt_entry {
	const char *name;
	const char *arg;	/* NULL for flags */
	const char *help;
	opt_setter set;
	enum opt_where where;
};

static int
set_str(char **dst, const char *v)
{
	free(*dst);
	*dst = xstrdup(v);
	return 0;
}

#define NUM_SETTER(fn, field, type, lo, hi, what)			\
static int								\
fn(struct options *o, const char *v, char *err, size_t errlen)		\
{									\
	long long n;							\
	if (parse_num(v, (lo), (hi), &n) != 0) {			\
		snprintf(err, errlen, "%s must be %s, not '%s'", what,	\
		    #lo " to " #hi, v);					\
		return -1;						\
	}								\
	o->field = (type)n;						\
	return 0;							\
}

NUM_SETTER(set_port, port, int, 0, 65535, "--port")
NUM_SETTER(set_token_days, token_days, int, 1, 3650, "--token-days")
NUM_SETTER(set_login_failures, login_failures, int, 1, 1000000,
    "--login-failures")
NUM_SETTER(set_login_window, login_window_s, int, 1, 86400, "--login-window")
NUM_SETTER(set_no_show, no_show_s, int, 1, 3600, "--no-show")
NUM_SETTER(set_grace, grace_s, int, 1, 86400, "--grace")
NUM_SETTER(set_room_linger, room_linger_s, int, 1, 600, "--room-linger")
NUM_SETTER(set_keepalive, keepalive_s, int, 2, 3600, "--keepalive")
NUM_SETTER(set_max_conns, max_conns, int, 0, 10000000, "--max-conns")
NUM_SETTER(set_max_conns_per_ip, max_conns_per_ip, int, 0, 10000000,
    "--max-conns-per-ip")
NUM_SETTER(set_token_max_days, token_max_days, int, 1, 3650,
    "--token-max-days")
NUM_SETTER(set_lim_rps, limits.requests_per_s, int, 0, 1000000,
    "--limit-requests-per-s")
NUM_SETTER(set_lim_burst, limits.requests_burst, int, 1, 1000000,
    "--limit-requests-burst")
NUM_SETTER(set_lim_chat, limits.chat_messages, int, 1, 1000000,
    "--limit-chat-messages")
NUM_SETTER(set_lim_chat_bytes, limits.chat_bytes, long, 4096, 1073741824,
    "--limit-chat-bytes")
NUM_SETTER(set_lim_notes, limits.notes, int, 1, 1000000, "--limit-notes")
NUM_SETTER(set_lim_note_bytes, limits.note_bytes, long, 4096, 1073741824,
    "--limit-note-bytes")
NUM_SETTER(set_lim_sessions, limits.sessions_per_hour, int, 0, 1000000,
    "--limit-sessions-per-hour")
NUM_SETTER(set_lim_registrations, limits.registrations_per_hour, int, 0,
    1000000, "--limit-registrations-per-hour")
NUM_SETTER(set_lim_room_joins, limits.room_joins_per_min, int, 1, 1000000,
    "--limit-room-joins-per-min")
NUM_SETTER(set_lim_pushes, limits.pushes_per_s, int, 0, 1000000,
    "--limit-pushes-per-s")
NUM_SETTER(set_lim_write_queue, limits.write_queue, int, 100, 10000000,
    "--limit-write-queue")

int
options_valid_cidr(const char *s)
{
	char addr[64], *slash;
	unsigned char buf[16];
	long long bits;
	int v6;

	if (strlen(s) >= sizeof addr)
		return 0;
	snprintf(addr, sizeof addr, "%s", s);
	if ((slash = strchr(addr, '/')) != NULL)
		*slash++ = '\0';
	v6 = strchr(addr, ':') != NULL;
	if (inet_pton(v6 ? AF_INET6 : AF_INET, addr, buf) != 1)
		return 0;
	return slash == NULL || parse_num(slash, 0, v6 ? 128 : 32, &bits) == 0;
}

static int
set_trusted_proxy(struct options *o, const char *v, char *err, size_t errlen)
{
	struct options_list *l = &o->trusted_proxies;

	if (!options_valid_cidr(v)) {
		snprintf(err, errlen, "--trusted-proxy must be an address or "
		    "ADDRESS/BITS, not '%s'", v);
		return -1;
	}
	l->v = xrealloc(l->v, (l->n + 1) * sizeof *l->v);
	l->v[l->n++] = xstrdup(v);
	return 0;
}

static int
set_metrics_listen(struct options *o, const char *v, char *err,
    size_t errlen)
{
	const char *colon = strrchr(v, ':');
	unsigned char buf[16];
	char addr[64];
	long long port;

	if (colon == NULL || (size_t)(colon - v) >= sizeof addr ||
	    parse_num(colon + 1, 1, 65535, &port) != 0)
		goto bad;
	snprintf(addr, sizeof addr, "%.*s", (int)(colon - v), v);
	if (inet_pton(AF_INET, addr, buf) != 1)
		goto bad;
	return set_str(&o->metrics_listen, v);
bad:
	snprintf(err, errlen, "--metrics-listen must be IPV4ADDRESS:PORT, not "
	    "'%s'", v);
	return -1;
}

/* A path option: anything but empty (whether it opens is checked
 * later); kind is "file" or "directory". */
#define PATH_SETTER(fn, field, what, kind)				\
static int								\
fn(struct options *o, const char *v, char *err, size_t errlen)		\
{									\
	if (*v == '\0') {						\
		snprintf(err, errlen, "%s must name a %s", what, kind);	\
		return -1;						\
	}								\
	return set_str(&o->field, v);					\
}

PATH_SETTER(set_tls_cert, tls_cert, "--tls-cert", "file")
PATH_SETTER(set_tls_key, tls_key, "--tls-key", "file")
PATH_SETTER(set_backup, backup, "--backup", "file")
PATH_SETTER(set_config, config, "--config", "file")
PATH_SETTER(set_db, db, "--db", "file")
PATH_SETTER(set_questions, questions, "--questions", "directory")
PATH_SETTER(set_check, check_questions, "--check-questions", "directory")
PATH_SETTER(set_web, web_dir, "--web", "directory")

static int
set_host(struct options *o, const char *v, char *err, size_t errlen)
{
	if (*v == '\0' || strlen(v) > 255) {
		snprintf(err, errlen, "--host must be an address");
		return -1;
	}
	return set_str(&o->host, v);
}

static int
set_phases(struct options *o, const char *v, char *err, size_t errlen)
{
	return options_parse_phases(v, o->phase_s, err, errlen);
}

static int
set_log_level(struct options *o, const char *v, char *err, size_t errlen)
{
	int l = log_level_parse(v);

	if (l < 0) {
		snprintf(err, errlen, "--log-level must be error, warn, info "
		    "or debug, not '%s'", v);
		return -1;
	}
	o->log_level = l;
	return 0;
}

static int
set_pwhash_ops(struct options *o, const char *v, char *err, size_t errlen)
{
	long long n;

	if (parse_num(v, crypto_pwhash_OPSLIMIT_MIN,
	    crypto_pwhash_OPSLIMIT_MAX > LLONG_MAX ? LLONG_MAX :
	    (long long)crypto_pwhash_OPSLIMIT_MAX, &n) != 0) {
		snprintf(err, errlen, "--pwhash-ops must be at least %llu, "
		    "not '%s'", (unsigned long long)crypto_pwhash_OPSLIMIT_MIN,
		    v);
		return -1;
	}
	o->pwhash_ops = (unsigned long long)n;
	return 0;
}

static int
set_pwhash_mem(struct options *o, const char *v, char *err, size_t errlen)
{
	long long n;

	/* Above 4 GiB a single hash would starve the box; refuse it. */
	if (parse_num(v, crypto_pwhash_MEMLIMIT_MIN, 4LL << 30, &n) != 0) {
		snprintf(err, errlen, "--pwhash-mem must be %llu to %llu "
		    "bytes, not '%s'",
		    (unsigned long long)crypto_pwhash_MEMLIMIT_MIN,
		    4ULL << 30, v);
		return -1;
	}
	o->pwhash_mem = (size_t)n;
	return 0;
}

static int
set_sync(struct options *o, const char *v, char *err, size_t errlen)
{
	if (strcmp(v, "full") == 0)
		o->sync_full = 1;
	else if (strcmp(v, "normal") == 0)
		o->sync_full = 0;
	else {
		snprintf(err, errlen, "--sync must be full or normal, not '%s'",
		    v);
		return -1;
	}
	return 0;
}

static const struct opt_entry table[] = {
	{ "config", "FILE", "read options from FILE (key = value lines); the "
	  "command line wins", set_config, OPT_CLI },
	{ "host", "ADDR", "address to listen on (default 127.0.0.1)",
	  set_host, OPT_ANY },
	{ "port", "N", "port to listen on, 0 picks a free one (default 8080)",
	  set_port, OPT_ANY },
	{ "db", "FILE", "SQLite database, created on first start "
	  "(default mockint.db)", set_db, OPT_ANY },
	{ "questions", "DIR", "question bank directory to load; "
	  "SIGHUP reads it again (default: none)", set_questions, OPT_ANY },
	{ "check-questions", "DIR", "validate the question files in DIR, "
	  "print a summary and exit", set_check, OPT_CLI },
	{ "backup", "FILE", "copy the --db database (live or not) to FILE "
	  "consistently and exit", set_backup, OPT_CLI },
	{ "tls-cert", "FILE", "serve wss:// and https:// with this PEM "
	  "certificate chain (with --tls-key)", set_tls_cert, OPT_ANY },
	{ "tls-key", "FILE", "the PEM private key of --tls-cert",
	  set_tls_key, OPT_ANY },
	{ "max-conns", "N", "connections in total, 0: from the open-file "
	  "limit (default 0)", set_max_conns, OPT_ANY },
	{ "max-conns-per-ip", "N", "connections per client address, 0: no "
	  "limit (default 64)", set_max_conns_per_ip, OPT_ANY },
	{ "phases", "prep=S,answer=S,followup=S,scoring=S",
	  "phase lengths in seconds (default 60,600,300,180)", set_phases,
	  OPT_ANY },
	{ "no-show", "S", "end a queue match if a side is gone within S "
	  "seconds of prep (default 30)", set_no_show, OPT_ANY },
	{ "grace", "S", "end a session whose interviewer is away S seconds "
	  "(default 120)", set_grace, OPT_ANY },
	{ "room-linger", "S", "close a room whose owner has had no connection "
	  "for S seconds (default 60)", set_room_linger, OPT_ANY },
	{ "keepalive", "S", "ping a connection silent S/2 seconds, drop one "
	  "silent S seconds (default 60)", set_keepalive, OPT_ANY },
	{ "pwhash-ops", "N", "Argon2id opslimit (default: libsodium "
	  "INTERACTIVE)", set_pwhash_ops, OPT_ANY },
	{ "pwhash-mem", "BYTES", "Argon2id memlimit (default: libsodium "
	  "INTERACTIVE)", set_pwhash_mem, OPT_ANY },
	{ "token-days", "N", "login token lifetime in days, renewed on use "
	  "(default 30)", set_token_days, OPT_ANY },
	{ "token-max-days", "N", "a login token's absolute lifetime in days, "
	  "however used (default 90)", set_token_max_days, OPT_ANY },
	{ "login-failures", "N", "failed logins per username and address "
	  "before a doubling back-off; 4N per address, 4N per username "
	  "(default 5)", set_login_failures, OPT_ANY },
	{ "login-window", "S", "the longest failed-login back-off in seconds "
	  "(default 900)", set_login_window, OPT_ANY },
	{ "sync", "full|normal", "durability of commits: full survives power "
	  "loss, normal a crash (default full)", set_sync, OPT_ANY },
	{ "trusted-proxy", "CIDR", "a reverse proxy whose X-Forwarded-For is "
	  "believed (repeatable; default none)", set_trusted_proxy,
	  OPT_REPEAT },
	{ "metrics-listen", "ADDR:PORT", "serve /metrics there, and not on "
	  "--port (default: on --port)", set_metrics_listen, OPT_ANY },
	{ "web", "DIR", "serve the browser client from the files of DIR, "
	  "not the copy built in (development: edit, reload)", set_web,
	  OPT_ANY },
	{ "limit-requests-per-s", "N", "requests per second per connection, "
	  "0: no limit (default 20)", set_lim_rps, OPT_ANY },
	{ "limit-requests-burst", "N", "requests a connection may send at "
	  "once (default 60)", set_lim_burst, OPT_ANY },
	{ "limit-chat-messages", "N", "chat messages per session (default "
	  "1000)", set_lim_chat, OPT_ANY },
	{ "limit-chat-bytes", "BYTES", "chat text per session (default "
	  "1048576)", set_lim_chat_bytes, OPT_ANY },
	{ "limit-notes", "N", "notes per session (default 1000)",
	  set_lim_notes, OPT_ANY },
	{ "limit-note-bytes", "BYTES", "note text per session (default "
	  "1048576)", set_lim_note_bytes, OPT_ANY },
	{ "limit-sessions-per-hour", "N", "sessions a user may start per "
	  "hour, 0: no limit (default 20)", set_lim_sessions, OPT_ANY },
	{ "limit-registrations-per-hour", "N", "accounts created per client "
	  "address per hour, 0: no limit (default 10)", set_lim_registrations,
	  OPT_ANY },
	{ "limit-room-joins-per-min", "N", "room.join attempts per connection "
	  "per minute, 4N per address (default 10)", set_lim_room_joins,
	  OPT_ANY },
	{ "limit-pushes-per-s", "N", "requests per second by which a user "
	  "makes others get pushes, 0: no limit (default 2)", set_lim_pushes,
	  OPT_ANY },
	{ "limit-write-queue", "N", "database writes waiting, server-wide, "
	  "before new ones are refused (default 20000)", set_lim_write_queue,
	  OPT_ANY },
	{ "log-level", "error|warn|info|debug", "log verbosity (default "
	  "info)", set_log_level, OPT_ANY },
	{ "help", NULL, "show this help and exit", NULL, OPT_CLI },
	{ "version", NULL, "show the version and exit", NULL, OPT_CLI },
};

#define NOPTS (sizeof table / sizeof table[0])

void
options_usage(FILE *f)
{
	fprintf(f, "usage: mockintd [OPTIONS]\n\n"
	    "The mockint mock-interview server (WebSocket subprotocol "
	    "mockint.v1).\n\nOptions:\n");
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		char left[64];

		snprintf(left, sizeof left, "--%s%s%s", table[i].name,
		    table[i].arg ? " " : "", table[i].arg ? table[i].arg : "");
		if (strlen(left) > 24)
			fprintf(f, "  %s\n  %-24s %s\n", left, "", table[i].help);
		else
			fprintf(f, "  %-24s %s\n", left, table[i].help);
	}
}

/* Empty the list a repeatable option fills. */
static void
list_clear(struct options *o, const struct opt_entry *e)
{
	if (e->set == set_trusted_proxy)
		list_free(&o->trusted_proxies);
}

static const struct opt_entry *
find_entry(const char *name, size_t nlen)
{
	for (size_t j = 0; j < NOPTS; j++)
		if (strlen(table[j].name) == nlen &&
		    strncmp(table[j].name, name, nlen) == 0)
			return &table[j];
	return NULL;
}

/*
 * One walk over argv. With apply 0 it only checks the names and that each
 * option has its value, stops at --help or --version and finds --config;
 * with apply 1 it sets every value but --config's.
 */
static enum options_result
walk_argv(struct options *o, int argc, char **argv, int apply,
    const char **config, char *err, size_t errlen)
{
	int cli_lists[NOPTS] = { 0 };

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *val = NULL, *eq;
		const struct opt_entry *e;

		if (strncmp(a, "--", 2) != 0) {
			snprintf(err, errlen, "unexpected argument '%s'", a);
			return OPTIONS_ERROR;
		}
		a += 2;
		eq = strchr(a, '=');
		e = find_entry(a, eq ? (size_t)(eq - a) : strlen(a));
		if (e == NULL) {
			snprintf(err, errlen, "unknown option '%s'", argv[i]);
			return OPTIONS_ERROR;
		}
		if (e->set == NULL) {
			if (eq != NULL) {
				snprintf(err, errlen, "--%s takes no value",
				    e->name);
				return OPTIONS_ERROR;
			}
			return strcmp(e->name, "help") == 0 ? OPTIONS_HELP :
			    OPTIONS_VERSION;
		}
		if (eq != NULL)
			val = eq + 1;
		else if (i + 1 < argc)
			val = argv[++i];
		else {
			snprintf(err, errlen, "--%s needs a value (%s)", e->name,
			    e->arg);
			return OPTIONS_ERROR;
		}
		if (e->set == set_config) {
			if (!apply && *config != NULL) {
				snprintf(err, errlen, "--config given twice");
				return OPTIONS_ERROR;
			}
			*config = val;
			continue;
		}
		/* The command line's list replaces the file's. */
		if (apply && e->where == OPT_REPEAT && !cli_lists[e - table]++)
			list_clear(o, e);
		if (apply && e->set(o, val, err, errlen) != 0)
			return OPTIONS_ERROR;
	}
	return OPTIONS_RUN;
}

enum options_result
options_parse(struct options *o, int argc, char **argv, char *err,
    size_t errlen)
{
	const char *config = NULL;
	enum options_result r;

	r = walk_argv(o, argc, argv, 0, &config, err, errlen);
	if (r != OPTIONS_RUN)
		return r;
	if (config != NULL && (set_config(o, config, err, errlen) != 0 ||
	    options_load_file(o, config, err, errlen) != 0))
		return OPTIONS_ERROR;
	r = walk_argv(o, argc, argv, 1, &config, err, errlen);
	if (r != OPTIONS_RUN)
		return r;
	/* Half a TLS set-up is a mistake, not a plain-text server. */
	if ((o->tls_cert == NULL) != (o->tls_key == NULL)) {
		snprintf(err, errlen, "--tls-cert and --tls-key go together");
		return OPTIONS_ERROR;
	}
	return OPTIONS_RUN;
}

static char *
trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}

/*
 * One line of a configuration file: blank, a comment, or key = value. A
 * # starts a comment at the start of a line or after a space, so that a
 * value may still contain one (a path, say); a value in double quotes is
 * taken as it is.
 */
static int
file_line(struct options *o, char *line, int lineno, int seen[NOPTS],
    char *why, size_t whylen)
{
	const struct opt_entry *e;
	char *key, *val, *eq, *p;
	int in_quotes = 0;

	for (p = line; *p != '\0'; p++) {
		if (*p == '"')
			in_quotes = !in_quotes;
		else if (*p == '#' && !in_quotes && (p == line ||
		    isspace((unsigned char)p[-1]))) {
			*p = '\0';
			break;
		}
	}
	key = trim(line);
	if (*key == '\0')
		return 0;
	if ((eq = strchr(key, '=')) == NULL) {
		snprintf(why, whylen, "expected 'key = value', not '%.60s'",
		    key);
		return -1;
	}
	*eq = '\0';
	key = trim(key);
	val = trim(eq + 1);
	if ((e = find_entry(key, strlen(key))) == NULL) {
		snprintf(why, whylen, "unknown key '%.60s'", key);
		return -1;
	}
	if (e->where == OPT_CLI) {
		snprintf(why, whylen, "'%s' belongs on the command line, not "
		    "in a configuration file", e->name);
		return -1;
	}
	if (seen[e - table] != 0 && e->where != OPT_REPEAT) {
		snprintf(why, whylen, "'%s' given twice (first on line %d)",
		    e->name, seen[e - table]);
		return -1;
	}
	seen[e - table] = lineno;
	if (*val == '"') {
		size_t n = strlen(val);

		if (n < 2 || val[n - 1] != '"') {
			snprintf(why, whylen, "unterminated quote in the value "
			    "of '%s'", e->name);
			return -1;
		}
		val[n - 1] = '\0';
		val++;
	}
	if (e->set(o, val, why, whylen) != 0) {
		/* The setters speak of "--port"; in a file it is "port". */
		if (strncmp(why, "--", 2) == 0)
			memmove(why, why + 2, strlen(why + 2) + 1);
		return -1;
	}
	return 0;
}

int
options_load_file(struct options *o, const char *path, char *err,
    size_t errlen)
{
	char line[4096], why[512];
	int seen[NOPTS] = { 0 }, lineno = 0, rc = -1;
	FILE *f;

	if ((f = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "cannot read the configuration %s: %s",
		    path, strerror(errno));
		return -1;
	}
	while (fgets(line, sizeof line, f) != NULL) {
		lineno++;
		if (strchr(line, '\n') == NULL && !feof(f)) {
			snprintf(err, errlen, "%s:%d: line longer than %zu "
			    "bytes", path, lineno, sizeof line - 2);
			goto out;
		}
		if (file_line(o, line, lineno, seen, why, sizeof why) != 0) {
			snprintf(err, errlen, "%s:%d: %s", path, lineno, why);
			goto out;
		}
	}
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error", path);
		goto out;
	}
	rc = 0;
out:
	fclose(f);
	return rc;
}
