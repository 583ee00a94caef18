/*
 * export.c — a session's history as Markdown, JSON, CSV or plain text
 * (see export.h). The Markdown and plain-text reports are one walk over
 * the history (report()) with a renderer each. The reply is read
 * defensively: a missing field prints as "-" rather than crashing, so
 * that a newer server cannot break an older client's export.
 */
#include "export.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ansi.h"
#include "cmd.h"
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

	if (json_is_integer(score) && json_integer_value(score) == 0)
		snprintf(buf, len, "score cleared");
	else if (json_is_integer(score))
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

/* Why the session ended, or the phase it is in. */
static const char *
outcome(const json_t *s)
{
	return str(s, "reason")[0] ? fmt_reason(str(s, "reason")) :
	    str(s, "phase");
}

/* ---- the two reports: one walk, two renderers ---- */

/*
 * How a report writes each part of the history. The walk (report()) is
 * the same for both: the header and question, a row per checklist item,
 * the red flags, the notes grouped under their items, the chat, the
 * feedback; the strings are written as they are, the callbacks get the
 * fields already read.
 */
struct renderer {
	/* The session, the people and the question (overall: "3.50 / 4"). */
	void		(*head)(FILE *out, const json_t *h, const char *overall);
	const char	*scores;	/* the scores' heading */
	/* One checklist item, and its score if it has one. */
	void		(*score)(FILE *out, const char *label, int scored,
			    long long score);
	/* After the rows (NULL: nothing). */
	void		(*scores_end)(FILE *out, const char *overall);
	/* Before, and after or instead of, the flagged labels. */
	const char	*flags, *flags_end, *flags_none;
	const char	*notes, *notes_none;
	/* An item's notes: title between pre and post, end after them. */
	const char	*group_pre, *group_post, *group_end;
	/* One note: when it was, what it records ("" if only text). */
	void		(*note)(FILE *out, const char *when, const char *what,
			    const char *text);
	const char	*chat, *chat_none;
	void		(*chat_line)(FILE *out, const char *when,
			    const char *username, const char *text);
	void		(*feedback)(FILE *out, long long rating,
			    const char *text);
	void		(*tail)(FILE *out, const json_t *h);	/* or NULL */
};

/* The notes on item key, under title, if there are any. */
static void
report_notes_of(FILE *out, const json_t *h, const char *key,
    const char *title, const struct renderer *r)
{
	size_t i;
	json_t *n;
	int any = 0;

	json_array_foreach(json_object_get(h, "notes"), i, n) {
		char when[16], what[64];

		if (strcmp(str(n, "item"), key) != 0)
			continue;
		if (!any)
			fprintf(out, "%s%s%s", r->group_pre, title,
			    r->group_post);
		any = 1;
		note_what(n, what, sizeof what);
		r->note(out, fmt_clock(num(n, "at"), when, sizeof when), what,
		    str(n, "text"));
	}
	if (any)
		fputs(r->group_end, out);
}

/* Whether no note before the i-th of notes is on the same item. */
static int
first_on_item(const json_t *notes, size_t i)
{
	const char *item = str(json_array_get(notes, i), "item");

	for (size_t j = 0; j < i; j++)
		if (strcmp(str(json_array_get(notes, j), "item"), item) == 0)
			return 0;
	return 1;
}

/* Each item's notes in checklist order, then red flags, general, others. */
static void
report_notes(FILE *out, const json_t *h, const struct renderer *r)
{
	static const char *const lists[] = { "checklist", "red_flags" };
	size_t i;
	json_t *e;

	fputs(r->notes, out);
	if (json_array_size(json_object_get(h, "notes")) == 0)
		fputs(r->notes_none, out);
	for (size_t k = 0; k < 2; k++)
		json_array_foreach(json_object_get(h, lists[k]), i, e)
			report_notes_of(out, h, str(e, "key"), str(e, "label"),
			    r);
	report_notes_of(out, h, "general", "General", r);
	/* Notes on items this client does not know still appear, once. */
	json_array_foreach(json_object_get(h, "notes"), i, e)
		if (!in_lists(h, str(e, "item")) &&
		    first_on_item(json_object_get(h, "notes"), i))
			report_notes_of(out, h, str(e, "item"), str(e, "item"),
			    r);
}

