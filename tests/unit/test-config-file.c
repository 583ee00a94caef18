/*
 * test-config-file.c — mockintd --config FILE: key = value lines over the
 * same option table as the command line; comments, blank lines, quotes;
 * FILE:LINE: reason for a bad key or value (and exit status 2 from the
 * real binary); the command line winning whatever the order; and the
 * shipped example (deploy/mockintd.conf) naming every key with a valid
 * value.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "log.h"
#include "options.h"

static char dir[] = "/tmp/mockint-unit-XXXXXX";

static const char *
write_file(const char *name, const char *text)
{
	static char path[4][512];
	static int next;
	char *p = path[next++ % 4];
	FILE *f;

	snprintf(p, 512, "%s/%s", dir, name);
	f = fopen(p, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return p;
}

static enum options_result
parse(struct options *o, char *err, size_t errlen, ...)
{
	char *argv[32] = { "mockintd" };
	int argc = 1;
	va_list ap;
	char *a;

	va_start(ap, errlen);
	while ((a = va_arg(ap, char *)) != NULL && argc < 31)
		argv[argc++] = a;
	va_end(ap);
	options_defaults(o);
	return options_parse(o, argc, argv, err, errlen);
}

static void
test_good_file(void **state)
{
	struct options o;
	char err[512];
	const char *f;

	f = write_file("good.conf",
	    "# a comment\n"
	    "\n"
	    "   # an indented comment\n"
	    "host = 0.0.0.0\n"
	    "port=9000   # trailing comment\n"
	    "db = /var/lib/mockint/x#1.db\n"
	    "questions = \"/srv/bank with spaces # not a comment\"\n"
	    "\tphases = prep=5,answer=50\t\n"
	    "sync = normal\n"
	    "log-level = debug\n"
	    "max-conns = 100\n"
	    "max-conns-per-ip = 0\n"
	    "tls-cert = /etc/mockint/cert.pem\n"
	    "tls-key = /etc/mockint/key.pem\n"
	    "token-days = 7\n"
	    "login-failures = 3\n"
	    "login-window = 60\n"
	    "no-show = 10\n"
	    "grace = 20\n"
	    "pwhash-ops = 3\n"
	    "pwhash-mem = 16777216\n");
	assert_int_equal(parse(&o, err, sizeof err, "--config", f, NULL),
	    OPTIONS_RUN);
	assert_string_equal(o.config, f);
	assert_string_equal(o.host, "0.0.0.0");
	assert_int_equal(o.port, 9000);
	assert_string_equal(o.db, "/var/lib/mockint/x#1.db");
	assert_string_equal(o.questions, "/srv/bank with spaces # not a "
	    "comment");
	assert_int_equal(o.phase_s[PHASE_PREP], 5);
	assert_int_equal(o.phase_s[PHASE_ANSWER], 50);
	assert_int_equal(o.phase_s[PHASE_FOLLOWUP], 300);
	assert_int_equal(o.sync_full, 0);
	assert_int_equal(o.log_level, LOG_DEBUG);
	assert_int_equal(o.max_conns, 100);
	assert_int_equal(o.max_conns_per_ip, 0);
	assert_string_equal(o.tls_cert, "/etc/mockint/cert.pem");
	assert_string_equal(o.tls_key, "/etc/mockint/key.pem");
	assert_int_equal(o.token_days, 7);
	assert_int_equal(o.login_failures, 3);
	assert_int_equal(o.login_window_s, 60);
	assert_int_equal(o.no_show_s, 10);
	assert_int_equal(o.grace_s, 20);
	assert_int_equal(o.pwhash_ops, 3);
	assert_int_equal(o.pwhash_mem, 16777216);
	options_free(&o);

	/* An empty file changes nothing. */
	f = write_file("empty.conf", "");
	assert_int_equal(parse(&o, err, sizeof err, "--config", f, NULL),
	    OPTIONS_RUN);
	assert_int_equal(o.port, 8080);
	assert_int_equal(o.max_conns_per_ip, 64);
	options_free(&o);
}

