/*
 * main.c — mockint, the terminal client: the global options (--server,
 * --ca, --color, --help, --version), the choice of server (checked once,
 * here), and the command table that sends each command to its cmd-*.c
 * handler.
 */
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "config.h"
#include "server_url.h"
#include "xmalloc.h"

#define DEFAULT_SERVER	"ws://127.0.0.1:8080"

/* In the order --help lists them; "history" and "devices" must come
 * after their subs. */
static const struct cmd_entry *const cmd_table[] = {
	&cmd_register_entry,
	&cmd_login_entry,
	&cmd_logout_entry,
	&cmd_whoami_entry,
	&cmd_passwd_entry,
	&cmd_devices_revoke_entry,
	&cmd_devices_entry,
	&cmd_interview_entry,
	&cmd_room_create_entry,
	&cmd_room_join_entry,
	&cmd_history_show_entry,
	&cmd_history_export_entry,
	&cmd_history_entry,
	&cmd_stats_entry,
	&cmd_questions_entry,
	NULL
};

static void
usage(FILE *f)
{
	fprintf(f, "usage: mockint [--server ws://HOST:PORT] [--ca FILE] "
	    "[--color auto|always|never]\n               COMMAND [ARGS]\n\n"
	    "commands:\n");
	for (size_t i = 0; cmd_table[i] != NULL; i++) {
		const struct cmd_entry *e = cmd_table[i];
		char name[64];

		snprintf(name, sizeof name, "%s%s%s", e->name, e->sub ? " " :
		    "", e->sub ? e->sub : "");
		fprintf(f, "  %-16s %s\n", name, e->usage);
	}
	fprintf(f, "\n'mockint COMMAND --help' explains a command.\n"
	    "The server is --server, else $MOCKINT_SERVER, else the one you "
	    "logged in to,\nelse %s. --ca FILE trusts that CA for wss://.\n"
	    "--color: colour in history, stats and questions; auto (the "
	    "default) when\nwriting to a terminal and $NO_COLOR is not set.\n"
	    "Exit status: 0 done, 1 failed, 2 bad usage.\n", DEFAULT_SERVER);
}

/* The entry for argv (which starts at the command name), or NULL. */
static const struct cmd_entry *
lookup(int argc, char **argv, int *words)
{
	const struct cmd_entry *plain = NULL;

	for (size_t i = 0; cmd_table[i] != NULL; i++) {
		const struct cmd_entry *e = cmd_table[i];

		if (strcmp(e->name, argv[0]) != 0)
			continue;
		if (e->sub == NULL) {
			plain = e;
			continue;
		}
		if (argc > 1 && strcmp(e->sub, argv[1]) == 0) {
			*words = 2;
			return e;
		}
	}
	*words = 1;
	return plain;
}

static void
list_subs(const char *name)
{
	cmd_error("%s: what? one of:", name);
	for (size_t i = 0; cmd_table[i] != NULL; i++)
		if (strcmp(cmd_table[i]->name, name) == 0)
			cmd_usage(cmd_table[i], 0);
}

/*
 * The global options before the command: *next gets the command's index.
 * -1 to go on, else the exit status (--help, --version, a usage error).
 */
static int
globals(int argc, char **argv, struct cmd_ctx *ctx, const char **server,
    int *next)
{
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			usage(stdout);
			return CMD_OK;
		}
		if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0) {
			printf("mockint %s\n", MOCKINT_VERSION);
			return CMD_OK;
		}
		if (strncmp(a, "--server=", 9) == 0)
			*server = a + 9;
		else if (strncmp(a, "--ca=", 5) == 0)
			ctx->ca = a + 5;
		else if (strncmp(a, "--color=", 8) == 0)
			ctx->color_when = a + 8;
		else if (strcmp(a, "--server") == 0 || strcmp(a, "--ca") == 0 ||
		    strcmp(a, "--color") == 0) {
			if (i + 1 >= argc) {
				cmd_error("%s needs a value", a);
				return CMD_USAGE;
			}
			if (strcmp(a, "--server") == 0)
				*server = argv[++i];
			else if (strcmp(a, "--ca") == 0)
				ctx->ca = argv[++i];
			else
				ctx->color_when = argv[++i];
		} else {
			cmd_error("unknown option '%s' (try 'mockint --help')",
			    a);
			return CMD_USAGE;
		}
	}
	*next = i;
	return -1;
}

int
main(int argc, char **argv)
{
	struct cmd_ctx ctx;
	const struct cmd_entry *e;
	const char *server = NULL, *env;
	char *server_copy;
	char err[512];
	int i = 1, words, rc;

	/* A server that goes away must not kill us mid-write. */
	signal(SIGPIPE, SIG_IGN);
	/* Column widths of names and titles depend on the UTF-8 locale. */
	setlocale(LC_ALL, "");
	memset(&ctx, 0, sizeof ctx);
	if ((rc = globals(argc, argv, &ctx, &server, &i)) >= 0)
		return rc;
	if (i >= argc) {
		usage(stderr);
		return CMD_USAGE;
	}
	if ((e = lookup(argc - i, argv + i, &words)) == NULL) {
		if (argc - i >= 1 && (strcmp(argv[i], "room") == 0)) {
			if (argc - i >= 2 && (strcmp(argv[i + 1], "--help") ==
			    0 || strcmp(argv[i + 1], "-h") == 0)) {
				for (size_t k = 0; cmd_table[k] != NULL; k++)
					if (strcmp(cmd_table[k]->name,
					    "room") == 0)
						cmd_usage(cmd_table[k], 1);
				return CMD_OK;
			}
			list_subs("room");
			return CMD_USAGE;
		}
		cmd_error("unknown command '%s' (try 'mockint --help')",
		    argv[i]);
		return CMD_USAGE;
	}

	if (config_load(&ctx.cfg, err, sizeof err) == -1) {
		cmd_error("%s", err);
		return CMD_FAIL;
	}
	if (server == NULL && (env = getenv("MOCKINT_SERVER")) != NULL &&
	    *env != '\0')
		server = env;
	if (server == NULL)
		server = ctx.cfg.server != NULL ? ctx.cfg.server :
		    DEFAULT_SERVER;
	/* Once, before anything connects or saves it. */
	if (server_url_check(server, err, sizeof err) == -1) {
		cmd_error("bad server URL '%s': %s (want ws://HOST:PORT or "
		    "wss://HOST:PORT)", server, err);
		config_free(&ctx.cfg);
		return CMD_USAGE;
	}
	if (cmd_color_set(&ctx, ctx.color_when) == -1) {
		config_free(&ctx.cfg);
		return CMD_USAGE;
	}
	/* A copy: logging in replaces the saved login it may point into. */
	server_copy = xstrdup(server);
	ctx.server = server_copy;

	/* The handler sees its own name as argv[0], then its arguments. */
	rc = e->exec(&ctx, argc - i - (words - 1), argv + i + (words - 1));
	cmd_close(&ctx);
	config_free(&ctx.cfg);
	free(server_copy);
	return rc;
}
