/*
 * fuzz-message.c — the message decoder and request validation: arbitrary
 * bytes as one inbound text message, through dispatch_parse() (decode,
 * look the type up in the request table, check its field rules), the
 * field rules of every row of the table (dispatch_table) applied to
 * whatever object came in, whole and one rule at a time, and the reply
 * builders on what was decoded.
 *
 * Besides "no crash, no leak, no UB" it checks what the server relies on:
 *   - every failure explains itself, in text that can go into an error
 *     reply (valid UTF-8, NUL-terminated within the caller's buffer);
 *   - every error reply carries its code and a message;
 *   - a request that passed is still the same request, passing the same
 *     rules, after a trip through proto_request and proto_serialise, and
 *     the fields a handler reads back respect the rules that passed;
 *   - the size of the "why" buffer never changes the verdict.
 */
#include <jansson.h>
#include <stdint.h>
#include <string.h>

#include "dispatch.h"
#include "envelope.h"
#include "fuzz.h"

/* Like LWS_PRE: replies are serialised behind the transport's header. */
#define HEADROOM 16
/* Object members looked into for nested rule checks; bounds the work. */
#define NESTED_MAX 8

static const char *const one_of[] = { "a", "bb", "ccc", "a-rather-long-"
	"value-to-overflow-the-message", "another-long-value-for-the-list",
	"and-one-more-so-the-list-is-cut-at-the-end-of-the-buffer", "z",
	NULL };

/*
 * Rules the request table does not use (yet): every type, both flags,
 * negative and huge bounds, and a "one of" list too long for the
 * message that names it.
 */
static const struct proto_field fuzz_rules[] = {
	{ "type", PF_STRING, PF_REQUIRED, 1, 64, NULL },
	{ "s", PF_STRING, PF_NULLABLE, 2, 8, one_of },
	{ "o", PF_OBJECT, PF_NULLABLE, 0, 0, NULL },
	{ "a", PF_ARRAY, 0, 0, 0, NULL },
	{ "b", PF_BOOL, PF_NULLABLE, 0, 0, NULL },
	{ "n", PF_INT, 0, INT64_MIN, INT64_MAX, NULL },
	{ "m", PF_INT, PF_NULLABLE, -5, -1, NULL },
	{ "u", PF_STRING, PF_REQUIRED | PF_NULLABLE, 0, 0, NULL },
	{ NULL, 0, 0, 0, 0, NULL }
};

/* Text that json_string accepts: what an error reply's message must be. */
static int
is_reply_text(const char *s)
{
	json_t *j = json_string(s);
	int ok = j != NULL;

	json_decref(j);
	return ok;
}

/* Serialise msg, check the buffer's shape, and parse it back. */
static json_t *
round_trip(const json_t *msg)
{
	json_error_t jerr;
	size_t n;
	char *out = proto_serialise(msg, HEADROOM, &n);
	json_t *back;

	FUZZ_CHECK(out[HEADROOM + n] == '\0');
	/* A raw NUL would cut the frame short for C-string consumers. */
	FUZZ_CHECK(strlen(out + HEADROOM) == n);
	back = json_loadb(out + HEADROOM, n, JSON_REJECT_DUPLICATES, &jerr);
	FUZZ_CHECK(back != NULL);
	FUZZ_CHECK(json_equal(back, msg));
	free(out);
	return back;
}

/*
 * Check obj against rules with several "why" buffers: the verdict must
 * not depend on the buffer, and the text must fit and be reply text.
 */
