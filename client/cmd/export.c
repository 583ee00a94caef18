/*
 * export.c — a session's history as Markdown, JSON, CSV or plain text
 * (see export.h). The reply is read defensively: a missing field prints
 * as "-" rather than crashing, so that a newer server cannot break an
 * older client's export.
 */
#include "export.h"

#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "xmalloc.h"

static const char *
str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s != NULL ? s : "";
}

static long long
num(const json_t *o, const char *k)
{
	return (long long)json_integer_value(json_object_get(o, k));
}

int
export_format_parse(const char *name, enum export_format *f)
{
	if (strcmp(name, "md") == 0 || strcmp(name, "markdown") == 0)
		*f = EXPORT_MD;
	else if (strcmp(name, "json") == 0)
		*f = EXPORT_JSON;
	else if (strcmp(name, "csv") == 0)
		*f = EXPORT_CSV;
	else if (strcmp(name, "text") == 0 || strcmp(name, "txt") == 0)
		*f = EXPORT_TEXT;
	else
		return -1;
	return 0;
}

/* The label of item key in the checklist or red flags, else the key. */
static const char *
item_label(const json_t *h, const char *key)
{
	static const char *const lists[] = { "checklist", "red_flags" };
	size_t i;
	json_t *e;

	if (strcmp(key, "general") == 0)
		return "General";
	for (size_t k = 0; k < 2; k++)
		json_array_foreach(json_object_get(h, lists[k]), i, e)
			if (strcmp(str(e, "key"), key) == 0)
				return str(e, "label");
	return key;
}

static int
in_lists(const json_t *h, const char *key)
{
	return strcmp(key, "general") == 0 || item_label(h, key) != key;
}

static void
overall(const json_t *s, char *buf, size_t len)
{
	json_t *o = json_object_get(s, "overall");

	if (json_is_number(o))
		snprintf(buf, len, "%.2f / 4", json_number_value(o));
	else
		snprintf(buf, len, "not scored");
}

/* What a note records besides its text: "scored 3 (good)", "flagged". */
static void
note_what(const json_t *n, char *buf, size_t len)
{
	json_t *score = json_object_get(n, "score");
	json_t *flag = json_object_get(n, "flag");

	if (json_is_integer(score))
		snprintf(buf, len, "scored %lld (%s)",
		    (long long)json_integer_value(score),
		    fmt_score_name((int)json_integer_value(score)));
	else if (json_is_boolean(flag))
		snprintf(buf, len, "%s", json_is_true(flag) ? "flagged" :
		    "flag cleared");
	else
		buf[0] = '\0';
}

static const char *
peer_name(const json_t *s, const char *side)
{
	return str(json_object_get(s, side), "username");
}

/* ---- Markdown ---- */

/* Text in a table cell: no pipes, no line breaks. */
static void
md_cell(FILE *out, const char *s)
{
	for (; *s != '\0'; s++) {
		if (*s == '|')
			fputs("\\|", out);
		else if (*s == '\n')
			fputs("<br>", out);
		else if (*s != '\r')
			fputc(*s, out);
	}
}

/*
 * Free text keeping its lines: Markdown joins lines into a paragraph
 * unless they end in two spaces; continuation lines get indent (to stay
 * in a list item or a quote).
 */
static void
md_indented(FILE *out, const char *s, const char *indent)
{
	for (; *s != '\0'; s++) {
		if (*s == '\r')
			continue;
		if (*s == '\n' && s[1] != '\0') {
			fputs("  \n", out);
			fputs(indent, out);
			continue;
		}
		fputc(*s, out);
	}
}

static void
md_quote(FILE *out, const char *s)
{
	fputs("> ", out);
	md_indented(out, s, "> ");
	fputc('\n', out);
}

