/*
 * questions_solution.c — the solution of a question file: the model
 * answer, and the structured sections in it (approach, quick checklist,
 * red flags) with the keys their items are scored and flagged by, and
 * the checklist they make (see schema/QUESTIONS.md).
 */
#include "questions_int.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

/* A heading longer than this is prose, not a section heading. */
#define HEADING_MAX	80
/* An approach "Label:" longer than this is a sentence, not a label. */
#define LABEL_MAX	60
/* Bullets per section: bounds the work on hostile input. */
#define ITEMS_MAX	64
/* The bullet besides "-" and "*": U+2022 in UTF-8. */
#define BULLET		"\xE2\x80\xA2"
#define BULLET_LEN	(sizeof BULLET - 1)

struct items {
	struct questions_item	*v;
	size_t			 n;
	size_t			 cap;
};

/* Keys are given in this order, so a checklist key wins over a red flag's. */
enum section { S_MODEL, S_APPROACH, S_CHECKLIST, S_PITFALLS, S__COUNT };

static const char *const section_names[S__COUNT] = {
	[S_MODEL] = "model answer",
	[S_APPROACH] = "Approach ...:",
	[S_PITFALLS] = "Common pitfalls",
	[S_CHECKLIST] = "Quick checklist",
};

/* A bullet ("- ", "* " or "• "); its text goes to *text. */
static int
is_bullet(struct line l, struct line *text)
{
	l = line_trim(l);
	if (l.len >= 2 && (l.s[0] == '-' || l.s[0] == '*') &&
	    (l.s[1] == ' ' || l.s[1] == '\t')) {
		*text = line_rest(l, 2);
		return 1;
	}
	if (l.len > BULLET_LEN && memcmp(l.s, BULLET, BULLET_LEN) == 0 &&
	    (l.s[BULLET_LEN] == ' ' || l.s[BULLET_LEN] == '\t')) {
		*text = line_rest(l, BULLET_LEN + 1);
		return 1;
	}
	return 0;
}

/* The section a (non-bullet) line opens, S_MODEL when it opens none. */
static enum section
heading(struct line l)
{
	l = line_trim(l);
	if (l.len == 0 || l.len > HEADING_MAX)
		return S_MODEL;
	if (line_prefix_ci(l, "approach") && l.s[l.len - 1] == ':')
		return S_APPROACH;
	if (l.s[l.len - 1] == ':')
		l.len--;
	if (line_prefix_ci(l, "common pitfalls") ||
	    line_prefix_ci(l, "pitfalls") || line_prefix_ci(l, "red flags") ||
	    line_prefix_ci(l, "common mistakes"))
		return S_PITFALLS;
	if (line_prefix_ci(l, "quick checklist") ||
	    line_equal_ci(l, "checklist"))
		return S_CHECKLIST;
	return S_MODEL;
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
		label = line_trim(label);
		if (label.len == 0 || label.len > LABEL_MAX)
			break;
		item->label = line_dup(label);
		item->text = line_dup(line_rest(text, i + 1));
		return;
	}
	item->label = line_dup(text);
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
				if (i < p->n && line_is_blank(l))
					continue;
				if (b->sect[cur].n == before) {
					parse_problem(p, head + 1,
					    QUESTIONS_WARNING, "'%s' heading "
					    "with no bullets after it; kept as "
					    "model answer text",
					    section_names[cur]);
					buf_add_line(&b->model, p->lines[head]);
				}
				cur = S_MODEL;
			} else if (b->sect[cur].n == ITEMS_MAX) {
				parse_problem(p, i + 1, QUESTIONS_ERROR,
				    "more than %d bullets in the '%s' section",
				    ITEMS_MAX, section_names[cur]);
				return;
			} else {
				struct questions_item *item;

				item = items_add(&b->sect[cur]);
				if (cur == S_APPROACH)
					approach_item(item, text);
				else
					item->label = line_dup(text);
				continue;
			}
		}
		if (i == p->n)
			break;
		if (!is_bullet(l, &text) && (h = heading(l)) != S_MODEL) {
			if (b->first_line[h] != 0)
				parse_problem(p, i + 1, QUESTIONS_WARNING,
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

void
items_free(struct questions_item *v, size_t n)
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
	char		 tmp[QUOTE_SIZE];

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
			parse_problem(p, category_line, QUESTIONS_WARNING,
			    "unknown category '%s' and no approach or quick "
			    "checklist: the general default checklist applies",
			    line_clip(tmp, sizeof tmp, (struct line){
			    q->category, strlen(q->category) }));
	}
	q->checklist = cl.v;
	q->n_checklist = cl.n;
}

/*
 * The solution after its line: the model answer, the structured sections
 * with their keys, and the checklist they make.
 */
void
parse_solution(struct parse *p, size_t sol, struct line first,
    size_t category_line)
{
	struct question	*q = p->q;
	struct body	 body;

	memset(&body, 0, sizeof body);
	parse_body(p, sol + 1, first, &body);
	q->model_answer = buf_finish(&body.model);
	if (q->model_answer[0] == '\0' && body.sect[S_APPROACH].n == 0 &&
	    body.sect[S_PITFALLS].n == 0 && body.sect[S_CHECKLIST].n == 0)
		parse_problem(p, sol + 1, QUESTIONS_WARNING, "empty solution");
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
		items_free(body.sect[s].v, body.sect[s].n);
	free(body.model.s);
}
