/*
 * harness-tmux.h — the terminal client driven in real terminals: a tmux
 * server of the test's own (tt_setup), a session per user named after the
 * user (100x30) running mockint against the harness's server, keys in with
 * send-keys, screens out with capture-pane. A wait that times out fails
 * the test with the screen it waited on, the other users' screens and the
 * server's log.
 */
#ifndef MOCKINT_HARNESS_TMUX_H
#define MOCKINT_HARNESS_TMUX_H

#include "harness.h"

/* A user's own home and configuration, under the server's directory. */
struct tt_user {
	const char	*name;
	char		 home[400];
	char		 env_home[420], env_xdg[440], env_server[200];
	const char	*env[5];
};

/* tmux is not installed: the test skips, saying so. */
int tt_absent(void);
/* Our own tmux server and its configuration; then kill it (kept with
 * MOCKINT_KEEP_TMP). */
void tt_setup(void);
void tt_teardown(void);
/* The server the users talk to, again after each restart. */
void tt_server(struct hserver *s);
/* A new test: the users of the last one are not shown on failure. */
void tt_forget_users(void);

/* A home and configuration for name under the server's directory. */
void tt_user_init(struct tt_user *u, const char *name);
/* mockint a1..a5 (NULL-ended) as u, outside tmux; the status, stdout in
 * *out (may be NULL). */
int tt_mockint(struct tt_user *u, char **out, const char *a1, const char *a2,
    const char *a3, const char *a4, const char *a5);
/* tmux ARGS... (NULL-terminated) on our own server; the status. */
int tt_tmux(char **out, ...);
/* mockint args for u in its terminal; _env with NAME=VALUE ... first. */
void tt_start_client(struct tt_user *u, const char *args);
void tt_start_client_env(struct tt_user *u, const char *env, const char *args);
/* Keep u's screen as NAME.txt ($MOCKINT_SCREENS_DIR, else ./screens). */
void tt_save_screen(const struct tt_user *u, const char *name);
/* u's screen now (malloc'd). */
char *tt_screen(const struct tt_user *u);
/* The last words of a client that exited, looked for in the history. */
void tt_see_last_words(const struct tt_user *u, const char *needle);
void tt_keys(const struct tt_user *u, const char *k);	/* tmux key names */
void tt_type(const struct tt_user *u, const char *text);	/* literally */
/* Wait for needle on u's screen: the screen (malloc'd); fails if not. */
char *tt_wait_for(const struct tt_user *u, const char *needle);
void tt_see(const struct tt_user *u, const char *needle);
/* Wait until needle has left u's screen (a transient indicator). */
void tt_wait_gone(const struct tt_user *u, const char *needle);
void tt_not_on_screen(const struct tt_user *u, const char *needle);
/* The countdown in the header, in seconds; -1 if none. */
int tt_countdown(const struct tt_user *u);

#endif
