/*
 * test-options.c — mockintd's command-line parser and --phases.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "log.h"
#include "options.h"

static enum options_result
parse(struct options *o, char *err, ...)
{
	char *argv[32] = { "mockintd" };
	int argc = 1;
	va_list ap;
	char *a;

	va_start(ap, err);
	while ((a = va_arg(ap, char *)) != NULL && argc < 31)
		argv[argc++] = a;
	va_end(ap);
	options_defaults(o);
	return options_parse(o, argc, argv, err, 256);
}

static void
test_defaults(void **state)
{
	struct options o;
	char err[256];

	assert_int_equal(parse(&o, err, NULL), OPTIONS_RUN);
	assert_string_equal(o.host, "127.0.0.1");
	assert_int_equal(o.port, 8080);
	assert_int_equal(o.phase_s[PHASE_PREP], 60);
	assert_int_equal(o.phase_s[PHASE_ANSWER], 600);
	assert_int_equal(o.phase_s[PHASE_FOLLOWUP], 300);
	assert_int_equal(o.phase_s[PHASE_SCORING], 180);
	assert_int_equal(o.log_level, LOG_INFO);
	assert_null(o.questions);
	assert_int_equal(o.sync_full, 1);
	options_free(&o);
}

static void
test_values(void **state)
{
	struct options o;
	char err[256];

	assert_int_equal(parse(&o, err, "--host", "0.0.0.0", "--port=0",
	    "--db", "/tmp/x.db", "--questions", "bank", "--phases",
	    "answer=5,prep=1", "--log-level", "debug", "--sync", "normal",
	    NULL), OPTIONS_RUN);
	assert_string_equal(o.host, "0.0.0.0");
	assert_int_equal(o.port, 0);
	assert_string_equal(o.db, "/tmp/x.db");
	assert_string_equal(o.questions, "bank");
	assert_int_equal(o.phase_s[PHASE_PREP], 1);
	assert_int_equal(o.phase_s[PHASE_ANSWER], 5);
	assert_int_equal(o.phase_s[PHASE_FOLLOWUP], 300);
	assert_int_equal(o.log_level, LOG_DEBUG);
	assert_int_equal(o.sync_full, 0);
	options_free(&o);

	assert_int_equal(parse(&o, err, "--help", NULL), OPTIONS_HELP);
	options_free(&o);
	assert_int_equal(parse(&o, err, "--port", "1", "--version", NULL),
	    OPTIONS_VERSION);
	options_free(&o);
}

static void
test_errors(void **state)
{
	struct options o;
	char err[256];
	static const char *const bad[][3] = {
		{ "--nope", NULL, "unknown option '--nope'" },
		{ "stray", NULL, "unexpected argument 'stray'" },
		{ "--port", NULL, "--port needs a value (N)" },
		{ "--port", "65536", NULL },
		{ "--port", "-1", NULL },
		{ "--port", "12x", NULL },
		{ "--port", "", NULL },
		{ "--port", " 1", NULL },
		{ "--log-level", "loud", NULL },
		{ "--sync", "sometimes", NULL },
		{ "--db", "", NULL },
		{ "--help=yes", NULL, "--help takes no value" },
		{ "--pwhash-ops", "0", NULL },
		{ "--pwhash-mem", "10", NULL },
		{ "--token-days", "0", NULL },
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		err[0] = '\0';
		if (parse(&o, err, bad[i][0], bad[i][1], NULL) !=
		    OPTIONS_ERROR)
			fail_msg("case %zu (%s %s) accepted", i, bad[i][0],
			    bad[i][1] ? bad[i][1] : "");
		assert_true(strlen(err) > 0);
		if (bad[i][2] != NULL)
			assert_string_equal(err, bad[i][2]);
		options_free(&o);
	}
}

static void
test_phases(void **state)
{
	int ph[PHASE__TIMED] = { 60, 600, 300, 180 };
	char err[256];
	static const char *const bad[] = { "", "prep", "prep=", "prep=0",
		"prep=86401", "prep=1,", ",prep=1", "prep=1,prep=2", "lunch=5",
		"prep=1;answer=2", "prep=-1", "prep=1x", "prep=99999999999999999999",
		"=5", "prep==5" };

	assert_int_equal(options_parse_phases("prep=1,answer=2,followup=3,"
	    "scoring=4", ph, err, sizeof err), 0);
	assert_int_equal(ph[0], 1);
	assert_int_equal(ph[1], 2);
	assert_int_equal(ph[2], 3);
	assert_int_equal(ph[3], 4);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		if (options_parse_phases(bad[i], ph, err, sizeof err) == 0)
			fail_msg("'%s' accepted", bad[i]);
		/* A failed parse leaves the values alone. */
		assert_int_equal(ph[0], 1);
		assert_int_equal(ph[3], 4);
	}
	assert_string_equal(phase_name(PHASE_FOLLOWUP), "followup");
	assert_string_equal(phase_name(PHASE_DONE), "done");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_phases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
