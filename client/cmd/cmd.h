/*
 * cmd.h — the commands of the mockint client, tmux style: one
 * struct cmd_entry per command (name, usage, help, handler) in its own
 * cmd-*.c file, the table in main.c, and here what they share: the
 * context (server, saved login, the loop and connection), option
 * parsing, connecting, authenticating and the one-line errors.
 */
#ifndef MOCKINT_CMD_H
#define MOCKINT_CMD_H

#include <jansson.h>
#include <stddef.h>
#include <uv.h>

#include "config.h"
#include "rpc.h"

/* Every network wait of a plain command is bounded by these. */
#define CMD_CONNECT_MS	10000
#define CMD_REPLY_MS	15000

/* Exit statuses. */
#define CMD_OK		0
#define CMD_FAIL	1
#define CMD_USAGE	2

struct cmd_ctx {
	const char	*server;	/* the URL in use */
	const char	*ca;		/* --ca, or NULL */
	const char	*color_when;	/* --color, or NULL (auto) */
	struct config	 cfg;		/* the saved login */
	uv_loop_t	 loop;
	int		 loop_ready;
	struct rpc	*rpc;
	json_t		*session;	/* auth reply's "session" (borrowed) */
	json_t		*auth;		/* the auth or login reply */
	int64_t		 user_id;
	const char	*username;	/* from auth (borrowed) */
};

struct cmd_entry {
	const char	*name;
	const char	*sub;		/* a second word ("room create"), or NULL */
	const char	*usage;		/* the arguments after the name */
	const char	*help;		/* what it does, one paragraph */
	int		(*exec)(struct cmd_ctx *ctx, int argc, char **argv);
};

extern const struct cmd_entry cmd_register_entry;
extern const struct cmd_entry cmd_login_entry;
extern const struct cmd_entry cmd_logout_entry;
extern const struct cmd_entry cmd_whoami_entry;
extern const struct cmd_entry cmd_passwd_entry;
extern const struct cmd_entry cmd_devices_entry;
extern const struct cmd_entry cmd_devices_revoke_entry;
extern const struct cmd_entry cmd_interview_entry;
extern const struct cmd_entry cmd_room_create_entry;
extern const struct cmd_entry cmd_room_join_entry;
extern const struct cmd_entry cmd_history_entry;
extern const struct cmd_entry cmd_history_show_entry;
extern const struct cmd_entry cmd_history_export_entry;
extern const struct cmd_entry cmd_stats_entry;
extern const struct cmd_entry cmd_questions_entry;

/* "mockint: " + message, one line on stderr, without controls or
 * escapes (it may quote the server). */
void cmd_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * Every string in j (a reply; NULL is fine) made safe to print, in place
 * (sanitize.h; newlines and tabs kept). Object keys are left: nothing
 * prints them. Returns j. cmd_request and the auth do it for every
 * command; history show and export keep the reply as it came, for JSON.
 */
json_t *cmd_sanitize(json_t *j);
/* Every string in j (NULL is fine) through change, in place: it returns
 * the string to put instead (the caller frees it), or NULL to keep it.
 * Object keys are left. Returns j. */
json_t *cmd_map_strings(json_t *j, char *(*change)(const char *s));
/* "usage: mockint NAME USAGE" on stderr (or stdout for --help). */
void cmd_usage(const struct cmd_entry *e, int to_stdout);

/*
 * Options of a command: --long VALUE, --long=VALUE, -s VALUE, flags
 * without a value, and --help/-h. Options and positional arguments may be
 * mixed. value (NULL for a flag) receives the argument; flag is set to 1.
 */
struct cmd_opt {
	const char	*name;
	char		 short_name;	/* 0: none */
	const char	**value;
	int		*flag;
};
/*
 * Parse argv[1..argc) (argv[0] is the command); positional arguments are
 * collected into pos (at most maxpos; more is a usage error). Returns
 * CMD_OK, CMD_USAGE after printing a usage error, or -1 after printing
 * the help (the caller exits 0).
 */
int cmd_getopt(const struct cmd_entry *e, int argc, char **argv,
    const struct cmd_opt *opts, char **pos, int maxpos, int *npos);

/*
 * Connect to ctx->server (bounded by CMD_CONNECT_MS); h/arg get pushes.
 * -1 after printing "cannot reach URL: why".
 */
int cmd_connect(struct cmd_ctx *ctx, const struct rpc_handlers *h,
    void *arg);
/* The saved token for this server, or NULL after printing "not logged in". */
const char *cmd_token(struct cmd_ctx *ctx);
/*
 * Connect and authenticate with the saved token; -1 after printing why
 * (a refused token is forgotten: it will never work again).
 */
int cmd_connect_auth(struct cmd_ctx *ctx, const struct rpc_handlers *h,
    void *arg);
/*
 * A request, waiting for its reply (bounded). The ok reply (new
 * reference), or NULL after printing the error on one line.
 */
json_t *cmd_request(struct cmd_ctx *ctx, const char *type, json_t *fields);
/* A positive integer argument, or -1 after saying what is wrong. */
long long cmd_parse_id(const char *what, const char *s);
/* Print the error of reply (an error message) as one line. */
void cmd_print_error(const json_t *reply, const char *type);
/* Close the connection and let the loop finish. */
void cmd_close(struct cmd_ctx *ctx);
/*
 * Colour for stdout (ansi.h) from --color's value (NULL: auto); -1 after
 * printing a usage error for any other value. The global option sets it
 * first; a command's own --color sets it again.
 */
int cmd_color_set(struct cmd_ctx *ctx, const char *when);
/* Save ctx->cfg; prints the error. */
int cmd_save_config(struct cmd_ctx *ctx);

/* Read a password: MOCKINT_PASSWORD, else the terminal without echo,
 * else one line of stdin. NULL after printing why. Caller frees. */
char *cmd_read_password(const char *prompt);
/* The same from the environment variable var (MOCKINT_NEW_PASSWORD for
 * the new one of 'mockint passwd'). */
char *cmd_read_secret(const char *prompt, const char *var);
/* "mockint on HOSTNAME", the device label a login sends (at most
 * CMD_DEVICE_MAX bytes, control characters left out). */
#define CMD_DEVICE_MAX 64
void cmd_device_label(char *buf, size_t len);

#endif
