/*
 * harness-tmux.c — terminals for the terminal client's tests (see
 * harness-tmux.h): a tmux server of the test's own, one session per user
 * running mockint, keys sent with send-keys and screens read with
 * capture-pane.
 */
#include "harness-tmux.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#define WAIT_MS	20000	/* ASan builds draw slowly */

static char sock[64];		/* tmux -L: a server of our own */
static char conf[400];		/* its configuration file */
static struct hserver *srv;	/* what the users talk to (tt_server) */

/* ---- processes ---- */

static long
tt_now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/*
 * Run argv (NULL-terminated) with extra environment (NAME=VALUE strings,
 * NULL-terminated, may be NULL); its stdout goes to *out (malloc'd, may be
 * NULL to discard). Returns the exit status; a run over 30 s fails.
 */
static int
tt_run(const char *const *argv, const char *const *env, char **out)
{
	int o[2], status;
	pid_t pid;
	size_t len = 0, cap = 4096;
	char *buf = malloc(cap);
	long t0 = tt_now_ms();

	assert_int_equal(pipe(o), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDWR);

		dup2(devnull, 0);
		dup2(o[1], 1);
		close(o[0]);
		for (int i = 0; env != NULL && env[i] != NULL; i++)
			putenv((char *)env[i]);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(o[1]);
	/*
	 * Until the child exits, not until EOF: the tmux server it may start
	 * keeps a copy of the pipe open for as long as it runs.
	 */
	fcntl(o[0], F_SETFL, O_NONBLOCK);
	for (int exited = 0;;) {
		struct pollfd p = { o[0], POLLIN, 0 };
		ssize_t n;

		if (tt_now_ms() - t0 > 30000) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			fail_msg("%s %s hung", argv[0], argv[1]);
		}
		if (!exited && waitpid(pid, &status, WNOHANG) == pid)
			exited = 1;
		if (!exited)
			poll(&p, 1, 50);
		for (;;) {
			if (len + 1024 > cap)
				buf = realloc(buf, cap *= 2);
			n = read(o[0], buf + len, cap - len - 1);
			if (n <= 0)
				break;
			len += (size_t)n;
		}
		if (exited && n <= 0)
			break;
	}
	close(o[0]);
	buf[len] = '\0';
	if (out != NULL)
		*out = buf;
	else
		free(buf);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}


/* The users of the running test, for the screens shown on failure. */
static const struct tt_user *users[4];
static int n_users;

void
tt_user_init(struct tt_user *u, const char *name)
{
	if (n_users < 4)
		users[n_users++] = u;
	u->name = name;
	snprintf(u->home, sizeof u->home, "%s/home-%s", srv->dir, name);
	mkdir(u->home, 0700);
	snprintf(u->env_home, sizeof u->env_home, "HOME=%s", u->home);
	snprintf(u->env_xdg, sizeof u->env_xdg, "XDG_CONFIG_HOME=%s/.config",
	    u->home);
	snprintf(u->env_server, sizeof u->env_server, "MOCKINT_SERVER=%s",
	    srv->url);
	u->env[0] = u->env_home;
	u->env[1] = u->env_xdg;
	u->env[2] = u->env_server;
	u->env[3] = "MOCKINT_PASSWORD=a long enough password";
	u->env[4] = NULL;
}

/* mockint ARGS as u; the status, stdout in *out (may be NULL). */
int
tt_mockint(struct tt_user *u, char **out, const char *a1, const char *a2,
    const char *a3, const char *a4, const char *a5)
{
	const char *argv[] = { getenv("MOCKINT"), a1, a2, a3, a4, a5, NULL };

	return tt_run(argv, u->env, out);
}

/* ---- tmux ---- */

/* tmux ARGS... (NULL-terminated) on our own server; the status. */
int
tt_tmux(char **out, ...)
{
	const char *argv[24] = { "tmux", "-L", sock, "-f", conf };
	int n = 5;
	va_list ap;

	va_start(ap, out);
	while (n < 23 && (argv[n] = va_arg(ap, const char *)) != NULL)
		n++;
	va_end(ap);
	argv[n] = NULL;
	return tt_run(argv, NULL, out);
}

/* Start mockint ARGS for u in a 100x30 terminal named after u, with
 * extra environment (NAME=VALUE ..., or ""). */
void
tt_start_client_env(struct tt_user *u, const char *env, const char *args)
{
	char cmd[2048];

	snprintf(cmd, sizeof cmd, "env HOME=%s XDG_CONFIG_HOME=%s/.config "
	    "%s %s --server %s %s", u->home, u->home, env, getenv("MOCKINT"),
	    srv->url, args);
	assert_int_equal(tt_tmux(NULL, "new-session", "-d", "-s", u->name, "-x",
	    "100", "-y", "30", cmd, NULL), 0);
}

void
tt_start_client(struct tt_user *u, const char *args)
{
	tt_start_client_env(u, "", args);
}

/* Keep what u's screen shows as NAME.txt, the clock's digits and the
 * dates as they were: in $MOCKINT_SCREENS_DIR when set (client/screens,
 * which the README shows, to refresh them), else in the build directory's
 * screens/ (a test run leaves the source tree alone). */
void
tt_save_screen(const struct tt_user *u, const char *name)
{
	const char *dir = getenv("MOCKINT_SCREENS_DIR");
	char path[1024], *s = tt_screen(u);
	FILE *f;

	if (dir == NULL) {
		dir = "screens";
		if (mkdir(dir, 0755) != 0 && errno != EEXIST)
			fail_msg("cannot make %s", dir);
	}
	snprintf(path, sizeof path, "%s/%s.txt", dir, name);
	if ((f = fopen(path, "w")) == NULL)
		fail_msg("cannot write %s", path);
	fputs(s, f);
	fclose(f);
	free(s);
}

