/*
 * questions.c — the question-file parser (schema/QUESTIONS.md is the
 * format). It works in two passes: the first splits the buffer into lines
 * and rejects anything that is not clean UTF-8 text within the limits, so
 * the second, which finds the title, headers, prompt, quick answer and the
 * structured parts of the solution, only ever sees valid text. The slug
 * rules, the category table and the default checklists are in
 * questions_slug.c.
 */
#include "questions.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

/* A heading longer than this is prose, not a section heading. */
#define HEADING_MAX	80
/* An approach "Label:" longer than this is a sentence, not a label. */
#define LABEL_MAX	60
/* Bullets per section: bounds the work on hostile input. */
#define ITEMS_MAX	64

struct line {
	const char	*s;	/* not NUL-terminated */
	size_t		 len;	/* without the "\n" or "\r\n" */
};

struct items {
	struct questions_item	*v;
	size_t			 n;
	size_t			 cap;
};

struct buf {
	char	*s;
	size_t	 len;
	size_t	 cap;
};

struct parse {
	const char		*file;
	struct questions_problems *pr;
	size_t			 problems;	/* this file's */
	size_t			 errors;	/* this file's */
	int			 gave_up;
	struct line		*lines;
	size_t			 n;
	struct question		*q;
};

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

/* Keys are given in this order, so a checklist key wins over a red flag's. */
enum section { S_MODEL, S_APPROACH, S_CHECKLIST, S_PITFALLS, S__COUNT };

static const char *const section_names[S__COUNT] = {
	[S_MODEL] = "model answer",
	[S_APPROACH] = "Approach ...:",
	[S_PITFALLS] = "Common pitfalls",
	[S_CHECKLIST] = "Quick checklist",
};

/*
 * Report a problem in the file being parsed. After QUESTIONS_MAX_PROBLEMS
 * the file is given up on, so garbage cannot flood the report.
 */
static void __attribute__((format(printf, 4, 5)))
problem(struct parse *p, size_t line, enum questions_severity severity,
    const char *fmt, ...)
{
	va_list	ap;

	if (p->gave_up)
		return;
	if (p->problems == QUESTIONS_MAX_PROBLEMS) {
		questions_problems_add(p->pr, p->file, (unsigned)line,
		    QUESTIONS_ERROR, "too many problems; giving up on this file");
		p->gave_up = 1;
		p->errors++;
		return;
	}
	va_start(ap, fmt);
	questions_problems_vadd(p->pr, p->file, (unsigned)line, severity, fmt, ap);
	va_end(ap);
	p->problems++;
	if (severity == QUESTIONS_ERROR)
		p->errors++;
}

/* Small text helpers; ASCII-only on purpose, the locale plays no part. */

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static struct line
trim(struct line l)
{
	while (l.len > 0 && (l.s[0] == ' ' || l.s[0] == '\t')) {
		l.s++;
		l.len--;
	}
	while (l.len > 0 && (l.s[l.len - 1] == ' ' || l.s[l.len - 1] == '\t'))
		l.len--;
	return l;
}

static struct line
rest(struct line l, size_t from)
{
	l.s += from;
	l.len -= from;
	return trim(l);
}

