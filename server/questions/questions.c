/*
 * questions.c — the question-file parser (schema/QUESTIONS.md is the
 * format). It works in two passes: the first splits the buffer into lines
 * and rejects anything that is not clean UTF-8 text within the limits, so
 * the second, which finds the title, headers, prompt, quick answer and the
 * solution, only ever sees valid text. The solution's structured parts
 * are read in questions_solution.c, a line's helpers are in
 * questions_line.c; the slug rules, the category table and the default
 * checklists are in questions_slug.c.
 */
#include "questions_int.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

/* The lines that open the quick answer and the solution, in any case. */
#define QUICK_ANSWER		"quick answer:"
#define QUICK_ANSWER_LEN	(sizeof QUICK_ANSWER - 1)
#define SOLUTION		"solution"
#define SOLUTION_LEN		(sizeof SOLUTION - 1)
/* A UTF-8 byte order mark, tolerated at the start of a file. */
#define UTF8_BOM		"\xEF\xBB\xBF"
#define UTF8_BOM_LEN		(sizeof UTF8_BOM - 1)

enum header {
	H_COMPANY, H_ROLE, H_CATEGORY, H_DIFFICULTY, H_ROUND, H_ID, H__COUNT
};

static const char *const header_names[H__COUNT] = {
	[H_COMPANY] = "Company",
	[H_ROLE] = "Role",
	[H_CATEGORY] = "Category",
	[H_DIFFICULTY] = "Difficulty",
	[H_ROUND] = "Interview Round",
	[H_ID] = "Id",
};

/* Spellings accepted at the start of a header line (case-insensitive). */
static const struct {
	const char	*name;
	enum header	 h;
} header_spellings[] = {
	{ "Company", H_COMPANY },
	{ "Role", H_ROLE },
	{ "Category", H_CATEGORY },
	{ "Difficulty", H_DIFFICULTY },
	{ "Interview Round", H_ROUND },
	{ "Round", H_ROUND },
	{ "Id", H_ID },
};

void
parse_problem(struct parse *p, size_t line, enum questions_severity severity,
    const char *fmt, ...)
{
	va_list	ap;

	if (p->gave_up)
		return;
	if (p->problems == QUESTIONS_MAX_PROBLEMS) {
		questions_problems_add(p->pr, p->file, (unsigned)line,
		    QUESTIONS_ERROR,
		    "too many problems; giving up on this file");
		p->gave_up = 1;
		p->errors++;
		return;
	}
	va_start(ap, fmt);
	questions_problems_vadd(p->pr, p->file, (unsigned)line, severity, fmt,
	    ap);
	va_end(ap);
	p->problems++;
	if (severity == QUESTIONS_ERROR)
		p->errors++;
}

/* Pass 1: lines, limits and encoding. */

/*
 * Check one line: valid UTF-8 and no control characters but tab (see
 * questions_text_check).
 */
static void
check_line(struct parse *p, size_t lineno, struct line l)
{
	size_t		at;
	uint32_t	cp;

	switch (questions_text_check(l.s, l.len, &at, &cp)) {
	case QUESTIONS_TEXT_OK:
		break;
	case QUESTIONS_TEXT_UTF8:
		parse_problem(p, lineno, QUESTIONS_ERROR,
		    "invalid UTF-8 (byte %zu of the line)", at + 1);
		break;
	case QUESTIONS_TEXT_NUL:
		parse_problem(p, lineno, QUESTIONS_ERROR,
		    "NUL byte (byte %zu of the line)", at + 1);
		break;
	case QUESTIONS_TEXT_CONTROL:
		parse_problem(p, lineno, QUESTIONS_ERROR, "control character "
		    "U+%04X (byte %zu of the line); only tab is allowed",
		    (unsigned)cp, at + 1);
		break;
	}
}