static void
test_bad_files(void **state)
{
	static const struct {
		const char *text, *want;
	} bad[] = {
		{ "port = 80\nprot = 81\n", ":2: unknown key 'prot'" },
		{ "\n\nport = x\n", ":3: port must be 0 to 65535, not 'x'" },
		{ "log-level = loud\n", ":1: log-level must be error, warn, "
		  "info or debug, not 'loud'" },
		{ "phases = lunch=5\n", ":1: phases: unknown phase 'lunch'" },
		{ "port 8080\n", ":1: expected 'key = value', not 'port 8080'" },
		{ "port = 1\nport = 2\n", ":2: 'port' given twice (first on "
		  "line 1)" },
		{ "db =\n", ":1: db must name a file" },
		{ "db = \"/x\n", ":1: unterminated quote in the value of 'db'" },
		{ "backup = /tmp/x.db\n", ":1: 'backup' belongs on the command "
		  "line, not in a configuration file" },
		{ "check-questions = bank\n", ":1: 'check-questions' belongs" },
		{ "config = other.conf\n", ":1: 'config' belongs" },
		{ "help = yes\n", ":1: 'help' belongs" },
		{ "--port = 1\n", ":1: unknown key '--port'" },
	};
	struct options o;
	char err[512], want[600];

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		const char *f = write_file("bad.conf", bad[i].text);

		err[0] = '\0';
		if (parse(&o, err, sizeof err, "--config", f, NULL) !=
		    OPTIONS_ERROR)
			fail_msg("case %zu accepted", i);
		snprintf(want, sizeof want, "%s%s", f, bad[i].want);
		if (strncmp(err, want, strlen(want)) != 0)
			fail_msg("case %zu: got \"%s\", want \"%s...\"", i, err,
			    want);
		options_free(&o);
	}
	/* A file that cannot be read. */
	assert_int_equal(parse(&o, err, sizeof err, "--config",
	    "/nonexistent/mockintd.conf", NULL), OPTIONS_ERROR);
	assert_non_null(strstr(err, "/nonexistent/mockintd.conf"));
	options_free(&o);
	/* Half a TLS set-up, wherever the halves come from. */
	assert_int_equal(parse(&o, err, sizeof err, "--config",
	    write_file("tls.conf", "tls-cert = /c.pem\n"), NULL),
	    OPTIONS_ERROR);
	assert_string_equal(err, "--tls-cert and --tls-key go together");
	options_free(&o);
	assert_int_equal(parse(&o, err, sizeof err, "--config",
	    write_file("tls.conf", "tls-cert = /c.pem\n"), "--tls-key",
	    "/k.pem", NULL), OPTIONS_RUN);
	options_free(&o);
	/* --config twice is a mistake, not a merge. */
	assert_int_equal(parse(&o, err, sizeof err, "--config",
	    write_file("a.conf", ""), "--config", write_file("b.conf", ""),
	    NULL), OPTIONS_ERROR);
	assert_string_equal(err, "--config given twice");
	options_free(&o);
}

static void
test_command_line_wins(void **state)
{
	const char *f = write_file("cli.conf", "port = 8000\nhost = 0.0.0.0\n"
	    "phases = prep=5,answer=50\nlog-level = debug\n");
	struct options o;
	char err[512];

	/* Before or after --config, the command line wins. */
	assert_int_equal(parse(&o, err, sizeof err, "--port", "9", "--config",
	    f, "--phases", "answer=7", NULL), OPTIONS_RUN);
	assert_int_equal(o.port, 9);
	assert_string_equal(o.host, "0.0.0.0");
	assert_int_equal(o.phase_s[PHASE_PREP], 5);
	assert_int_equal(o.phase_s[PHASE_ANSWER], 7);
	assert_int_equal(o.log_level, LOG_DEBUG);
	options_free(&o);
	assert_int_equal(parse(&o, err, sizeof err, "--config=", NULL),
	    OPTIONS_ERROR);
	options_free(&o);
	/* --help needs no readable configuration. */
	assert_int_equal(parse(&o, err, sizeof err, "--config",
	    "/nonexistent.conf", "--help", NULL), OPTIONS_HELP);
	options_free(&o);
}

/* A repeatable key: the file may give it often; the command line's
 * values replace the file's; a bad value is refused. */
static void
test_repeatable(void **state)
{
	const char *f = write_file("list.conf", "trusted-proxy = 10.0.0.1\n"
	    "trusted-proxy = 10.1.0.0/16\n");
	struct options o;
	char err[512];

	assert_int_equal(parse(&o, err, sizeof err, "--config", f, NULL),
	    OPTIONS_RUN);
	assert_int_equal(o.trusted_proxies.n, 2);
	assert_string_equal(o.trusted_proxies.v[1], "10.1.0.0/16");
	options_free(&o);
	assert_int_equal(parse(&o, err, sizeof err, "--trusted-proxy",
	    "::1", "--config", f, "--trusted-proxy", "192.168.0.0/24", NULL),
	    OPTIONS_RUN);
	assert_int_equal(o.trusted_proxies.n, 2);
	assert_string_equal(o.trusted_proxies.v[0], "::1");
	assert_string_equal(o.trusted_proxies.v[1], "192.168.0.0/24");
	options_free(&o);
	assert_int_equal(parse(&o, err, sizeof err, "--trusted-proxy",
	    "10.0.0.0/33", NULL), OPTIONS_ERROR);
	assert_non_null(strstr(err, "10.0.0.0/33"));
	options_free(&o);
	assert_int_equal(parse(&o, err, sizeof err, "--metrics-listen",
	    "127.0.0.1", NULL), OPTIONS_ERROR);
	options_free(&o);
}