static enum proto_err
check_rules(const json_t *obj, const struct proto_field *rules)
{
	char why[256], tiny[1], small[12];
	enum proto_err err, e2;

	why[0] = '\0';
	err = proto_check_fields(obj, rules, why, sizeof why);
	FUZZ_CHECK(err == PROTO_OK || err == PROTO_E_BAD_REQUEST ||
	    err == PROTO_E_TOO_LARGE);
	FUZZ_CHECK(memchr(why, '\0', sizeof why) != NULL);
	FUZZ_CHECK((err == PROTO_OK) == (why[0] == '\0'));
	FUZZ_CHECK(is_reply_text(why));

	e2 = proto_check_fields(obj, rules, NULL, 0);
	FUZZ_CHECK(e2 == err);
	tiny[0] = 'x';
	e2 = proto_check_fields(obj, rules, tiny, sizeof tiny);
	FUZZ_CHECK(e2 == err);
	FUZZ_CHECK(err == PROTO_OK ? tiny[0] == 'x' : tiny[0] == '\0');
	small[0] = '\0';
	e2 = proto_check_fields(obj, rules, small, sizeof small);
	FUZZ_CHECK(e2 == err);
	FUZZ_CHECK(memchr(small, '\0', sizeof small) != NULL);
	return err;
}

/*
 * After rules passed, what a handler reads with proto_str/proto_int
 * must respect them: present strings within their byte bounds with no
 * NUL inside, integers within theirs.
 */
static void
check_accessors(const json_t *obj, const struct proto_field *rules)
{
	for (const struct proto_field *r = rules; r->name != NULL; r++) {
		json_t *v = json_object_get(obj, r->name);

		if (v == NULL || json_is_null(v)) {
			FUZZ_CHECK(!(r->flags & PF_REQUIRED) || v != NULL);
			continue;
		}
		if (r->type == PF_STRING) {
			const char *s = proto_str(obj, r->name);
			size_t n;

			FUZZ_CHECK(s != NULL);
			n = strlen(s);
			FUZZ_CHECK(n == json_string_length(v));
			FUZZ_CHECK((int64_t)n >= r->min);
			FUZZ_CHECK(r->max <= 0 || (int64_t)n <= r->max);
			if (r->oneof != NULL) {
				const char *const *o = r->oneof;

				while (*o != NULL && strcmp(*o, s) != 0)
					o++;
				FUZZ_CHECK(*o != NULL);
			}
		} else if (r->type == PF_INT) {
			int64_t n = proto_int(obj, r->name, -1);

			FUZZ_CHECK(n >= r->min && n <= r->max);
		}
	}
}

/*
 * A table of rules on obj, then each of its rules alone: a rule that
 * fails early must not hide the paths of the ones after it.
 */
static void
check_table(const json_t *obj, const struct proto_field *rules)
{
	if (check_rules(obj, rules) == PROTO_OK)
		check_accessors(obj, rules);
	for (const struct proto_field *r = rules; r->name != NULL; r++) {
		const struct proto_field one[2] = { *r,
			{ NULL, 0, 0, 0, 0, NULL } };

		if (check_rules(obj, one) == PROTO_OK)
			check_accessors(obj, one);
	}
}

/* The rules of every request type in the table, and ours, on obj. */
static void
check_all_rules(const json_t *obj)
{
	size_t n;
	const struct cmd_entry *t = dispatch_table(&n);

	for (size_t i = 0; i < n; i++)
		check_table(obj, t[i].fields);
	check_table(obj, fuzz_rules);
}

/* Once: every row is found by its name, so names are unique. */
static void
check_table_names(void)
{
	static int done;
	size_t n;
	const struct cmd_entry *t = dispatch_table(&n);

	if (done++)
		return;
	FUZZ_CHECK(n > 0);
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK(dispatch_find(t[i].name) == &t[i]);
}

/* The error reply for a failed message: code, "re" and message. */
static void
check_error_reply(const struct proto_msg *m, enum proto_err err,
    const char *why)
{
	json_t *r = proto_error(m->id, m->has_id, err, why), *back, *re;
	const char *code = json_string_value(json_object_get(r, "code"));

	FUZZ_CHECK(code != NULL && strcmp(code, proto_err_name(err)) == 0);
	FUZZ_CHECK(proto_err_from_name(code) == err);
	/* The decoder's explanation must survive into the reply. */
	FUZZ_CHECK(json_is_string(json_object_get(r, "message")));
	FUZZ_CHECK(strcmp(json_string_value(json_object_get(r, "message")),
	    why) == 0);
	re = json_object_get(r, "re");
	if (m->has_id)
		FUZZ_CHECK(json_integer_value(re) == m->id);
	else
		FUZZ_CHECK(json_is_null(re));
	back = round_trip(r);
	json_decref(back);
	json_decref(r);
}