static void
md_notes_of(FILE *out, const json_t *h, const char *key, const char *title)
{
	size_t i;
	json_t *n;
	int any = 0;

	json_array_foreach(json_object_get(h, "notes"), i, n) {
		char when[16], what[64];

		if (strcmp(str(n, "item"), key) != 0)
			continue;
		if (!any)
			fprintf(out, "### %s\n\n", title);
		any = 1;
		note_what(n, what, sizeof what);
		fprintf(out, "- %s — ", fmt_clock(num(n, "at"), when,
		    sizeof when));
		if (what[0] != '\0')
			fprintf(out, "*%s*%s", what, str(n, "text")[0] ?
			    ": " : "");
		md_indented(out, str(n, "text"), "  ");
		fputc('\n', out);
	}
	if (any)
		fputc('\n', out);
}

static void
export_md(FILE *out, const json_t *h)
{
	const json_t *s = json_object_get(h, "session");
	const json_t *q = json_object_get(h, "question");
	json_t *e, *fb = json_object_get(h, "feedback");
	char t1[32], t2[32], ov[32];
	size_t i;
	int any;

	overall(s, ov, sizeof ov);
	fprintf(out, "# Mock interview: %s\n\n", str(q, "title"));
	fprintf(out, "- **Session:** %lld (%s), %s to %s\n", num(s,
	    "session_id"), str(s, "origin"), fmt_time(num(s, "started_at"),
	    t1, sizeof t1), fmt_time(num(s, "ended_at"), t2, sizeof t2));
	fprintf(out, "- **Interviewer:** %s · **Candidate:** %s\n",
	    peer_name(s, "interviewer"), peer_name(s, "candidate"));
	fprintf(out, "- **Outcome:** %s · **Overall:** %s\n\n",
	    str(s, "reason")[0] ? str(s, "reason") : str(s, "phase"), ov);

	fprintf(out, "## Question\n\n**%s** — %s, %s", str(q, "title"),
	    str(q, "category"), str(q, "difficulty"));
	if (str(q, "company")[0])
		fprintf(out, ", %s", str(q, "company"));
	if (str(q, "round")[0])
		fprintf(out, ", %s", str(q, "round"));
	fputs("\n\n", out);
	md_quote(out, str(q, "prompt"));
	if (str(q, "quick_answer")[0]) {
		fputs("\n### Quick answer\n\n", out);
		md_indented(out, str(q, "quick_answer"), "");
		fputc('\n', out);
	}
	if (str(q, "model_answer")[0]) {
		fputs("\n### Model answer\n\n", out);
		md_indented(out, str(q, "model_answer"), "");
		fputc('\n', out);
	}

	fputs("\n## Scores\n\n| Item | Score |\n| --- | --- |\n", out);
	json_array_foreach(json_object_get(h, "checklist"), i, e) {
		json_t *sc = json_object_get(e, "score");

		fputs("| ", out);
		md_cell(out, str(e, "label"));
		if (json_is_integer(sc))
			fprintf(out, " | %lld (%s) |\n",
			    (long long)json_integer_value(sc),
			    fmt_score_name((int)json_integer_value(sc)));
		else
			fputs(" | – |\n", out);
	}
	fprintf(out, "| **Overall** | **%s** |\n\n**Red flags:** ", ov);
	any = 0;
	json_array_foreach(json_object_get(h, "red_flags"), i, e)
		if (json_is_true(json_object_get(e, "flagged")))
			fprintf(out, "%s%s", any++ ? "; " : "",
			    str(e, "label"));
	fputs(any ? "\n\n" : "none\n\n", out);

	fputs("## Notes\n\n", out);
	if (json_array_size(json_object_get(h, "notes")) == 0)
		fputs("No notes.\n\n", out);
	json_array_foreach(json_object_get(h, "checklist"), i, e)
		md_notes_of(out, h, str(e, "key"), str(e, "label"));
	json_array_foreach(json_object_get(h, "red_flags"), i, e)
		md_notes_of(out, h, str(e, "key"), str(e, "label"));
	md_notes_of(out, h, "general", "General");
	/* Notes on items this client does not know still appear. */
	json_array_foreach(json_object_get(h, "notes"), i, e)
		if (!in_lists(h, str(e, "item")))
			md_notes_of(out, h, str(e, "item"), str(e, "item"));

	fputs("## Chat\n\n", out);
	if (json_array_size(json_object_get(h, "chat")) == 0)
		fputs("No messages.\n", out);
	json_array_foreach(json_object_get(h, "chat"), i, e) {
		fprintf(out, "- **%s** (%s): ", str(e, "username"),
		    fmt_clock(num(e, "at"), t1, sizeof t1));
		md_indented(out, str(e, "text"), "  ");
		fputc('\n', out);
	}
	if (json_is_object(fb)) {
		fprintf(out, "\n## Feedback on the interviewing\n\n%lld / 4",
		    num(fb, "rating"));
		if (str(fb, "text")[0]) {
			fputs(": ", out);
			md_indented(out, str(fb, "text"), "");
		}
		fputc('\n', out);
	}
	fputs("\n## Timeline\n\n| Phase | Started | Ended |\n"
	    "| --- | --- | --- |\n", out);
	json_array_foreach(json_object_get(h, "phases"), i, e)
		fprintf(out, "| %s | %s | %s |\n", str(e, "phase"),
		    fmt_time(num(e, "started_at"), t1, sizeof t1),
		    fmt_time(num(e, "ended_at"), t2, sizeof t2));
}