static void
split_lines(struct parse *p, const char *buf, size_t len)
{
	size_t	off = 0, cap = 0;

	/* A UTF-8 byte order mark is tolerated and dropped. */
	if (len >= UTF8_BOM_LEN && memcmp(buf, UTF8_BOM, UTF8_BOM_LEN) == 0)
		off = UTF8_BOM_LEN;
	while (off < len && !p->gave_up) {
		const char	*s = buf + off;
		const char	*nl = memchr(s, '\n', len - off);
		size_t		 l = nl != NULL ? (size_t)(nl - s) : len - off;

		off += l + (nl != NULL);
		if (l > 0 && s[l - 1] == '\r')
			l--;
		if (p->n == cap) {
			cap = cap ? cap * 2 : 64;
			p->lines = xrealloc(p->lines, cap * sizeof *p->lines);
		}
		p->lines[p->n].s = s;
		p->lines[p->n].len = l;
		p->n++;
		if (l > QUESTIONS_MAX_LINE)
			parse_problem(p, p->n, QUESTIONS_ERROR,
			    "line is %zu bytes long; the limit is %d", l,
			    QUESTIONS_MAX_LINE);
		else
			check_line(p, p->n, p->lines[p->n - 1]);
	}
}

/* Pass 2: structure. */

/* The header a line is, with its value; -1 when it is none. */
static int
match_header(struct line l, struct line *value)
{
	l = line_trim(l);
	for (size_t i = 0; i < sizeof header_spellings /
	    sizeof header_spellings[0]; i++) {
		size_t n = strlen(header_spellings[i].name);

		if (line_prefix_ci(l, header_spellings[i].name) && l.len > n &&
		    l.s[n] == ':') {
			*value = line_rest(l, n + 1);
			return (int)header_spellings[i].h;
		}
	}
	return -1;
}

/* "Solution" or "Solution:" alone, or "Solution: text" (text to *text). */
static int
is_solution(struct line l, struct line *text)
{
	l = line_trim(l);
	if (!line_prefix_ci(l, SOLUTION))
		return 0;
	if (l.len == SOLUTION_LEN) {
		text->s = l.s + SOLUTION_LEN;
		text->len = 0;
		return 1;
	}
	if (l.s[SOLUTION_LEN] != ':')
		return 0;
	*text = line_rest(l, SOLUTION_LEN + 1);
	return 1;
}

/* Lowercase letters and digits with single '-' between them, at most
 * QUESTIONS_MAX_ID bytes. */
static int
valid_id(struct line v)
{
	if (v.len > QUESTIONS_MAX_ID)
		return 0;
	for (size_t i = 0; i < v.len; i++) {
		char c = v.s[i];

		if ((c < 'a' || c > 'z') && (c < '0' || c > '9') &&
		    (c != '-' || i == 0 || i + 1 == v.len || v.s[i - 1] == '-'))
			return 0;
	}
	return 1;
}

static void
header_values(struct parse *p, const size_t *hline, const struct line *hval,
    size_t missing_at)
{
	struct question	*q = p->q;
	char		 tmp[QUOTE_SIZE];
	int		 d;

	for (int h = 0; h < H__COUNT; h++) {
		char **field = NULL;

		if (hline[h] == 0) {
			if (h == H_CATEGORY || h == H_DIFFICULTY)
				parse_problem(p, missing_at, QUESTIONS_ERROR,
				    "missing '%s:' header", header_names[h]);
			continue;
		}
		if (hval[h].len == 0) {
			parse_problem(p, hline[h], h == H_CATEGORY ||
			    h == H_DIFFICULTY || h == H_ID ? QUESTIONS_ERROR :
			    QUESTIONS_WARNING, "empty '%s:' header%s",
			    header_names[h], h == H_COMPANY || h == H_ROLE ||
			    h == H_ROUND ? " (leave the line out instead)" :
			    "");
			continue;
		}
		switch (h) {
		case H_COMPANY:
			field = &q->company;
			break;
		case H_ROLE:
			field = &q->role;
			break;
		case H_ROUND:
			field = &q->round;
			break;
		case H_CATEGORY:
			q->category = line_dup(hval[h]);
			q->category_key = questions_category_key(q->category);
			break;
		case H_DIFFICULTY:
			line_clip(tmp, sizeof tmp, hval[h]);
			if ((d = questions_difficulty_parse(tmp)) == -1)
				parse_problem(p, hline[h], QUESTIONS_ERROR,
				    "unknown difficulty '%s' (expected easy, "
				    "medium or hard)", tmp);
			else
				q->difficulty = (enum questions_difficulty)d;
			break;
		case H_ID:
			if (!valid_id(hval[h]))
				parse_problem(p, hline[h], QUESTIONS_ERROR,
				    "invalid id '%s' (use lowercase letters, "
				    "digits and single '-' between them, at "
				    "most %d characters)", line_clip(tmp,
				    sizeof tmp, hval[h]), QUESTIONS_MAX_ID);
			else {
				q->id = line_dup(hval[h]);
				q->id_line = (unsigned)hline[h];
			}
			break;
		}
		if (field != NULL)
			*field = line_dup(hval[h]);
	}
}

