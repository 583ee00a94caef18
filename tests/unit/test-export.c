/*
 * test-export.c — a session's history exported: the Markdown report has
 * its sections with each note under its checklist item, the JSON parses
 * back into the reply, and the CSV parses back field for field with an
 * RFC 4180 reader even with commas, quotes and newlines in notes. The
 * Markdown and plain-text reports of the fixtures in tests/fixtures/export
 * (a full session, a sparse one, odd and missing fields) match their
 * expected files byte for byte. What a peer wrote reaches no terminal
 * raw: escapes and controls are gone from the reports and the CSV, and
 * the JSON keeps them as \u escapes. Also the small formatters those use
 * (sparkline, durations).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "export.h"
#include "fmt.h"
#include "sanitize.h"

static const char *reply_text =
    "{\"type\":\"ok\",\"re\":4,"
    "\"session\":{\"session_id\":42,\"origin\":\"queue\",\"phase\":\"done\","
    "\"reason\":\"completed\",\"started_at\":1764185820123,"
    "\"ended_at\":1764186900000,\"role\":\"candidate\","
    "\"interviewer\":{\"user_id\":1,\"username\":\"alice\"},"
    "\"candidate\":{\"user_id\":2,\"username\":\"bob\"},\"overall\":3.5},"
    "\"phases\":[{\"phase\":\"prep\",\"started_at\":1764185820123,"
    "\"ended_at\":1764185880123},{\"phase\":\"done\",\"started_at\":"
    "1764186900000,\"ended_at\":null}],"
    "\"question\":{\"id\":\"q1\",\"title\":\"Own a | problem\","
    "\"prompt\":\"Tell me about\\na time.\",\"category\":\"Behavioral\","
    "\"difficulty\":\"medium\",\"company\":\"\",\"role\":\"\",\"round\":\"\","
    "\"quick_answer\":\"Ownership.\",\"model_answer\":\"The invoice job.\"},"
    "\"checklist\":[{\"key\":\"situation\",\"label\":\"Situation\","
    "\"score\":3},{\"key\":\"action\",\"label\":\"Action\",\"score\":4},"
    "{\"key\":\"result\",\"label\":\"Result\",\"score\":null}],"
    "\"red_flags\":[{\"key\":\"hero\",\"label\":\"Hero story\","
    "\"flagged\":true}],"
    "\"notes\":["
    "{\"note_id\":1,\"item\":\"situation\",\"text\":\"context, then \\\"why\\\"\","
    "\"score\":3,\"flag\":null,\"at\":1764185900000,\"client_id\":\"a\"},"
    "{\"note_id\":2,\"item\":\"action\",\"text\":\"line one\\nline two, \\\"quoted\\\"\","
    "\"score\":null,\"flag\":null,\"at\":1764185960000,\"client_id\":\"b\"},"
    "{\"note_id\":3,\"item\":\"action\",\"text\":\"\",\"score\":4,"
    "\"flag\":null,\"at\":1764185970000,\"client_id\":null},"
    "{\"note_id\":4,\"item\":\"hero\",\"text\":\"all \\\"I\\\"\",\"score\":null,"
    "\"flag\":true,\"at\":1764185980000,\"client_id\":\"d\"},"
    "{\"note_id\":5,\"item\":\"general\",\"text\":\"café, naïve → ok\\r\\nend\","
    "\"score\":null,\"flag\":null,\"at\":1764185990000,\"client_id\":\"e\"}"
    "],"
    "\"chat\":[{\"from\":2,\"username\":\"bob\",\"text\":\"can you hear me?\","
    "\"at\":1764185830000},{\"from\":1,\"username\":\"alice\",\"text\":"
    "\"yes, go ahead\",\"at\":1764185840000}],"
    "\"feedback\":{\"rating\":4,\"text\":\"great questions\",\"at\":1},"
    "\"swap\":{\"of\":null,\"next\":null}}";

static json_t *
reply(void)
{
	json_error_t e;
	json_t *j = json_loads(reply_text, 0, &e);

	if (j == NULL)
		fail_msg("fixture: %s", e.text);
	return j;
}

/* Export h as f into a new string. */
static char *
export_to_string(const json_t *h, enum export_format f, size_t *len)
{
	/*
	 * The stream's buffer pointer lives on the heap: with it on the
	 * stack, gcc -O2 inlines this and warns (wrongly) that the string
	 * returned dangles.
	 */
	char **bufp = calloc(1, sizeof *bufp), *buf;
	size_t n = 0;
	FILE *out = open_memstream(bufp, &n);

	assert_non_null(out);
	assert_int_equal(export_write(out, h, f), 0);
	fclose(out);
	buf = *bufp;
	free(bufp);
	if (len != NULL)
		*len = n;
	return buf;
}

