/*
 * test-envelope.c — the message envelope codec and the field rules.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "envelope.h"

static enum proto_err
decode(const char *s, struct proto_msg *m)
{
	char why[256];

	return proto_decode(s, strlen(s), m, why, sizeof why);
}

static void
test_decode_valid(void **state)
{
	struct proto_msg m;

	assert_int_equal(decode("{\"type\":\"ping\",\"id\":5,\"x\":[1]}", &m),
	    PROTO_OK);
	assert_string_equal(m.type, "ping");
	assert_int_equal(m.id, 5);
	assert_true(m.has_id);
	proto_msg_clear(&m);
	assert_null(m.root);

	assert_int_equal(decode("{\"id\":9007199254740991,\"type\":\"a.b\"}",
	    &m), PROTO_OK);
	assert_int_equal(m.id, 9007199254740991LL);
	proto_msg_clear(&m);
}

static void
test_decode_invalid(void **state)
{
	struct proto_msg m;
	static const struct {
		const char *in;
		enum proto_err want;
		int has_id;
	} cases[] = {
		{ "", PROTO_E_BAD_JSON, 0 },
		{ "{", PROTO_E_BAD_JSON, 0 },
		{ "null", PROTO_E_BAD_JSON, 0 },	/* jansson: not an array/object */
		{ "[]", PROTO_E_BAD_REQUEST, 0 },
		{ "\"ping\"", PROTO_E_BAD_JSON, 0 },
		{ "{\"id\":1}", PROTO_E_BAD_REQUEST, 1 },
		{ "{\"type\":\"\",\"id\":1}", PROTO_E_BAD_REQUEST, 1 },
		{ "{\"type\":1,\"id\":1}", PROTO_E_BAD_REQUEST, 1 },
		{ "{\"type\":\"ping\"}", PROTO_E_BAD_REQUEST, 0 },
		{ "{\"type\":\"ping\",\"id\":null}", PROTO_E_BAD_REQUEST, 0 },
		{ "{\"type\":\"ping\",\"id\":-3}", PROTO_E_BAD_REQUEST, 0 },
		{ "{\"type\":\"ping\",\"id\":2.0}", PROTO_E_BAD_REQUEST, 0 },
		{ "{\"type\":\"ping\",\"id\":9007199254740992}",
		  PROTO_E_BAD_REQUEST, 0 },
		{ "{\"type\":\"ping\",\"id\":1e400}", PROTO_E_BAD_JSON, 0 },
		{ "{\"type\":\"ping\",\"id\":1,\"id\":2}", PROTO_E_BAD_JSON, 0 },
		{ "{\"type\":\"p\\u0000g\",\"id\":1}", PROTO_E_BAD_JSON, 0 },
		{ "{\"type\":\"\xff\",\"id\":1}", PROTO_E_BAD_JSON, 0 },
		{ "{\"type\":\"ping\",\"id\":1} trailing", PROTO_E_BAD_JSON, 0 },
	};

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		enum proto_err e = decode(cases[i].in, &m);

		if (e != cases[i].want || m.has_id != cases[i].has_id)
			fail_msg("case %zu '%s': got %s has_id=%d", i,
			    cases[i].in, proto_err_name(e), m.has_id);
		proto_msg_clear(&m);
	}
}

static void
test_decode_deep_nesting(void **state)
{
	size_t n = 100000;
	char *s = malloc(2 * n + 1);
	struct proto_msg m;
	char why[128];

	memset(s, '[', n);
	memset(s + n, ']', n);
	assert_int_equal(proto_decode(s, 2 * n, &m, why, sizeof why),
	    PROTO_E_BAD_JSON);
	proto_msg_clear(&m);
	free(s);
}

/* proto_json_cost is exactly what jansson writes, escapes and all. */
static void
test_json_cost(void **state)
{
	static const char *const texts[] = { "", "plain", "a \"quote\"",
		"back\\slash", "tab\tnew\nline\r", "\x01\x1f\x7f",
		"caf\xc3\xa9 \xe2\x82\xac", "/slash/", NULL };

	for (const char *const *t = texts; *t != NULL; t++) {
		json_t *j = json_string(*t);
		char *dump = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);

		assert_non_null(dump);
		assert_int_equal(proto_json_cost(*t), strlen(dump));
		free(dump);
		json_decref(j);
	}
	assert_int_equal(proto_json_cost(NULL), 4);
}