/* Whether l starts with pfx, ignoring ASCII case. */
static int
prefix_ci(struct line l, const char *pfx)
{
	size_t	n = strlen(pfx);

	if (l.len < n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (lower((unsigned char)l.s[i]) != lower((unsigned char)pfx[i]))
			return 0;
	return 1;
}

static int
equal_ci(struct line l, const char *s)
{
	return l.len == strlen(s) && prefix_ci(l, s);
}

static char *
dup_line(struct line l)
{
	return xstrndup(l.s, l.len);
}

/*
 * Copy l into dst for quoting in a report, cut at a UTF-8 boundary so a
 * long value does not drown the message.
 */
static const char *
clip(char *dst, size_t size, struct line l)
{
	size_t	n = l.len;

	if (n > size - 4) {
		n = size - 4;
		while (n > 0 && ((unsigned char)l.s[n] & 0xC0) == 0x80)
			n--;
		memcpy(dst, l.s, n);
		memcpy(dst + n, "...", 4);
	} else {
		memcpy(dst, l.s, n);
		dst[n] = '\0';
	}
	return dst;
}

static void
buf_add(struct buf *b, const char *s, size_t len)
{
	if (b->len + len + 1 > b->cap) {
		while (b->len + len + 1 > b->cap)
			b->cap = b->cap ? b->cap * 2 : 256;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, len);
	b->len += len;
	b->s[b->len] = '\0';
}

static void
buf_add_line(struct buf *b, struct line l)
{
	if (b->len > 0)
		buf_add(b, "\n", 1);
	buf_add(b, l.s, l.len);
}

/*
 * The text in b without leading blank lines and trailing white space;
 * indentation of the first line is kept (it may be code).
 */
static char *
buf_finish(struct buf *b)
{
	size_t	start = 0, i = 0, end;
	char	*s;

	if (b->s == NULL)
		return xstrdup("");
	for (; i < b->len && (b->s[i] == ' ' || b->s[i] == '\t' ||
	    b->s[i] == '\n'); i++)
		if (b->s[i] == '\n')
			start = i + 1;
	end = b->len;
	while (end > start && (b->s[end - 1] == ' ' || b->s[end - 1] == '\t' ||
	    b->s[end - 1] == '\n'))
		end--;
	s = xstrndup(b->s + start, end - start);
	free(b->s);
	memset(b, 0, sizeof *b);
	return s;
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
		problem(p, lineno, QUESTIONS_ERROR,
		    "invalid UTF-8 (byte %zu of the line)", at + 1);
		break;
	case QUESTIONS_TEXT_NUL:
		problem(p, lineno, QUESTIONS_ERROR,
		    "NUL byte (byte %zu of the line)", at + 1);
		break;
	case QUESTIONS_TEXT_CONTROL:
		problem(p, lineno, QUESTIONS_ERROR, "control character "
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
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		off = 3;
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
			problem(p, p->n, QUESTIONS_ERROR,
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
	l = trim(l);
	for (size_t i = 0; i < sizeof header_spellings /
	    sizeof header_spellings[0]; i++) {
		size_t n = strlen(header_spellings[i].name);

		if (prefix_ci(l, header_spellings[i].name) && l.len > n &&
		    l.s[n] == ':') {
			*value = rest(l, n + 1);
			return (int)header_spellings[i].h;
		}
	}
	return -1;
}

static int
is_blank(struct line l)
{
	return trim(l).len == 0;
}

/* A bullet ("- ", "* " or "• "); its text goes to *text. */
static int
is_bullet(struct line l, struct line *text)
{
	l = trim(l);
	if (l.len >= 2 && (l.s[0] == '-' || l.s[0] == '*') &&
	    (l.s[1] == ' ' || l.s[1] == '\t')) {
		*text = rest(l, 2);
		return 1;
	}
	if (l.len >= 4 && memcmp(l.s, "\xE2\x80\xA2", 3) == 0 &&
	    (l.s[3] == ' ' || l.s[3] == '\t')) {
		*text = rest(l, 4);
		return 1;
	}
	return 0;
}

/* The section a (non-bullet) line opens, S_MODEL when it opens none. */
static enum section
heading(struct line l)
{
	l = trim(l);
	if (l.len == 0 || l.len > HEADING_MAX)
		return S_MODEL;
	if (prefix_ci(l, "approach") && l.s[l.len - 1] == ':')
		return S_APPROACH;
	if (l.s[l.len - 1] == ':')
		l.len--;
	if (prefix_ci(l, "common pitfalls") || prefix_ci(l, "pitfalls") ||
	    prefix_ci(l, "red flags") || prefix_ci(l, "common mistakes"))
		return S_PITFALLS;
	if (prefix_ci(l, "quick checklist") || equal_ci(l, "checklist"))
		return S_CHECKLIST;
	return S_MODEL;
}

/* "Solution" or "Solution:" alone, or "Solution: text" (text to *text). */
static int
is_solution(struct line l, struct line *text)
{
	l = trim(l);
	if (!prefix_ci(l, "solution"))
		return 0;
	if (l.len == 8) {
		text->s = l.s + 8;
		text->len = 0;
		return 1;
	}
	if (l.s[8] != ':')
		return 0;
	*text = rest(l, 9);
	return 1;
}

static struct questions_item *
items_add(struct items *it)
{
	if (it->n == it->cap) {
		it->cap = it->cap ? it->cap * 2 : 8;
		it->v = xrealloc(it->v, it->cap * sizeof *it->v);
	}
	memset(&it->v[it->n], 0, sizeof it->v[it->n]);
	return &it->v[it->n++];
}

/* An approach bullet: "Label: text", or a bare label. */
static void
approach_item(struct questions_item *item, struct line text)
{
	for (size_t i = 0; i < text.len; i++) {
		struct line label = { text.s, i };

		if (text.s[i] != ':')
			continue;
		if (i + 1 < text.len && text.s[i + 1] != ' ' &&
		    text.s[i + 1] != '\t')
			continue;
		label = trim(label);
		if (label.len == 0 || label.len > LABEL_MAX)
			break;
		item->label = dup_line(label);
		item->text = dup_line(rest(text, i + 1));
		return;
	}
	item->label = dup_line(text);
	item->text = xstrdup("");
}

struct body {
	struct items	 sect[S__COUNT];
	size_t		 first_line[S__COUNT];	/* 0: not seen yet */
	struct buf	 model;
};

/* The solution body: structured sections out, the rest verbatim. */
static void
parse_body(struct parse *p, size_t from, struct line first, struct body *b)
{
	enum section	 cur = S_MODEL, h;
	size_t		 head = 0, before = 0;
	struct line	 text;

	if (first.len > 0)
		buf_add_line(&b->model, first);
	for (size_t i = from; i <= p->n; i++) {
		struct line l = i < p->n ? p->lines[i] : (struct line){ "", 0 };

		if (cur != S_MODEL) {
			if (i == p->n || !is_bullet(l, &text)) {
				if (i < p->n && is_blank(l))
					continue;
				if (b->sect[cur].n == before) {
					problem(p, head + 1, QUESTIONS_WARNING,
					    "'%s' heading with no bullets after "
					    "it; kept as model answer text",
					    section_names[cur]);
					buf_add_line(&b->model, p->lines[head]);
				}
				cur = S_MODEL;
			} else if (b->sect[cur].n == ITEMS_MAX) {
				problem(p, i + 1, QUESTIONS_ERROR,
				    "more than %d bullets in the '%s' section",
				    ITEMS_MAX, section_names[cur]);
				return;
			} else {
				struct questions_item *item;

				item = items_add(&b->sect[cur]);
				if (cur == S_APPROACH)
					approach_item(item, text);
				else
					item->label = dup_line(text);
				continue;
			}
		}
		if (i == p->n)
			break;
		if (!is_bullet(l, &text) && (h = heading(l)) != S_MODEL) {
			if (b->first_line[h] != 0)
				problem(p, i + 1, QUESTIONS_WARNING,
				    "second '%s' section (the first is on "
				    "line %zu); its bullets are added to the "
				    "first one's", section_names[h],
				    b->first_line[h]);
			else
				b->first_line[h] = i + 1;
			cur = h;
			head = i;
			before = b->sect[h].n;
			continue;
		}
		buf_add_line(&b->model, l);
	}
}

static void
free_items(struct questions_item *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].key);
		free(v[i].label);
		free(v[i].text);
	}
	free(v);
}

