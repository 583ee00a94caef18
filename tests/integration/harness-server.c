/*
 * harness-server.c — mockintd processes for the integration tests (see
 * harness.h): a server in its own temporary directory, stopped and
 * checked; the cmocka fixtures that give a test group one; and one-shot
 * runs of mockintd beside it (--backup, bad options).
 */
#include "harness.h"

#include <fcntl.h>
#include <poll.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "xmalloc.h"

const char *const hs_fast_args[] = { "--pwhash-ops", "1", "--pwhash-mem",
	"8192", NULL };

static void
read_line(int fd, char *buf, size_t len, int timeout_ms)
{
	size_t off = 0;
	struct pollfd p = { .fd = fd, .events = POLLIN };

	while (off + 1 < len) {
		ssize_t n;

		if (poll(&p, 1, timeout_ms) <= 0)
			break;
		n = read(fd, buf + off, 1);
		if (n <= 0)
			break;
		if (buf[off] == '\n')
			break;
		off++;
	}
	buf[off] = '\0';
}

struct hserver *
hs_start_in(const char *dir, const char *const *args)
{
	struct hserver *s = xcalloc(1, sizeof *s);
	const char *bin = getenv("MOCKINTD");
	const char *argv[64];
	int outp[2], n = 0;
	pid_t parent;
	char line[256], host[64];

	/* The test writes to sockets a server may close. */
	signal(SIGPIPE, SIG_IGN);
	assert_non_null(bin);
	if (dir != NULL)
		snprintf(s->dir, sizeof s->dir, "%s", dir);
	else {
		snprintf(s->dir, sizeof s->dir, "/tmp/mockint-test-XXXXXX");
		assert_non_null(mkdtemp(s->dir));
	}
	snprintf(s->db, sizeof s->db, "%s/mockint.db", s->dir);
	snprintf(s->log, sizeof s->log, "%s/mockintd.log", s->dir);
	/* MOCKINTD_WRAPPER runs the server under a tool (make valgrind). */
	if (getenv("MOCKINTD_WRAPPER") != NULL) {
		static char wrap[1024];
		char *save = NULL, *w;

		snprintf(wrap, sizeof wrap, "%s", getenv("MOCKINTD_WRAPPER"));
		for (w = strtok_r(wrap, " ", &save); w != NULL && n < 20;
		    w = strtok_r(NULL, " ", &save))
			argv[n++] = w;
	}
	argv[n++] = bin;
	argv[n++] = "--port";
	argv[n++] = "0";
	argv[n++] = "--db";
	argv[n++] = s->db;
	argv[n++] = "--log-level";
	argv[n++] = "debug";
	/* Tests register many users from one address: off unless a test
	 * sets it (its arguments come later and win). */
	argv[n++] = "--limit-registrations-per-hour";
	argv[n++] = "0";
	for (int i = 0; args != NULL && args[i] != NULL && n < 62; i++)
		argv[n++] = args[i];
	argv[n] = NULL;

	assert_int_equal(pipe(outp), 0);
	parent = getpid();
	s->pid = fork();
	assert_true(s->pid >= 0);
	if (s->pid == 0) {
		int logfd = open(s->log, O_WRONLY | O_CREAT | O_APPEND, 0600);

		/* A failing assertion leaves a test without its hs_stop: the
		 * server goes with the test's process, not on as an orphan. */
		if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 ||
		    getppid() != parent)
			_exit(127);

		dup2(outp[1], 1);
		if (logfd >= 0)
			dup2(logfd, 2);
		close(outp[0]);
		close(outp[1]);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(outp[1]);
	/* ASan and valgrind start slowly: give the line 60 s. */
	read_line(outp[0], line, sizeof line, 60000);
	close(outp[0]);
	if (sscanf(line, "listening on %63[^:]:%d", host, &s->port) != 2) {
		fprintf(stderr, "mockintd did not start (got '%s')\n", line);
		hs_dump_log(s);
		kill(s->pid, SIGKILL);
		waitpid(s->pid, NULL, 0);
		fail_msg("mockintd did not print its listening line");
	}
	snprintf(s->url, sizeof s->url, "ws://%s:%d", host, s->port);
	return s;
}

struct hserver *
hs_start(const char *const *args)
{
	return hs_start_in(NULL, args);
}