/* The shipped example: every file key, each with a valid value. */
static void
test_example_file(void **state)
{
	static const char *const keys[] = { "host", "port", "db", "questions",
		"tls-cert", "tls-key", "max-conns", "max-conns-per-ip",
		"phases", "no-show", "grace", "room-linger", "keepalive", "pwhash-ops", "pwhash-mem",
		"token-days", "token-max-days", "login-failures",
		"login-window", "sync", "log-level", "trusted-proxy",
		"metrics-listen", "limit-requests-per-s",
		"limit-requests-burst", "limit-chat-messages",
		"limit-chat-bytes", "limit-notes", "limit-note-bytes",
		"limit-sessions-per-hour", "limit-registrations-per-hour",
		"limit-room-joins-per-min", "limit-pushes-per-s",
		"limit-write-queue", "web" };
	const char *src = getenv("MOCKINT_SOURCE_DIR");
	char path[512], line[1024], *text = NULL, usage[16384];
	size_t tlen = 0, ulen;
	struct options o;
	char err[512];
	FILE *f, *u;

	snprintf(path, sizeof path, "%s/deploy/mockintd.conf", src ? src :
	    ".");
	f = fopen(path, "r");
	assert_non_null(f);
	/* Uncomment every "# key = value" line: all of them must parse. */
	while (fgets(line, sizeof line, f) != NULL) {
		const char *l = line;
		char key[64];

		if (strncmp(l, "# ", 2) == 0 && sscanf(l + 2, "%63[a-z-] =",
		    key) == 1 && strstr(l, " = ") != NULL)
			l += 2;
		text = realloc(text, tlen + strlen(l) + 1);
		memcpy(text + tlen, l, strlen(l) + 1);
		tlen += strlen(l);
	}
	fclose(f);
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		char want[80];

		snprintf(want, sizeof want, "\n%s = ", keys[i]);
		if (strstr(text, want) == NULL)
			fail_msg("deploy/mockintd.conf lacks '%s'", keys[i]);
	}
	options_defaults(&o);
	if (options_load_file(&o, write_file("example.conf", text), err,
	    sizeof err) != 0)
		fail_msg("the example does not parse: %s", err);
	options_free(&o);
	free(text);
	/* And the list above is every option a file may hold. */
	u = fmemopen(usage, sizeof usage, "w");
	assert_non_null(u);
	options_usage(u);
	ulen = (size_t)ftell(u);
	fclose(u);
	usage[ulen < sizeof usage ? ulen : sizeof usage - 1] = '\0';
	for (char *p = strstr(usage, "\n  --"); p != NULL;
	    p = strstr(p + 1, "\n  --")) {
		char name[64];
		int found = 0;

		if (sscanf(p + 5, "%63[a-z-]", name) != 1)
			continue;
		for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
			found |= strcmp(keys[i], name) == 0;
		if (!found && strcmp(name, "config") != 0 &&
		    strcmp(name, "backup") != 0 &&
		    strcmp(name, "check-questions") != 0 &&
		    strcmp(name, "help") != 0 && strcmp(name, "version") != 0)
			fail_msg("option --%s is not in deploy/mockintd.conf",
			    name);
	}
}

/* The real binary: exit status 2 and FILE:LINE on stderr. */
static void
test_binary_exit_status(void **state)
{
	const char *bin = getenv("MOCKINTD");
	const char *f = write_file("exit.conf", "# fine\nport = 99999\n");
	char cmd[1024], out[4096];
	FILE *p;
	size_t n;
	int status;

	if (bin == NULL)
		skip();
	snprintf(cmd, sizeof cmd, "'%s' --config '%s' 2>&1", bin, f);
	p = popen(cmd, "r");
	assert_non_null(p);
	n = fread(out, 1, sizeof out - 1, p);
	out[n] = '\0';
	status = pclose(p);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 2);
	snprintf(cmd, sizeof cmd, "mockintd: %s:2: port must be 0 to 65535, "
	    "not '99999'", f);
	assert_non_null(strstr(out, cmd));
}

static int
setup(void **state)
{
	return mkdtemp(dir) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	char cmd[128];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good_file),
		cmocka_unit_test(test_bad_files),
		cmocka_unit_test(test_command_line_wins),
		cmocka_unit_test(test_repeatable),
		cmocka_unit_test(test_example_file),
		cmocka_unit_test(test_binary_exit_status),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