/* Whether key is used by any of the n items in v. */
static int
key_used(const struct questions_item *v, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (v[i].key != NULL && strcmp(v[i].key, key) == 0)
			return 1;
	return 0;
}

/*
 * Whether key is taken: by an item already keyed, by "general" (note.add's
 * item for a note on no item) or by the default checklist dflt (key,
 * label, ..., NULL; may be NULL) that will apply. A red flag sharing a
 * checklist key could never be flagged, an item keyed "general" never
 * scored or flagged.
 */
static int
key_taken(const struct items *flat, const char *const *dflt, const char *key)
{
	if (strcmp(key, "general") == 0 || key_used(flat->v, flat->n, key))
		return 1;
	for (; dflt != NULL && dflt[0] != NULL; dflt += 2)
		if (strcmp(dflt[0], key) == 0)
			return 1;
	return 0;
}

/*
 * Give every item of the question its key; a key already taken within the
 * question (see key_taken) gets "_2", "_3", ... so that keys are unique
 * per question across the checklist and the red flags.
 */
static void
assign_keys(struct items *all, size_t nall, const char *const *dflt)
{
	struct items	flat = { 0 };

	for (size_t s = 0; s < nall; s++) {
		for (size_t i = 0; i < all[s].n; i++) {
			struct questions_item *it = &all[s].v[i];
			char *base = questions_slug_key(it->label,
			    strlen(it->label));
			char *key = xstrdup(base);

			for (unsigned k = 2; key_taken(&flat, dflt, key); k++) {
				free(key);
				key = xasprintf("%s_%u", base, k);
			}
			free(base);
			it->key = key;
			/* flat holds borrowed pointers, only for key_used. */
			items_add(&flat)->key = key;
		}
	}
	free(flat.v);
}