static const char *
after(const char *hay, const char *needle)
{
	const char *p = strstr(hay, needle);

	if (p == NULL)
		fail_msg("missing \"%s\" in:\n%s", needle, hay);
	return p;
}

/* needle occurs in hay before limit. */
static void
before(const char *hay, const char *needle, const char *limit)
{
	const char *p = strstr(hay, needle);

	if (p == NULL || p >= limit)
		fail_msg("\"%s\" is not in its section:\n%.*s", needle,
		    (int)(limit - hay), hay);
}

static void
test_markdown_sections(void **state)
{
	json_t *h = reply();
	char *md = export_to_string(h, EXPORT_MD, NULL);
	const char *q, *scores, *notes, *chat, *sit, *act, *gen, *hero;

	assert_true(strncmp(md, "# Mock interview: Own a | problem\n", 34) ==
	    0);
	after(md, "**Interviewer:** alice");
	after(md, "**Candidate:** bob");
	after(md, "**Overall:** 3.50 / 4");
	q = after(md, "## Question");
	/* The prompt is a quote block, its second line too. */
	after(q, "> Tell me about  \n> a time.");
	after(q, "### Model answer\n\nThe invoice job.");
	scores = after(md, "## Scores");
	/* Pipes in cells are escaped so the table holds. */
	after(scores, "| Situation | 3 (good) |");
	after(scores, "| Action | 4 (strong) |");
	after(scores, "| Result | – |");
	after(scores, "| **Overall** | **3.50 / 4** |");
	after(scores, "**Red flags:** Hero story");
	notes = after(md, "## Notes");
	chat = after(md, "## Chat");
	assert_true(q < scores && scores < notes && notes < chat);

	/* Each note under its own item, in checklist order. */
	sit = after(notes, "### Situation");
	act = after(notes, "### Action");
	hero = after(notes, "### Hero story");
	gen = after(notes, "### General");
	assert_true(sit < act && act < hero && hero < gen && gen < chat);
	before(sit, "context, then \"why\"", act);
	/* A multi-line note stays inside its list item. */
	before(act, "line one  \n  line two", hero);
	before(act, "*scored 4 (strong)*", hero);
	before(hero, "*flagged*: all \"I\"", gen);
	after(gen, "café, naïve → ok");
	/* No "### Result": it has no notes. */
	assert_null(strstr(notes, "### Result"));

	after(chat, "- **bob** (");
	after(chat, "): can you hear me?");
	after(chat, "yes, go ahead");
	after(md, "## Feedback on the interviewing\n\n4 / 4: great questions");
	after(md, "## Timeline");
	free(md);
	json_decref(h);
}

static void
test_json_parses_back(void **state)
{
	json_t *h = reply(), *back, *want;
	json_error_t e;
	char *text = export_to_string(h, EXPORT_JSON, NULL);

	back = json_loads(text, 0, &e);
	if (back == NULL)
		fail_msg("export is not JSON: %s", e.text);
	/* The reply itself, without the envelope. */
	want = json_deep_copy(h);
	json_object_del(want, "type");
	json_object_del(want, "re");
	assert_true(json_equal(back, want));
	assert_null(json_object_get(back, "re"));
	free(text);
	json_decref(back);
	json_decref(want);
	json_decref(h);
}

/*
 * A strict RFC 4180 reader: records end with CRLF; a field is quoted
 * ("" inside for a quote) or bare (no comma, quote, CR, LF). Fills
 * rows[r][c] with new strings; returns the number of rows, -1 if the text
 * breaks the rules.
 */
#define MAXR 16
#define MAXC 10
static int
csv_parse(const char *s, size_t len, char *rows[MAXR][MAXC], int *ncols)
{
	size_t i = 0;
	int r = 0, c = 0;

	while (i < len) {
		char field[1024];
		size_t n = 0;

		if (s[i] == '"') {
			for (i++;; i++) {
				if (i >= len)
					return -1;
				if (s[i] == '"') {
					if (i + 1 < len && s[i + 1] == '"') {
						field[n++] = '"';
						i++;
						continue;
					}
					i++;
					break;
				}
				field[n++] = s[i];
			}
		} else {
			while (i < len && s[i] != ',' && s[i] != '\r') {
				if (s[i] == '"' || s[i] == '\n')
					return -1;
				field[n++] = s[i++];
			}
		}
		field[n] = '\0';
		if (r >= MAXR || c >= MAXC)
			return -1;
		rows[r][c++] = strdup(field);
		if (i < len && s[i] == ',') {
			i++;
			continue;
		}
		if (i + 1 < len && s[i] == '\r' && s[i + 1] == '\n') {
			i += 2;
			ncols[r++] = c;
			c = 0;
			continue;
		}
		return -1;	/* a record must end in CRLF */
	}
	return c == 0 ? r : -1;
}