/*
 * The title: line 1, or after a blank line 1 the first text line anyway,
 * so that one mistake gives one report. Returns the line after it.
 */
static size_t
parse_title(struct parse *p)
{
	struct line	 v, value;
	size_t		 i;
	int		 h;

	for (i = 0; i < p->n && line_is_blank(p->lines[i]); i++)
		continue;
	v = line_trim(p->lines[i]);
	if (i > 0)
		parse_problem(p, 1, QUESTIONS_ERROR,
		    "line 1 must be the title but is empty");
	if ((h = match_header(v, &value)) != -1) {
		if (i == 0)
			parse_problem(p, 1, QUESTIONS_ERROR, "missing title: "
			    "line 1 is a '%s:' header", header_names[h]);
		return i;
	}
	p->q->title = line_dup(v);
	return i + 1;
}

/*
 * The headers, in any order, from line `from` until the first line that
 * is not one, into the question. Returns that line; *category_line is the
 * Category header's (0: none).
 */
static size_t
parse_headers(struct parse *p, size_t from, size_t *category_line)
{
	struct question	*q = p->q;
	size_t		 hline[H__COUNT] = { 0 }, i;
	struct line	 hval[H__COUNT] = { { NULL, 0 } }, v;
	int		 h;

	for (i = from; i < p->n; i++) {
		if (line_is_blank(p->lines[i]))
			continue;
		if ((h = match_header(p->lines[i], &v)) == -1)
			break;
		if (hline[h] != 0)
			parse_problem(p, i + 1, QUESTIONS_ERROR, "duplicate "
			    "'%s:' header (the first is on line %zu)",
			    header_names[h], hline[h]);
		else {
			hline[h] = i + 1;
			hval[h] = v;
		}
	}
	header_values(p, hline, hval, i < p->n ? i + 1 : p->n);
	if (q->id == NULL && q->title != NULL) {
		q->id = questions_slug_id(q->title, strlen(q->title));
		q->id_line = 1;
	}
	*category_line = hline[H_CATEGORY];
	return i;
}

/* Where the parts after the headers are. */
struct parts {
	size_t		 start;		/* the first line after the headers */
	int		 have_qa, have_sol;
	size_t		 qa, sol;	/* their lines, when there */
	struct line	 first;		/* after "Solution:" on its line */
};

static void
find_parts(struct parse *p, struct parts *pt)
{
	size_t	i;

	/* "Quick Answer:" is looked for only before the solution line. */
	for (i = pt->start; i < p->n && !pt->have_qa; i++) {
		if (is_solution(p->lines[i], &pt->first))
			break;
		if (line_prefix_ci(line_trim(p->lines[i]), QUICK_ANSWER)) {
			pt->qa = i;
			pt->have_qa = 1;
		}
	}
	for (i = pt->have_qa ? pt->qa + 1 : pt->start; i < p->n &&
	    !pt->have_sol; i++)
		if (is_solution(p->lines[i], &pt->first)) {
			pt->sol = i;
			pt->have_sol = 1;
		}
}