static void
copy_items(struct items *to, const struct questions_item *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct questions_item *it = items_add(to);

		it->key = xstrdup(v[i].key);
		it->label = xstrdup(v[i].label);
	}
}

/* Approach items then quick-checklist items, or the category's default. */
static void
build_checklist(struct parse *p, size_t category_line)
{
	struct question	*q = p->q;
	struct items	 cl = { 0 };
	const char *const *d;
	char		 tmp[72];

	copy_items(&cl, q->approach, q->n_approach);
	copy_items(&cl, q->quick_checklist, q->n_quick_checklist);
	if (cl.n == 0) {
		for (d = questions_default_checklist(q->category_key);
		    d[0] != NULL; d += 2) {
			struct questions_item *it = items_add(&cl);

			it->key = xstrdup(d[0]);
			it->label = xstrdup(d[1]);
		}
		q->default_checklist = 1;
		if (!questions_category_known(q->category_key))
			problem(p, category_line, QUESTIONS_WARNING, "unknown "
			    "category '%s' and no approach or quick checklist: "
			    "the general default checklist applies",
			    clip(tmp, sizeof tmp, (struct line){ q->category,
			    strlen(q->category) }));
	}
	q->checklist = cl.v;
	q->n_checklist = cl.n;
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
	char		 tmp[72];
	int		 d;

	for (int h = 0; h < H__COUNT; h++) {
		char **field = NULL;

		if (hline[h] == 0) {
			if (h == H_CATEGORY || h == H_DIFFICULTY)
				problem(p, missing_at, QUESTIONS_ERROR,
				    "missing '%s:' header", header_names[h]);
			continue;
		}
		if (hval[h].len == 0) {
			problem(p, hline[h], h == H_CATEGORY ||
			    h == H_DIFFICULTY || h == H_ID ? QUESTIONS_ERROR :
			    QUESTIONS_WARNING, "empty '%s:' header%s",
			    header_names[h], h == H_COMPANY || h == H_ROLE ||
			    h == H_ROUND ? " (leave the line out instead)" : "");
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
			q->category = dup_line(hval[h]);
			q->category_key = questions_category_key(q->category);
			break;
		case H_DIFFICULTY:
			clip(tmp, sizeof tmp, hval[h]);
			if ((d = questions_difficulty_parse(tmp)) == -1)
				problem(p, hline[h], QUESTIONS_ERROR,
				    "unknown difficulty '%s' (expected easy, "
				    "medium or hard)", tmp);
			else
				q->difficulty = (enum questions_difficulty)d;
			break;
		case H_ID:
			if (!valid_id(hval[h]))
				problem(p, hline[h], QUESTIONS_ERROR,
				    "invalid id '%s' (use lowercase letters, "
				    "digits and single '-' between them, at "
				    "most %d characters)", clip(tmp, sizeof tmp,
				    hval[h]), QUESTIONS_MAX_ID);
			else {
				q->id = dup_line(hval[h]);
				q->id_line = (unsigned)hline[h];
			}
			break;
		}
		if (field != NULL)
			*field = dup_line(hval[h]);
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

	for (i = 0; i < p->n && is_blank(p->lines[i]); i++)
		continue;
	v = trim(p->lines[i]);
	if (i > 0)
		problem(p, 1, QUESTIONS_ERROR,
		    "line 1 must be the title but is empty");
	if ((h = match_header(v, &value)) != -1) {
		if (i == 0)
			problem(p, 1, QUESTIONS_ERROR, "missing title: line 1 "
			    "is a '%s:' header", header_names[h]);
		return i;
	}
	p->q->title = dup_line(v);
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
		if (is_blank(p->lines[i]))
			continue;
		if ((h = match_header(p->lines[i], &v)) == -1)
			break;
		if (hline[h] != 0)
			problem(p, i + 1, QUESTIONS_ERROR, "duplicate '%s:' "
			    "header (the first is on line %zu)",
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
	size_t		 qa, sol;	/* their lines, when they are there */
	struct line	 first;		/* what follows "Solution:" on its line */
};

static void
find_parts(struct parse *p, struct parts *pt)
{
	size_t	i;

	/* "Quick Answer:" is looked for only before the solution line. */
	for (i = pt->start; i < p->n && !pt->have_qa; i++) {
		if (is_solution(p->lines[i], &pt->first))
			break;
		if (prefix_ci(trim(p->lines[i]), "quick answer:")) {
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
	size_t		end = pt->have_qa ? pt->qa : pt->have_sol ? pt->sol : p->n;

	for (size_t i = pt->start; i < end; i++)
		buf_add_line(&b, p->lines[i]);
	p->q->prompt = buf_finish(&b);
	if (p->q->prompt[0] == '\0')
		problem(p, pt->start < p->n ? pt->start + 1 : p->n,
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
		problem(p, pt->have_sol ? pt->sol + 1 : p->n, QUESTIONS_ERROR,
		    "missing 'Quick Answer:' line%s",
		    pt->have_sol ? " before 'Solution'" : "");
		return;
	}
	buf_add_line(&b, rest(trim(p->lines[pt->qa]), 13));
	for (size_t i = pt->qa + 1; i < (pt->have_sol ? pt->sol : p->n); i++)
		buf_add_line(&b, p->lines[i]);
	p->q->quick_answer = buf_finish(&b);
	if (p->q->quick_answer[0] == '\0')
		problem(p, pt->qa + 1, QUESTIONS_ERROR, "empty quick answer");
}

/*
 * The solution after its line: the model answer, the structured sections
 * with their keys, and the checklist they make.
 */
static void
parse_solution(struct parse *p, const struct parts *pt, size_t category_line)
{
	struct question	*q = p->q;
	struct body	 body;

	memset(&body, 0, sizeof body);
	parse_body(p, pt->sol + 1, pt->first, &body);
	q->model_answer = buf_finish(&body.model);
	if (q->model_answer[0] == '\0' && body.sect[S_APPROACH].n == 0 &&
	    body.sect[S_PITFALLS].n == 0 && body.sect[S_CHECKLIST].n == 0)
		problem(p, pt->sol + 1, QUESTIONS_WARNING, "empty solution");
	if (p->errors > 0)
		goto out;

	/* Without approach or checklist items the category's default
	 * checklist applies (build_checklist): red flags keep off its keys. */
	assign_keys(&body.sect[S_APPROACH], S__COUNT - 1,
	    body.sect[S_APPROACH].n + body.sect[S_CHECKLIST].n == 0 ?
	    questions_default_checklist(q->category_key) : NULL);
	q->approach = body.sect[S_APPROACH].v;
	q->n_approach = body.sect[S_APPROACH].n;
	q->pitfalls = body.sect[S_PITFALLS].v;
	q->n_pitfalls = body.sect[S_PITFALLS].n;
	q->quick_checklist = body.sect[S_CHECKLIST].v;
	q->n_quick_checklist = body.sect[S_CHECKLIST].n;
	memset(&body.sect, 0, sizeof body.sect);
	build_checklist(p, category_line);
out:
	for (int s = 0; s < S__COUNT; s++)
		free_items(body.sect[s].v, body.sect[s].n);
	free(body.model.s);
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
		problem(p, p->n, QUESTIONS_ERROR, "reached the end of the file "
		    "without a 'Solution' line");
		return;
	}
	parse_solution(p, &pt, category_line);
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
		problem(&p, 1, QUESTIONS_ERROR, "file too large (%zu bytes; "
		    "the limit is %d)", len, QUESTIONS_MAX_FILE);
		goto out;
	}
	split_lines(&p, buf, len);
	if (p.errors > 0)
		goto out;
	for (size_t i = 0; i < p.n && q == NULL; i++)
		if (!is_blank(p.lines[i]))
			q = p.q = xcalloc(1, sizeof *q);
	if (q == NULL) {
		problem(&p, 1, QUESTIONS_ERROR, "empty file");
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
	free_items(q->approach, q->n_approach);
	free_items(q->quick_checklist, q->n_quick_checklist);
	free_items(q->pitfalls, q->n_pitfalls);
	free_items(q->checklist, q->n_checklist);
	free(q);
}