int
hs_stop(struct hserver *s, int sig)
{
	int status = 0;
	pid_t r = 0;

	if (s == NULL || s->pid <= 0)
		return -1;
	kill(s->pid, sig);
	/* Let the loop run while the server closes its connections
	 * (valgrind's leak check at exit takes a while). */
	for (int i = 0; i < 1200 && r == 0; i++) {
		r = waitpid(s->pid, &status, WNOHANG);
		if (r == 0)
			h_sleep(50);
	}
	if (r == 0) {
		fprintf(stderr, "mockintd did not stop on signal %d\n", sig);
		kill(s->pid, SIGKILL);
		waitpid(s->pid, &status, 0);
	}
	s->pid = 0;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	return 128 + WTERMSIG(status);
}

void
hs_dump_log(const struct hserver *s)
{
	char buf[4096];
	FILE *f = fopen(s->log, "r");
	size_t n;

	if (f == NULL)
		return;
	fprintf(stderr, "---- %s ----\n", s->log);
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		fwrite(buf, 1, n, stderr);
	fprintf(stderr, "---- end ----\n");
	fclose(f);
}

void
hs_free(struct hserver *s)
{
	char cmd[400];

	if (s == NULL)
		return;
	if (s->pid > 0)
		hs_stop(s, SIGKILL);
	if (getenv("MOCKINT_KEEP_TMP") == NULL &&
	    strncmp(s->dir, "/tmp/mockint-test-", 18) == 0) {
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", s->dir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", s->dir);
	}
	free(s);
}

/* Fast hashing, --questions bank, phases and extra, in dir. */
static struct hserver *
start_with_bank(const char *dir, const char *bank, const char *phases,
    const char *const *extra)
{
	const char *args[40];
	int n = 0;

	for (int i = 0; hs_fast_args[i] != NULL; i++)
		args[n++] = hs_fast_args[i];
	args[n++] = "--questions";
	args[n++] = bank;
	if (phases != NULL) {
		args[n++] = "--phases";
		args[n++] = phases;
	}
	for (int i = 0; extra != NULL && extra[i] != NULL && n < 38; i++)
		args[n++] = extra[i];
	args[n] = NULL;
	return hs_start_in(dir, args);
}

struct hserver *
hs_start_bank_in(const char *dir, const char *phases,
    const char *const *extra)
{
	static char bank[512];

	snprintf(bank, sizeof bank, "%s/server/bank",
	    getenv("MOCKINT_SOURCE_DIR") ? getenv("MOCKINT_SOURCE_DIR") : ".");
	return start_with_bank(dir, bank, phases, extra);
}

struct hserver *
hs_start_questions(const char *dir, const char *bank)
{
	return start_with_bank(dir, bank, NULL, NULL);
}

struct hserver *
hs_start_bank(const char *phases, const char *const *extra)
{
	return hs_start_bank_in(NULL, phases, extra);
}

void
hs_finish(struct hserver *s)
{
	int rc = hs_stop(s, SIGTERM);

	if (rc != 0)
		hs_dump_log(s);
	hs_free(s);
	assert_int_equal(rc, 0);
}

struct hserver *h_srv;

int
h_setup_bank_args(void **state, const char *const *extra)
{
	h_srv = hs_start_bank(NULL, extra);
	*state = h_srv;
	return 0;
}

int
h_setup_bank(void **state)
{
	return h_setup_bank_args(state, NULL);
}

int
h_setup_server_args(void **state, const char *const *args)
{
	h_srv = hs_start(args);
	*state = h_srv;
	return 0;
}

int
h_setup_server(void **state)
{
	return h_setup_server_args(state, hs_fast_args);
}

/* Servers h_teardown_server saw exit other than 0 (h_failures). */
static int failed_stops;

int
h_teardown_server(void **state)
{
	struct hserver *s = h_srv;
	int rc;

	/* The setup failed before there was a server. */
	if (s == NULL)
		return 0;
	h_srv = NULL;
	*state = NULL;
	rc = hs_stop(s, SIGTERM);
	if (rc != 0) {
		hs_dump_log(s);
		failed_stops++;
	}
	hs_free(s);
	assert_int_equal(rc, 0);
	return 0;
}

int
h_failures(int cmocka_failed)
{
	if (failed_stops > 0)
		fprintf(stderr, "%d server(s) did not exit 0 when stopped "
		    "(see the log above)\n", failed_stops);
	return cmocka_failed + failed_stops;
}

pid_t
h_spawn_mockintd(const char *const *args)
{
	const char *argv[32];
	int n = 0;
	pid_t pid;

	argv[n++] = getenv("MOCKINTD");
	assert_non_null(argv[0]);
	for (int i = 0; args[i] != NULL && n < 31; i++)
		argv[n++] = args[i];
	argv[n] = NULL;
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		dup2(null, 2);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	return pid;
}

int
h_wait_exit(pid_t pid)
{
	int status;

	assert_int_equal(waitpid(pid, &status, 0), pid);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