static void
report(FILE *out, const json_t *h, const struct renderer *r)
{
	json_t *e, *sc, *fb = json_object_get(h, "feedback");
	char ov[32], when[16];
	size_t i;
	int any = 0;

	overall(json_object_get(h, "session"), ov, sizeof ov);
	r->head(out, h, ov);
	fputs(r->scores, out);
	json_array_foreach(json_object_get(h, "checklist"), i, e) {
		sc = json_object_get(e, "score");
		r->score(out, str(e, "label"), json_is_integer(sc),
		    (long long)json_integer_value(sc));
	}
	if (r->scores_end != NULL)
		r->scores_end(out, ov);
	fputs(r->flags, out);
	json_array_foreach(json_object_get(h, "red_flags"), i, e)
		if (json_is_true(json_object_get(e, "flagged")))
			fprintf(out, "%s%s", any++ ? "; " : "",
			    str(e, "label"));
	fputs(any ? r->flags_end : r->flags_none, out);
	report_notes(out, h, r);
	fputs(r->chat, out);
	if (json_array_size(json_object_get(h, "chat")) == 0)
		fputs(r->chat_none, out);
	json_array_foreach(json_object_get(h, "chat"), i, e)
		r->chat_line(out, fmt_clock(num(e, "at"), when, sizeof when),
		    str(e, "username"), str(e, "text"));
	if (json_is_object(fb))
		r->feedback(out, num(fb, "rating"), str(fb, "text"));
	if (r->tail != NULL)
		r->tail(out, h);
}

/* ---- Markdown ---- */

/*
 * Every '<' of the record's text, a peer's and the bank's alike, as
 * "&lt;" (export_write applies it to the whole record before the
 * Markdown report): a Markdown viewer shows the '<' typed, and nobody's
 * text becomes an HTML tag in the reader's viewer.
 */
static char *
md_escaped(const char *s)
{
	size_t n = 0;
	char *out, *o;

	for (const char *p = s; *p != '\0'; p++)
		n += *p == '<';
	if (n == 0)
		return NULL;
	out = o = xmalloc(strlen(s) + 3 * n + 1);
	for (; *s != '\0'; s++) {
		if (*s == '<') {
			memcpy(o, "&lt;", 4);
			o += 4;
		} else
			*o++ = *s;
	}
	*o = '\0';
	return out;
}

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

/* A "### title" section of free text, if there is any. */
static void
md_section(FILE *out, const char *title, const char *text)
{
	if (text[0] == '\0')
		return;
	fprintf(out, "\n### %s\n\n", title);
	md_indented(out, text, "");
	fputc('\n', out);
}

static void
md_head(FILE *out, const json_t *h, const char *ov)
{
	const json_t *s = json_object_get(h, "session");
	const json_t *q = json_object_get(h, "question");
	char t1[32], t2[32];

	fprintf(out, "# Mock interview: %s\n\n", str(q, "title"));
	fprintf(out, "- **Session:** %lld (%s), %s to %s\n", num(s,
	    "session_id"), str(s, "origin"), fmt_time(num(s, "started_at"),
	    t1, sizeof t1), fmt_time(num(s, "ended_at"), t2, sizeof t2));
	fprintf(out, "- **Interviewer:** %s · **Candidate:** %s\n",
	    peer_name(s, "interviewer"), peer_name(s, "candidate"));
	fprintf(out, "- **Outcome:** %s · **Overall:** %s\n\n",
	    outcome(s), ov);

	fprintf(out, "## Question\n\n**%s** — %s, %s", str(q, "title"),
	    str(q, "category"), str(q, "difficulty"));
	if (str(q, "company")[0])
		fprintf(out, ", %s", str(q, "company"));
	if (str(q, "round")[0])
		fprintf(out, ", %s", str(q, "round"));
	fputs("\n\n> ", out);
	md_indented(out, str(q, "prompt"), "> ");
	fputc('\n', out);
	md_section(out, "Quick answer", str(q, "quick_answer"));
	md_section(out, "Model answer", str(q, "model_answer"));
}

static void
md_score(FILE *out, const char *label, int scored, long long score)
{
	fputs("| ", out);
	md_cell(out, label);
	if (scored)
		fprintf(out, " | %lld (%s) |\n", score,
		    fmt_score_name((int)score));
	else
		fputs(" | – |\n", out);
}

static void
md_scores_end(FILE *out, const char *ov)
{
	fprintf(out, "| **Overall** | **%s** |\n\n", ov);
}

static void
md_note(FILE *out, const char *when, const char *what, const char *text)
{
	fprintf(out, "- %s — ", when);
	if (what[0] != '\0')
		fprintf(out, "*%s*%s", what, text[0] ? ": " : "");
	md_indented(out, text, "  ");
	fputc('\n', out);
}