/* The text of u's pane: the screen, or from history line `from` on. */
static char *
tt_capture(const struct tt_user *u, const char *from)
{
	/*
	 * Written through a heap holder: with &local, gcc -O2 inlines and
	 * wrongly warns that the string returned dangles.
	 */
	char **holder = calloc(1, sizeof *holder), *s;

	assert_non_null(holder);
	if (from != NULL)
		tt_tmux(holder, "capture-pane", "-p", "-S", from, "-t", u->name,
		    NULL);
	else
		tt_tmux(holder, "capture-pane", "-p", "-t", u->name, NULL);
	s = *holder;
	free(holder);
	return s;
}

char *
tt_screen(const struct tt_user *u)
{
	return tt_capture(u, NULL);
}

/*
 * What a finished client said last: tmux scrolls a dead pane to show
 * "Pane is dead" on its last row, so look into the history too.
 */
void
tt_see_last_words(const struct tt_user *u, const char *needle)
{
	long t0 = tt_now_ms();
	char *s = NULL;

	for (;;) {
		free(s);
		s = NULL;
		s = tt_capture(u, "-50");
		if (strstr(s, needle) != NULL) {
			free(s);
			return;
		}
		if (tt_now_ms() - t0 > WAIT_MS)
			break;
		usleep(100 * 1000);
	}
	fail_msg("'%s' was not the last word on %s's terminal:\n%s", needle,
	    u->name, s);
}

void
tt_keys(const struct tt_user *u, const char *k)
{
	assert_int_equal(tt_tmux(NULL, "send-keys", "-t", u->name, k, NULL), 0);
}

void
tt_type(const struct tt_user *u, const char *text)
{
	assert_int_equal(tt_tmux(NULL, "send-keys", "-t", u->name, "-l", text,
	    NULL), 0);
}

/* Wait for needle on u's screen; fails with the screen shown. */
char *
tt_wait_for(const struct tt_user *u, const char *needle)
{
	long t0 = tt_now_ms();
	char *s = NULL;

	for (;;) {
		free(s);
		s = tt_screen(u);
		if (strstr(s, needle) != NULL)
			return s;
		if (tt_now_ms() - t0 > WAIT_MS)
			break;
		usleep(100 * 1000);
	}
	hs_dump_log(srv);
	/* The other screen often tells why. */
	for (int i = 0; i < n_users; i++)
		if (users[i] != u) {
			char *o = tt_screen(users[i]);

			fprintf(stderr, "---- %s's screen ----\n%s", users[i]->name,
			    o);
			free(o);
		}
	fail_msg("'%s' never appeared on %s's screen:\n%s", needle, u->name,
	    s);
	return NULL;
}

void
tt_see(const struct tt_user *u, const char *needle)
{
	free(tt_wait_for(u, needle));
}

/* Wait until needle has left u's screen (a transient indicator). */
void
tt_wait_gone(const struct tt_user *u, const char *needle)
{
	long t0 = tt_now_ms();
	char *s;

	for (;;) {
		s = tt_screen(u);
		if (strstr(s, needle) == NULL) {
			free(s);
			return;
		}
		if (tt_now_ms() - t0 > WAIT_MS)
			break;
		free(s);
		usleep(100 * 1000);
	}
	hs_dump_log(srv);
	fail_msg("'%s' stayed on %s's screen:\n%s", needle, u->name, s);
}

void
tt_not_on_screen(const struct tt_user *u, const char *needle)
{
	char *s = tt_screen(u);

	if (strstr(s, needle) != NULL)
		fail_msg("'%s' should not be on %s's screen:\n%s", needle,
		    u->name, s);
	free(s);
}

/* The countdown in the header, in seconds; -1 if none. */
int
tt_countdown(const struct tt_user *u)
{
	char *s = tt_screen(u), *p = strstr(s, "⏱ ");
	int m, sec, r = -1;

	if (p != NULL && sscanf(p + strlen("⏱ "), "%d:%d", &m, &sec) == 2)
		r = m * 60 + sec;
	free(s);
	return r;
}

int
tt_absent(void)
{
	return system("command -v tmux >/dev/null 2>&1") != 0;
}

void
tt_setup(void)
{
	FILE *f;

	if (tt_absent())
		return;
	snprintf(sock, sizeof sock, "mockint-tui-%d", (int)getpid());
	/* UTF-8 in the panes, whatever the caller's locale. */
	setenv("LC_ALL", "C.UTF-8", 1);
	snprintf(conf, sizeof conf, "/tmp/mockint-tui-%d.conf", (int)getpid());
	f = fopen(conf, "w");
	assert_non_null(f);
	/* Keep a pane after mockint exits, to read what it said last. */
	fputs("set -g remain-on-exit on\nset -g status off\n", f);
	fclose(f);
}

void
tt_teardown(void)
{
	if (tt_absent())
		return;
	/* MOCKINT_KEEP_TMP keeps the terminals too, to look at them. */
	if (getenv("MOCKINT_KEEP_TMP") != NULL) {
		fprintf(stderr, "test-tui: kept: tmux -L %s attach\n", sock);
		return;
	}
	tt_tmux(NULL, "kill-server", NULL);
	unlink(conf);
}

void
tt_server(struct hserver *s)
{
	srv = s;
}

void
tt_forget_users(void)
{
	n_users = 0;
}