static void
test_builders(void **state)
{
	json_t *o;
	char *s;
	size_t len;

	o = proto_ok(7, json_pack("{s:i,s:s}", "server_time", 3, "re", "x"));
	s = proto_serialise(o, 16, &len);
	/* "re" in fields cannot override the envelope. */
	assert_string_equal(s + 16, "{\"type\":\"ok\",\"re\":7,\"server_time\":3}");
	assert_int_equal(len, strlen(s + 16));
	free(s);
	json_decref(o);

	o = proto_error(0, 0, PROTO_E_NOT_FOUND, "no such session");
	s = json_dumps(o, JSON_COMPACT);
	assert_string_equal(s, "{\"type\":\"error\",\"re\":null,\"code\":"
	    "\"not_found\",\"message\":\"no such session\"}");
	free(s);
	json_decref(o);

	o = proto_push("timer", json_pack("{s:i}", "remaining_ms", 10));
	s = json_dumps(o, JSON_COMPACT);
	assert_string_equal(s, "{\"type\":\"timer\",\"remaining_ms\":10}");
	free(s);
	json_decref(o);

	o = proto_request("ping", 3, NULL);
	s = json_dumps(o, JSON_COMPACT);
	assert_string_equal(s, "{\"type\":\"ping\",\"id\":3}");
	free(s);
	json_decref(o);
}

static void
test_error_names_round_trip(void **state)
{
	for (int i = 1; i < PROTO_E__COUNT; i++)
		assert_int_equal(proto_err_from_name(proto_err_name(i)), i);
	assert_int_equal(proto_err_from_name("nope"), PROTO_E__COUNT);
	assert_string_equal(proto_err_name(PROTO_E_RATE_LIMITED),
	    "rate_limited");
}

static const char *const roles[] = { "interviewer", "candidate", NULL };
static const struct proto_field rules[] = {
	{ "name", PF_STRING, PF_REQUIRED, 3, 8, NULL },
	{ "role", PF_STRING, 0, 1, 0, roles },
	{ "score", PF_INT, PF_NULLABLE, 1, 4, NULL },
	{ "flag", PF_BOOL, 0, 0, 0, NULL },
	{ NULL, 0, 0, 0, 0, NULL }
};

static enum proto_err
check(const char *json, char *why)
{
	json_t *o = json_loads(json, 0, NULL);
	enum proto_err e;

	assert_non_null(o);
	e = proto_check_fields(o, rules, why, 256);
	json_decref(o);
	return e;
}

static void
test_fields(void **state)
{
	char why[256];

	assert_int_equal(check("{\"name\":\"abc\"}", why), PROTO_OK);
	assert_int_equal(check("{\"name\":\"abc\",\"role\":\"candidate\","
	    "\"score\":4,\"flag\":true,\"extra\":1}", why), PROTO_OK);
	assert_int_equal(check("{\"name\":\"abc\",\"score\":null}", why),
	    PROTO_OK);
	assert_int_equal(check("{}", why), PROTO_E_BAD_REQUEST);
	assert_string_equal(why, "\"name\" is missing");
	assert_int_equal(check("{\"name\":5}", why), PROTO_E_BAD_REQUEST);
	assert_string_equal(why, "\"name\" must be a string");
	assert_int_equal(check("{\"name\":\"ab\"}", why), PROTO_E_BAD_REQUEST);
	assert_int_equal(check("{\"name\":\"\"}", why), PROTO_E_BAD_REQUEST);
	assert_string_equal(why, "\"name\" must not be empty");
	assert_int_equal(check("{\"name\":\"abcdefghi\"}", why),
	    PROTO_E_TOO_LARGE);
	assert_int_equal(check("{\"name\":\"abc\",\"role\":\"boss\"}", why),
	    PROTO_E_BAD_REQUEST);
	assert_string_equal(why, "\"role\" must be one of interviewer "
	    "candidate");
	assert_int_equal(check("{\"name\":\"abc\",\"score\":5}", why),
	    PROTO_E_BAD_REQUEST);
	assert_int_equal(check("{\"name\":\"abc\",\"score\":0}", why),
	    PROTO_E_BAD_REQUEST);
	assert_int_equal(check("{\"name\":\"abc\",\"score\":\"4\"}", why),
	    PROTO_E_BAD_REQUEST);
	assert_int_equal(check("{\"name\":\"abc\",\"flag\":1}", why),
	    PROTO_E_BAD_REQUEST);
	assert_int_equal(check("{\"name\":null}", why), PROTO_E_BAD_REQUEST);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_valid),
		cmocka_unit_test(test_decode_invalid),
		cmocka_unit_test(test_decode_deep_nesting),
		cmocka_unit_test(test_builders),
		cmocka_unit_test(test_json_cost),
		cmocka_unit_test(test_error_names_round_trip),
		cmocka_unit_test(test_fields),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