/* ---- JSON and CSV ---- */

static void
export_json(FILE *out, const json_t *h)
{
	json_t *copy = json_deep_copy(h);

	/* The envelope is transport, not history. */
	json_object_del(copy, "type");
	json_object_del(copy, "re");
	json_dumpf(copy, out, JSON_INDENT(2));
	fputc('\n', out);
	json_decref(copy);
}

void
export_csv_field(FILE *out, const char *s)
{
	if (strpbrk(s, ",\"\r\n") == NULL) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s != '\0'; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

static void
export_csv(FILE *out, const json_t *h)
{
	long long sid = num(json_object_get(h, "session"), "session_id");
	size_t i;
	json_t *n;

	/* RFC 4180: CRLF after every record, the header included. */
	fputs("session_id,note_id,at,item,item_label,score,flag,text\r\n",
	    out);
	json_array_foreach(json_object_get(h, "notes"), i, n) {
		json_t *score = json_object_get(n, "score");
		json_t *flag = json_object_get(n, "flag");
		char at[32];

		fprintf(out, "%lld,%lld,", sid, num(n, "note_id"));
		export_csv_field(out, fmt_time_iso(num(n, "at"), at,
		    sizeof at));
		fputc(',', out);
		export_csv_field(out, str(n, "item"));
		fputc(',', out);
		export_csv_field(out, item_label(h, str(n, "item")));
		fputc(',', out);
		if (json_is_integer(score))
			fprintf(out, "%lld", (long long)json_integer_value(
			    score));
		fputc(',', out);
		if (json_is_boolean(flag))
			fputs(json_is_true(flag) ? "true" : "false", out);
		fputc(',', out);
		export_csv_field(out, str(n, "text"));
		fputs("\r\n", out);
	}
}

/* ---- plain text, for the terminal ---- */

static void
text_indented(FILE *out, const char *s, const char *indent)
{
	fputs(indent, out);
	for (; *s != '\0'; s++) {
		fputc(*s, out);
		if (*s == '\n' && s[1] != '\0')
			fputs(indent, out);
	}
	fputc('\n', out);
}

static void
text_notes_of(FILE *out, const json_t *h, const char *key, const char *title)
{
	size_t i;
	json_t *n;
	int any = 0;

	json_array_foreach(json_object_get(h, "notes"), i, n) {
		char when[16], what[64], *line;

		if (strcmp(str(n, "item"), key) != 0)
			continue;
		if (!any)
			fprintf(out, "  %s\n", title);
		any = 1;
		note_what(n, what, sizeof what);
		line = xasprintf("%s%s%s", what, what[0] && str(n, "text")[0] ?
		    ": " : "", str(n, "text"));
		fprintf(out, "    %s  ", fmt_clock(num(n, "at"), when,
		    sizeof when));
		text_indented(out, line, "");
		free(line);
	}
}

static void
export_text(FILE *out, const json_t *h)
{
	const json_t *s = json_object_get(h, "session");
	const json_t *q = json_object_get(h, "question");
	json_t *e, *fb = json_object_get(h, "feedback");
	char t1[32], ov[32], pad[128];
	size_t i;
	int any = 0;

	overall(s, ov, sizeof ov);
	fprintf(out, "Session %lld · %s · %s · overall %s\n", num(s,
	    "session_id"), fmt_time(num(s, "started_at"), t1, sizeof t1),
	    str(s, "reason")[0] ? str(s, "reason") : str(s, "phase"), ov);
	fprintf(out, "Interviewer %s · candidate %s (you were the %s)\n\n",
	    peer_name(s, "interviewer"), peer_name(s, "candidate"),
	    str(s, "role"));
	fprintf(out, "Question: %s (%s, %s)\n\n", str(q, "title"),
	    str(q, "category"), str(q, "difficulty"));
	text_indented(out, str(q, "prompt"), "  ");
	if (str(q, "model_answer")[0]) {
		fputs("\nModel answer\n", out);
		text_indented(out, str(q, "model_answer"), "  ");
	}
	fputs("\nScores\n", out);
	json_array_foreach(json_object_get(h, "checklist"), i, e) {
		json_t *sc = json_object_get(e, "score");

		if (json_is_integer(sc))
			fprintf(out, "  %lld %s  %s\n",
			    (long long)json_integer_value(sc), fmt_pad(
			    fmt_score_name((int)json_integer_value(sc)), 9,
			    pad, sizeof pad), str(e, "label"));
		else
			fprintf(out, "  -            %s\n", str(e, "label"));
	}
	fputs("Red flags: ", out);
	json_array_foreach(json_object_get(h, "red_flags"), i, e)
		if (json_is_true(json_object_get(e, "flagged")))
			fprintf(out, "%s%s", any++ ? "; " : "",
			    str(e, "label"));
	fputs(any ? "\n" : "none\n", out);

	fputs("\nNotes\n", out);
	if (json_array_size(json_object_get(h, "notes")) == 0)
		fputs("  (none)\n", out);
	json_array_foreach(json_object_get(h, "checklist"), i, e)
		text_notes_of(out, h, str(e, "key"), str(e, "label"));
	json_array_foreach(json_object_get(h, "red_flags"), i, e)
		text_notes_of(out, h, str(e, "key"), str(e, "label"));
	text_notes_of(out, h, "general", "General");
	json_array_foreach(json_object_get(h, "notes"), i, e)
		if (!in_lists(h, str(e, "item")))
			text_notes_of(out, h, str(e, "item"), str(e, "item"));

	fputs("\nChat\n", out);
	if (json_array_size(json_object_get(h, "chat")) == 0)
		fputs("  (none)\n", out);
	json_array_foreach(json_object_get(h, "chat"), i, e) {
		char *line = xasprintf("%s: %s", str(e, "username"),
		    str(e, "text"));

		fprintf(out, "  %s  ", fmt_clock(num(e, "at"), t1,
		    sizeof t1));
		text_indented(out, line, "");
		free(line);
	}
	if (json_is_object(fb)) {
		fprintf(out, "\nFeedback on the interviewing: %lld / 4%s%s\n",
		    num(fb, "rating"), str(fb, "text")[0] ? ": " : "",
		    str(fb, "text"));
	}
}

int
export_write(FILE *out, const json_t *h, enum export_format f)
{
	switch (f) {
	case EXPORT_MD:
		export_md(out, h);
		break;
	case EXPORT_JSON:
		export_json(out, h);
		break;
	case EXPORT_CSV:
		export_csv(out, h);
		break;
	case EXPORT_TEXT:
		export_text(out, h);
		break;
	}
	return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}