static void
test_csv_parses_back(void **state)
{
	json_t *h = reply(), *n;
	size_t len, i;
	char *csv = export_to_string(h, EXPORT_CSV, &len);
	char *rows[MAXR][MAXC];
	int ncols[MAXR], nrows;

	memset(rows, 0, sizeof rows);
	nrows = csv_parse(csv, len, rows, ncols);
	if (nrows < 0)
		fail_msg("not RFC 4180:\n%s", csv);
	assert_int_equal(nrows, 1 + 5);
	assert_string_equal(rows[0][0], "session_id");
	assert_string_equal(rows[0][7], "text");
	json_array_foreach(json_object_get(h, "notes"), i, n) {
		char **row = rows[i + 1];

		assert_int_equal(ncols[i + 1], 8);
		assert_string_equal(row[0], "42");
		assert_int_equal(atoll(row[1]), json_integer_value(
		    json_object_get(n, "note_id")));
		assert_string_equal(row[3], json_string_value(
		    json_object_get(n, "item")));
		/* The text comes back as written, less what a terminal
		 * would act on (a CR, here). */
		char *want = sanitize_text(json_string_value(
		    json_object_get(n, "text")), SANITIZE_MULTILINE);

		assert_string_equal(row[7], want);
		free(want);
	}
	assert_string_equal(rows[1][4], "Situation");
	assert_string_equal(rows[1][5], "3");
	assert_string_equal(rows[1][6], "");
	assert_string_equal(rows[4][4], "Hero story");
	assert_string_equal(rows[4][6], "true");
	assert_string_equal(rows[5][4], "General");
	assert_string_equal(rows[2][2], "2025-11-26T19:39:20Z");
	for (int r = 0; r < MAXR; r++)
		for (int c = 0; c < MAXC; c++)
			free(rows[r][c]);
	free(csv);
	json_decref(h);
}

static void
test_csv_field_quoting(void **state)
{
	char *buf = NULL;
	size_t n = 0;
	FILE *out = open_memstream(&buf, &n);

	export_csv_field(out, "plain");
	fputc('|', out);
	export_csv_field(out, "a,b");
	fputc('|', out);
	export_csv_field(out, "say \"hi\"");
	fputc('|', out);
	export_csv_field(out, "two\nlines");
	fputc('|', out);
	export_csv_field(out, "");
	fputc('|', out);
	/* OWASP's formula starts are defused; inside a cell they are text. */
	export_csv_field(out, "=HYPERLINK(\"x\")");
	fputc('|', out);
	export_csv_field(out, "@SUM(A1)");
	fputc('|', out);
	export_csv_field(out, "-1");
	fputc('|', out);
	export_csv_field(out, "a=b+c");
	fclose(out);
	assert_string_equal(buf, "plain|\"a,b\"|\"say \"\"hi\"\"\"|"
	    "\"two\nlines\"||\"'=HYPERLINK(\"\"x\"\")\"|'@SUM(A1)|'-1|a=b+c");
	free(buf);
}

static void
test_text_report(void **state)
{
	json_t *h = reply();
	char *t = export_to_string(h, EXPORT_TEXT, NULL);

	after(t, "Session 42");
	after(t, "overall 3.50 / 4");
	after(t, "Question: Own a | problem (Behavioral, medium)");
	after(t, "3 good");
	after(t, "Red flags: Hero story");
	after(after(t, "  Action\n"), "line one\nline two");
	after(t, "alice: yes, go ahead");
	after(t, "Feedback on the interviewing: 4 / 4: great questions");
	free(t);
	json_decref(h);
}