/* A request that passed: replies built on it, and its round trip. */
static void
check_passed(const struct proto_msg *m, const struct cmd_entry *e)
{
	struct proto_msg m2;
	const struct cmd_entry *e2;
	char why[256] = "";
	json_t *req, *ok, *push, *back;
	size_t n;
	char *out;
	enum proto_err err;

	FUZZ_CHECK(m->has_id && m->id >= 0 && m->id <= PROTO_MAX_ID);
	FUZZ_CHECK(strcmp(e->name, m->type) == 0);
	check_accessors(m->root, e->fields);

	/* The same request, re-encoded, is decoded and passes again. */
	req = proto_request(m->type, m->id, json_deep_copy(m->root));
	out = proto_serialise(req, HEADROOM, &n);
	err = dispatch_parse(out + HEADROOM, n, &m2, &e2, why, sizeof why);
	FUZZ_CHECK(err == PROTO_OK);
	FUZZ_CHECK(e2 == e);
	FUZZ_CHECK(m2.id == m->id && strcmp(m2.type, m->type) == 0);
	FUZZ_CHECK(json_equal(m2.root, req));
	proto_msg_clear(&m2);
	free(out);
	json_decref(req);

	/* A reply and a push carrying the fields keep their envelope. */
	ok = proto_ok(m->id, json_deep_copy(m->root));
	FUZZ_CHECK(strcmp(json_string_value(json_object_get(ok, "type")),
	    "ok") == 0);
	FUZZ_CHECK(json_integer_value(json_object_get(ok, "re")) == m->id);
	back = round_trip(ok);
	json_decref(back);
	json_decref(ok);

	push = proto_push(m->type, json_deep_copy(m->root));
	FUZZ_CHECK(json_object_get(push, "re") == NULL);
	FUZZ_CHECK(strcmp(json_string_value(json_object_get(push, "type")),
	    m->type) == 0);
	back = round_trip(push);
	json_decref(back);
	json_decref(push);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct proto_msg m, m2;
	const struct cmd_entry *e, *e2;
	char why[256];
	enum proto_err err, err2;

	check_table_names();
	why[0] = '\0';
	err = dispatch_parse(buf, size, &m, &e, why, sizeof why);
	FUZZ_CHECK(err >= PROTO_OK && err < PROTO_E__COUNT);
	FUZZ_CHECK(memchr(why, '\0', sizeof why) != NULL);
	FUZZ_CHECK((err == PROTO_OK) == (why[0] == '\0'));
	FUZZ_CHECK(is_reply_text(why));
	/* An entry only once the message decoded and its type is known. */
	FUZZ_CHECK(e == NULL || err == PROTO_OK ||
	    err == PROTO_E_BAD_REQUEST || err == PROTO_E_TOO_LARGE);
	FUZZ_CHECK(err != PROTO_OK || (e != NULL && m.type != NULL));
	FUZZ_CHECK(err != PROTO_E_BAD_JSON || m.root == NULL);
	if (m.type != NULL)
		FUZZ_CHECK(strlen(m.type) >= 1 && strlen(m.type) <= 64);

	/* No buffer for the explanation: the same verdict, the same id. */
	err2 = dispatch_parse(buf, size, &m2, &e2, NULL, 0);
	FUZZ_CHECK(err2 == err && e2 == e);
	FUZZ_CHECK(m2.has_id == m.has_id && m2.id == m.id);
	proto_msg_clear(&m2);

	if (err == PROTO_OK)
		check_passed(&m, e);
	else
		check_error_reply(&m, err, why);

	if (json_is_object(m.root)) {
		const char *key;
		json_t *v;
		size_t k = 0;

		check_all_rules(m.root);
		json_object_foreach(m.root, key, v) {
			if (k++ == NESTED_MAX)
				break;
			if (json_is_object(v))
				check_all_rules(v);
		}
	}
	proto_msg_clear(&m);
	FUZZ_CHECK(m.root == NULL);
	return 0;
}