static void
md_chat_line(FILE *out, const char *when, const char *username,
    const char *text)
{
	fprintf(out, "- **%s** (%s): ", username, when);
	md_indented(out, text, "  ");
	fputc('\n', out);
}

static void
md_feedback(FILE *out, long long rating, const char *text)
{
	fprintf(out, "\n## Feedback on the interviewing\n\n%lld / 4", rating);
	if (text[0]) {
		fputs(": ", out);
		md_indented(out, text, "");
	}
	fputc('\n', out);
}

static void
md_timeline(FILE *out, const json_t *h)
{
	char t1[32], t2[32];
	size_t i;
	json_t *e;

	fputs("\n## Timeline\n\n| Phase | Started | Ended |\n"
	    "| --- | --- | --- |\n", out);
	json_array_foreach(json_object_get(h, "phases"), i, e)
		fprintf(out, "| %s | %s | %s |\n", str(e, "phase"),
		    fmt_time(num(e, "started_at"), t1, sizeof t1),
		    fmt_time(num(e, "ended_at"), t2, sizeof t2));
}

static const struct renderer markdown = {
	.head = md_head,
	.scores = "\n## Scores\n\n| Item | Score |\n| --- | --- |\n",
	.score = md_score,
	.scores_end = md_scores_end,
	.flags = "**Red flags:** ",
	.flags_end = "\n\n",
	.flags_none = "none\n\n",
	.notes = "## Notes\n\n",
	.notes_none = "No notes.\n\n",
	.group_pre = "### ",
	.group_post = "\n\n",
	.group_end = "\n",
	.note = md_note,
	.chat = "## Chat\n\n",
	.chat_none = "No messages.\n",
	.chat_line = md_chat_line,
	.feedback = md_feedback,
	.tail = md_timeline,
};

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
text_head(FILE *out, const json_t *h, const char *ov)
{
	const json_t *s = json_object_get(h, "session");
	const json_t *q = json_object_get(h, "question");
	char t1[32];

	fprintf(out, "%sSession %lld%s · %s · %s · overall %s%s%s\n",
	    ansi(ANSI_BOLD), num(s, "session_id"), ansi(ANSI_RESET),
	    fmt_time(num(s, "started_at"), t1, sizeof t1), outcome(s),
	    ansi(ANSI_BOLD), ov, ansi(ANSI_RESET));
	fprintf(out, "Interviewer %s · candidate %s (you were the %s)\n\n",
	    peer_name(s, "interviewer"), peer_name(s, "candidate"),
	    str(s, "role"));
	fprintf(out, "%sQuestion:%s %s (%s, %s)\n\n", ansi(ANSI_CYAN),
	    ansi(ANSI_RESET), str(q, "title"), str(q, "category"),
	    str(q, "difficulty"));
	text_indented(out, str(q, "prompt"), "  ");
	if (str(q, "model_answer")[0]) {
		fputs("\nModel answer\n", out);
		text_indented(out, str(q, "model_answer"), "  ");
	}
}

static void
text_score(FILE *out, const char *label, int scored, long long score)
{
	char pad[128];

	if (scored)
		fprintf(out, "  %s%lld %s%s  %s\n", ansi_score((int)score),
		    score, fmt_pad(fmt_score_name((int)score), 9, pad,
		    sizeof pad), ansi(ANSI_RESET), label);
	else
		fprintf(out, "  -            %s\n", label);
}

/* "when  line" after lead, and line freed; its continuation lines flush
 * left. */
static void
text_line(FILE *out, const char *lead, const char *when, char *line)
{
	fprintf(out, "%s%s  ", lead, when);
	text_indented(out, line, "");
	free(line);
}

static void
text_note(FILE *out, const char *when, const char *what, const char *text)
{
	text_line(out, "    ", when, xasprintf("%s%s%s", what, what[0] &&
	    text[0] ? ": " : "", text));
}

static void
text_chat_line(FILE *out, const char *when, const char *username,
    const char *text)
{
	text_line(out, "  ", when, xasprintf("%s: %s", username, text));
}

static void
text_feedback(FILE *out, long long rating, const char *text)
{
	fprintf(out, "\n%sFeedback on the interviewing:%s %s%lld / 4%s%s%s\n",
	    ansi(ANSI_CYAN), ansi(ANSI_RESET), ansi_score((int)rating), rating,
	    ansi(ANSI_RESET), text[0] ? ": " : "", text);
}