/* The whole of a fixture file, or a failed test. */
static char *
fixture(const char *name, size_t *len)
{
	const char *src = getenv("MOCKINT_SOURCE_DIR");
	char path[1024];
	char *buf;
	FILE *f;
	long n;

	snprintf(path, sizeof path, "%s/tests/fixtures/export/%s",
	    src != NULL ? src : ".", name);
	if ((f = fopen(path, "rb")) == NULL)
		fail_msg("cannot read %s (is MOCKINT_SOURCE_DIR set?)", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static void
expect_export(const json_t *h, enum export_format f, const char *want_file)
{
	size_t got_len, want_len;
	char *got = export_to_string(h, f, &got_len);
	char *want = fixture(want_file, &want_len);

	if (got_len != want_len || memcmp(got, want, want_len) != 0)
		fail_msg("export differs from %s; got:\n%s", want_file, got);
	free(got);
	free(want);
}

static void
test_reports_byte_for_byte(void **state)
{
	static const char *const names[] = { "full", "sparse", "edge" };

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		char file[64];
		size_t len;
		char *text;
		json_error_t e;
		json_t *h;

		snprintf(file, sizeof file, "%s.json", names[i]);
		text = fixture(file, &len);
		if ((h = json_loadb(text, len, 0, &e)) == NULL)
			fail_msg("%s: %s", file, e.text);
		snprintf(file, sizeof file, "%s.md", names[i]);
		expect_export(h, EXPORT_MD, file);
		snprintf(file, sizeof file, "%s.txt", names[i]);
		expect_export(h, EXPORT_TEXT, file);
		json_decref(h);
		free(text);
	}
}

static void
test_formatters(void **state)
{
	double v[] = { 1, 2.5, 4, 0, 9 };
	char buf[64];

	assert_string_equal(fmt_sparkline(v, 5, 1, 4, buf, sizeof buf),
	    "▁▅█▁█");
	/* A short buffer cuts whole bars, never half a character. */
	assert_string_equal(fmt_sparkline(v, 5, 1, 4, buf, 8), "▁▅");
	assert_string_equal(fmt_duration(59000, buf, sizeof buf), "0:59");
	assert_string_equal(fmt_duration(1, buf, sizeof buf), "0:01");
	assert_string_equal(fmt_duration(0, buf, sizeof buf), "0:00");
	assert_string_equal(fmt_duration(3723000, buf, sizeof buf),
	    "1:02:03");
	assert_string_equal(fmt_duration(-1, buf, sizeof buf), "-");
	assert_string_equal(fmt_score_name(3), "good");
	assert_string_equal(fmt_score_name(5), "");
}

static void
test_peer_escapes(void **state)
{
	/* A peer's chat, note, feedback and name, each with escapes that
	 * retitle the window, clear the screen, or hide as C1 controls. */
	json_t *h = json_pack("{s:s,s:{s:I,s:s,s:{s:s},s:{s:s}},s:[{s:s,s:I,"
	    "s:s,s:s}],s:[{s:s,s:I,s:s}],s:{s:i,s:s}}", "type", "ok",
	    "session", "session_id", (json_int_t)7, "phase", "done",
	    "interviewer", "username", "eve\x1b]0;owned\x07",
	    "candidate", "username", "bob",
	    "notes", "item", "general", "at", (json_int_t)1764185880123,
	    "text", "fine\x1b[2J\x1b[Hnote", "client_id", "n1",
	    "chat", "username", "eve", "at", (json_int_t)1764185890123,
	    "text", "hi\xc2\x9b" "31mred\r\x07",
	    "feedback", "rating", 3, "text", "ok\x1b]52;c;Zm9v\x07!");
	static const enum export_format printed[] = { EXPORT_MD, EXPORT_TEXT,
		EXPORT_CSV };
	char *out;

	assert_non_null(h);
	for (size_t i = 0; i < 3; i++) {
		out = export_to_string(h, printed[i], NULL);
		assert_null(strchr(out, 0x1b));
		assert_null(strchr(out, 0x07));
		assert_null(strstr(out, "\xc2\x9b"));
		assert_null(strstr(out, "owned"));
		assert_null(strstr(out, "Zm9v"));
		if (printed[i] != EXPORT_CSV)
			assert_non_null(strstr(out, "eve"));
		assert_non_null(strstr(out, "finenote"));
		/* CSV ends its records in CRLF; the reports have no CR. */
		if (printed[i] != EXPORT_CSV)
			assert_null(strchr(out, '\r'));
		free(out);
	}
	/* JSON keeps every byte, as escapes a terminal does not act on. */
	out = export_to_string(h, EXPORT_JSON, NULL);
	assert_null(strchr(out, 0x1b));
	assert_null(strstr(out, "\xc2\x9b"));
	assert_non_null(strstr(out, "eve\\u001B]0;owned\\u0007"));
	assert_non_null(strstr(out, "hi\\u009B31mred\\r\\u0007"));
	free(out);
	json_decref(h);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_markdown_sections),
		cmocka_unit_test(test_json_parses_back),
		cmocka_unit_test(test_csv_parses_back),
		cmocka_unit_test(test_csv_field_quoting),
		cmocka_unit_test(test_text_report),
		cmocka_unit_test(test_reports_byte_for_byte),
		cmocka_unit_test(test_formatters),
		cmocka_unit_test(test_peer_escapes),
	};

	/* Times print in UTC so that the expectations hold anywhere. */
	setenv("TZ", "UTC", 1);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