/* The prompt: the text between the headers and "Quick Answer:". */
static void
parse_prompt(struct parse *p, const struct parts *pt)
{
	struct buf	b = { 0 };
	size_t		end = pt->have_qa ? pt->qa :
			    pt->have_sol ? pt->sol : p->n;

	for (size_t i = pt->start; i < end; i++)
		buf_add_line(&b, p->lines[i]);
	p->q->prompt = buf_finish(&b);
	if (p->q->prompt[0] == '\0')
		parse_problem(p, pt->start < p->n ? pt->start + 1 : p->n,
		    QUESTIONS_ERROR, "missing prompt: no question text between "
		    "the headers and 'Quick Answer:'");
}

/* The quick answer: the rest of its line and the lines up to the
 * solution. */
static void
parse_quick_answer(struct parse *p, const struct parts *pt)
{
	struct buf	b = { 0 };

	if (!pt->have_qa) {
		parse_problem(p, pt->have_sol ? pt->sol + 1 : p->n,
		    QUESTIONS_ERROR, "missing 'Quick Answer:' line%s",
		    pt->have_sol ? " before 'Solution'" : "");
		return;
	}
	buf_add_line(&b, line_rest(line_trim(p->lines[pt->qa]),
	    QUICK_ANSWER_LEN));
	for (size_t i = pt->qa + 1; i < (pt->have_sol ? pt->sol : p->n); i++)
		buf_add_line(&b, p->lines[i]);
	p->q->quick_answer = buf_finish(&b);
	if (p->q->quick_answer[0] == '\0')
		parse_problem(p, pt->qa + 1, QUESTIONS_ERROR,
		    "empty quick answer");
}

/* Title, headers, prompt, quick answer, solution. */
static void
parse_structure(struct parse *p)
{
	struct parts	 pt;
	size_t		 category_line;

	memset(&pt, 0, sizeof pt);
	pt.first = (struct line){ "", 0 };
	pt.start = parse_headers(p, parse_title(p), &category_line);
	find_parts(p, &pt);
	parse_prompt(p, &pt);
	parse_quick_answer(p, &pt);
	if (!pt.have_sol) {
		parse_problem(p, p->n, QUESTIONS_ERROR, "reached the end of "
		    "the file without a 'Solution' line");
		return;
	}
	parse_solution(p, pt.sol, pt.first, category_line);
}

struct question *
questions_parse(const char *buf, size_t len, const char *file,
    struct questions_problems *pr)
{
	struct parse	 p;
	struct question	*q = NULL;

	memset(&p, 0, sizeof p);
	p.file = file;
	p.pr = pr;
	if (len > QUESTIONS_MAX_FILE) {
		parse_problem(&p, 1, QUESTIONS_ERROR, "file too large (%zu "
		    "bytes; the limit is %d)", len, QUESTIONS_MAX_FILE);
		goto out;
	}
	split_lines(&p, buf, len);
	if (p.errors > 0)
		goto out;
	for (size_t i = 0; i < p.n && q == NULL; i++)
		if (!line_is_blank(p.lines[i]))
			q = p.q = xcalloc(1, sizeof *q);
	if (q == NULL) {
		parse_problem(&p, 1, QUESTIONS_ERROR, "empty file");
		goto out;
	}
	q->file = xstrdup(file);
	q->difficulty = QUESTIONS_MEDIUM;
	parse_structure(&p);
	if (p.errors > 0) {
		questions_free(q);
		q = NULL;
	}
out:
	free(p.lines);
	return q;
}

void
questions_free(struct question *q)
{
	if (q == NULL)
		return;
	free(q->id);
	free(q->file);
	free(q->title);
	free(q->company);
	free(q->role);
	free(q->category);
	free(q->category_key);
	free(q->round);
	free(q->prompt);
	free(q->quick_answer);
	free(q->model_answer);
	items_free(q->approach, q->n_approach);
	items_free(q->quick_checklist, q->n_quick_checklist);
	items_free(q->pitfalls, q->n_pitfalls);
	items_free(q->checklist, q->n_checklist);
	free(q);
}