static const struct renderer plain_text = {
	.head = text_head,
	.scores = "\nScores\n",
	.score = text_score,
	.scores_end = NULL,
	.flags = "Red flags: ",
	.flags_end = "\n",
	.flags_none = "none\n",
	.notes = "\nNotes\n",
	.notes_none = "  (none)\n",
	.group_pre = "  ",
	.group_post = "\n",
	.group_end = "",
	.note = text_note,
	.chat = "\nChat\n",
	.chat_none = "  (none)\n",
	.chat_line = text_chat_line,
	.feedback = text_feedback,
	.tail = NULL,
};

/* ---- JSON and CSV ---- */

/*
 * JSON text as jansson wrote it, with DEL and the C1 controls (U+0080 to
 * U+009F) escaped too: jansson escapes only the C0 ones, and a terminal
 * may take a raw U+009B for CSI when the export is printed. They occur
 * only inside strings, where \u escapes mean the same.
 */
static int
json_put_escaped(const char *buf, size_t size, void *data)
{
	FILE *out = data;

	for (size_t i = 0; i < size; i++) {
		unsigned char c = (unsigned char)buf[i];

		if (c == 0x7f)
			fputs("\\u007F", out);
		else if (c == 0xc2 && i + 1 < size &&
		    (unsigned char)buf[i + 1] >= 0x80 &&
		    (unsigned char)buf[i + 1] <= 0x9f)
			fprintf(out, "\\u%04X", (unsigned char)buf[++i]);
		else
			fputc(c, out);
	}
	return 0;
}

static void
export_json(FILE *out, const json_t *h)
{
	json_t *copy = json_deep_copy(h);
	char *text;

	/* The envelope is transport, not history. */
	json_object_del(copy, "type");
	json_object_del(copy, "re");
	/* Whole, so that no character is split between two writes. */
	text = json_dumps(copy, JSON_INDENT(2));
	if (text != NULL)
		json_put_escaped(text, strlen(text), out);
	fputc('\n', out);
	free(text);
	json_decref(copy);
}

/*
 * One CSV field: quoted when it holds a comma, quote, CR or LF, quotes
 * doubled. A cell a spreadsheet would evaluate (OWASP, CSV Injection: it
 * begins with =, +, -, @, or a tab or CR, which some skip first) gets a
 * leading ', so that a peer's "=HYPERLINK(...)" shows as the text it is;
 * the browser client's csvField does the same.
 */
void
export_csv_field(FILE *out, const char *s)
{
	int formula = *s != '\0' && strchr("=+-@\t\r", *s) != NULL;

	if (strpbrk(s, ",\"\r\n") == NULL) {
		if (formula)
			fputc('\'', out);
		fputs(s, out);
		return;
	}
	fputc('"', out);
	if (formula)
		fputc('\'', out);
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

int
export_file(const char *file, const json_t *h, enum export_format f,
    char *why, size_t whylen)
{
	/* Never leave half an export behind: a temporary file, renamed. */
	char *tmp = xasprintf("%s.tmp%ld", file, (long)getpid());
	FILE *out = fopen(tmp, "w");
	int rc = -1;

	if (out == NULL) {
		/* Name the file asked for: the temporary one is ours. */
		snprintf(why, whylen, "cannot write %s: %s", file,
		    strerror(errno));
		goto out;
	}
	if (export_write(out, h, f) == -1) {
		snprintf(why, whylen, "cannot write %s: %s", file,
		    strerror(errno));
		fclose(out);
		goto out;
	}
	if (fclose(out) != 0 || rename(tmp, file) == -1) {
		snprintf(why, whylen, "cannot write %s: %s", file,
		    strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (rc != 0)
		unlink(tmp);
	free(tmp);
	return rc;
}

int
export_write(FILE *out, const json_t *h, enum export_format f)
{
	/* The reports print what peers wrote: from a cleaned copy. JSON
	 * keeps every byte, escaped. */
	json_t *clean = f == EXPORT_JSON ? NULL :
	    cmd_sanitize(json_deep_copy(h));

	switch (f) {
	case EXPORT_MD:
		report(out, cmd_map_strings(clean, md_escaped), &markdown);
		break;
	case EXPORT_JSON:
		export_json(out, h);
		break;
	case EXPORT_CSV:
		export_csv(out, clean);
		break;
	case EXPORT_TEXT:
		report(out, clean, &plain_text);
		break;
	}
	json_decref(clean);
	return fflush(out) == 0 && !ferror(out) ? 0 : -1;
}
