/*
 * fuzz-questions.c — the question-file parser: arbitrary bytes as one
 * question file through questions_parse() and the problem report, and a
 * question that parsed through everything the server does with one (the
 * two JSON views, the bank, choosing). The naming rules (slugs, category
 * keys, difficulty names, the clean-text rule) get the raw bytes too.
 *
 * Invariants checked, beyond "no crash, no leak, no UB":
 *   - a question comes back exactly when no error was reported, and the
 *     report is bounded, names real lines and is clean text (it goes to
 *     an operator's terminal);
 *   - a question that parsed is complete: a valid id, every required
 *     text, a non-empty checklist, keys that are slugs and unique, none
 *     of them "general" (note.add's item for a note on no item), and no
 *     key that is both a checklist item and a red flag (note.add could
 *     then neither score nor flag it);
 *   - its JSON views hold every field (a string jansson refused would
 *     silently drop out of the view);
 *   - the bank finds it by id and chooses it for its own preferences
 *     without relaxing anything.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bank.h"
#include "fuzz.h"
#include "questions.h"

#define FILE_NAME "fuzz.txt"

static int
is_clean(const char *s)
{
	size_t at;
	uint32_t cp;

	return questions_text_check(s, strlen(s), &at, &cp) ==
	    QUESTIONS_TEXT_OK;
}

/* An id as the Id: header allows it: [a-z0-9] runs joined by single '-'. */
static void
check_id(const char *id)
{
	size_t n = strlen(id);

	FUZZ_CHECK(n >= 1 && n <= QUESTIONS_MAX_ID);
	FUZZ_CHECK(id[0] != '-' && id[n - 1] != '-');
	for (size_t i = 0; i < n; i++)
		FUZZ_CHECK((id[i] >= 'a' && id[i] <= 'z') ||
		    (id[i] >= '0' && id[i] <= '9') ||
		    (id[i] == '-' && id[i + 1] != '-'));
}

/* A checklist key: [a-z0-9_], never empty. */
static void
check_key(const char *key)
{
	FUZZ_CHECK(key != NULL && key[0] != '\0');
	for (const char *k = key; *k != '\0'; k++)
		FUZZ_CHECK((*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') ||
		    *k == '_');
}

static int
has_key(const struct questions_item *v, size_t n, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].key, key) == 0)
			return 1;
	return 0;
}

static void
check_items(const struct questions_item *v, size_t n, int with_text)
{
	for (size_t i = 0; i < n; i++) {
		check_key(v[i].key);
		FUZZ_CHECK(strcmp(v[i].key, "general") != 0);
		FUZZ_CHECK(!has_key(v, i, v[i].key));
		FUZZ_CHECK(v[i].label != NULL && is_clean(v[i].label));
		if (with_text)
			FUZZ_CHECK(v[i].text != NULL && is_clean(v[i].text));
	}
}

static void
check_question(const struct question *q)
{
	FUZZ_CHECK(strcmp(q->file, FILE_NAME) == 0);
	check_id(q->id);
	FUZZ_CHECK(q->title != NULL && q->title[0] != '\0');
	FUZZ_CHECK(q->category != NULL && q->category[0] != '\0');
	FUZZ_CHECK(q->category_key != NULL);
	FUZZ_CHECK((unsigned)q->difficulty < QUESTIONS_DIFFICULTY__COUNT);
	FUZZ_CHECK(q->prompt != NULL && q->prompt[0] != '\0');
	FUZZ_CHECK(q->quick_answer != NULL && q->quick_answer[0] != '\0');
	FUZZ_CHECK(q->model_answer != NULL);
	FUZZ_CHECK(q->company == NULL || q->company[0] != '\0');
	FUZZ_CHECK(q->role == NULL || q->role[0] != '\0');
	FUZZ_CHECK(q->round == NULL || q->round[0] != '\0');

	check_items(q->approach, q->n_approach, 1);
	check_items(q->quick_checklist, q->n_quick_checklist, 0);
	check_items(q->pitfalls, q->n_pitfalls, 0);
	check_items(q->checklist, q->n_checklist, 0);
	FUZZ_CHECK(q->n_checklist > 0);
	FUZZ_CHECK(q->default_checklist ==
	    (q->n_approach + q->n_quick_checklist == 0));
	if (!q->default_checklist)
		FUZZ_CHECK(q->n_checklist ==
		    q->n_approach + q->n_quick_checklist);
	for (size_t i = 0; i < q->n_quick_checklist; i++)
		FUZZ_CHECK(!has_key(q->approach, q->n_approach,
		    q->quick_checklist[i].key));
	for (size_t i = 0; i < q->n_pitfalls; i++)
		FUZZ_CHECK(!has_key(q->checklist, q->n_checklist,
		    q->pitfalls[i].key));
}

static void
check_str(const json_t *o, const char *name, const char *want)
{
	json_t *v = json_object_get(o, name);

	if (want == NULL) {
		FUZZ_CHECK(json_is_null(v));
		return;
	}
	FUZZ_CHECK(json_is_string(v));
	FUZZ_CHECK(strcmp(json_string_value(v), want) == 0);
}

static void
check_list(const json_t *a, const struct questions_item *v, size_t n,
    int with_text)
{
	FUZZ_CHECK(json_is_array(a) && json_array_size(a) == n);
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_array_get(a, i);

		check_str(o, "key", v[i].key);
		check_str(o, "label", v[i].label);
		if (with_text)
			check_str(o, "text", v[i].text);
	}
}

static void
check_views(const struct question *q)
{
	json_t *c = bank_view_candidate(q), *iv = bank_view_interviewer(q);
	char *s;

	check_str(c, "id", q->id);
	check_str(c, "title", q->title);
	check_str(c, "prompt", q->prompt);
	check_str(c, "category", q->category);
	check_str(c, "category_key", q->category_key);
	check_str(c, "difficulty", questions_difficulty_name(q->difficulty));
	check_str(c, "company", q->company);
	check_str(c, "role", q->role);
	check_str(c, "round", q->round);
	FUZZ_CHECK(json_object_get(c, "quick_answer") == NULL);

	check_str(iv, "id", q->id);
	check_str(iv, "quick_answer", q->quick_answer);
	check_str(iv, "model_answer", q->model_answer);
	check_list(json_object_get(iv, "approach"), q->approach,
	    q->n_approach, 1);
	check_list(json_object_get(iv, "checklist"), q->checklist,
	    q->n_checklist, 0);
	check_list(json_object_get(iv, "red_flags"), q->pitfalls,
	    q->n_pitfalls, 0);
	FUZZ_CHECK(json_array_size(json_object_get(iv, "pitfalls")) ==
	    q->n_pitfalls);

	s = json_dumps(iv, JSON_COMPACT);
	FUZZ_CHECK(s != NULL);
	free(s);
	json_decref(c);
	json_decref(iv);
}

/* The bank holding q: found by id, chosen for its own preferences. */
static void
check_bank(struct question *q, const char *prefs_text, uint64_t seed)
{
	struct bank *b = bank_new();
	struct bank_prefs own = { q->category,
	    questions_difficulty_name(q->difficulty), q->company, q->round };
	struct bank_prefs any = { prefs_text, prefs_text, prefs_text,
	    prefs_text };
	const char *seen[] = { q->id };
	unsigned relaxed = 1234;

	FUZZ_CHECK(bank_add(b, q, NULL) == 0);
	FUZZ_CHECK(bank_count(b) == 1 && bank_at(b, 0) == q);
	FUZZ_CHECK(bank_find(b, q->id) == q);
	FUZZ_CHECK(bank_choose(b, &own, NULL, 0, seed, &relaxed) == q);
	FUZZ_CHECK(relaxed == 0);
	FUZZ_CHECK(bank_choose(b, &own, seen, 1, seed, &relaxed) == q);
	FUZZ_CHECK(relaxed == BANK_RELAXED_SEEN);
	FUZZ_CHECK(bank_choose(b, &any, seen, 1, seed, &relaxed) == q);
	FUZZ_CHECK((relaxed & ~(BANK_RELAXED_ROUND | BANK_RELAXED_COMPANY |
	    BANK_RELAXED_DIFFICULTY | BANK_RELAXED_CATEGORY |
	    BANK_RELAXED_SEEN)) == 0);
	FUZZ_CHECK(bank_choose(b, NULL, NULL, 0, seed, NULL) == q);
	bank_free(b);	/* frees q */
}

/* The report: bounded, about real lines, clean text when printed. */
static void
check_report(const struct questions_problems *pr, const char *buf,
    size_t size)
{
	size_t lines = 1, n = 0, warnings = 0;
	char *out = NULL;
	FILE *f;

	for (size_t i = 0; i < size; i++)
		lines += buf[i] == '\n';
	FUZZ_CHECK(pr->n <= QUESTIONS_MAX_PROBLEMS + 1);
	FUZZ_CHECK(pr->errors + pr->warnings == pr->n);
	for (size_t i = 0; i < pr->n; i++) {
		const struct questions_problem *p = &pr->v[i];

		FUZZ_CHECK(strcmp(p->file, FILE_NAME) == 0);
		FUZZ_CHECK(p->line <= lines);
		FUZZ_CHECK(p->reason != NULL && p->reason[0] != '\0');
		FUZZ_CHECK(is_clean(p->reason));
		warnings += p->severity == QUESTIONS_WARNING;
	}
	FUZZ_CHECK(warnings == pr->warnings);

	f = open_memstream(&out, &n);
	FUZZ_CHECK(f != NULL);
	questions_problems_print(pr, f);
	FUZZ_CHECK(fclose(f) == 0);
	for (char *line = out, *nl; line < out + n; line = nl + 1) {
		nl = strchr(line, '\n');
		FUZZ_CHECK(nl != NULL);
		*nl = '\0';
		FUZZ_CHECK(is_clean(line));
	}
	free(out);
}

/* The naming rules on the raw bytes. */
static void
check_names(const char *buf, size_t size, const char *cstr)
{
	char *key = questions_slug_key(buf, size);
	char *id = questions_slug_id(buf, size);
	char *cat = questions_category_key(cstr);
	const char *const *dc = questions_default_checklist(cat);
	int d = questions_difficulty_parse(cstr);
	size_t at = 0;
	uint32_t cp = 0;

	check_key(key);
	FUZZ_CHECK(strlen(key) <= QUESTIONS_MAX_KEY);
	check_id(id);
	FUZZ_CHECK(strlen(cat) <= QUESTIONS_MAX_ID);
	for (const char *c = cat; *c != '\0'; c++)
		FUZZ_CHECK((*c >= 'a' && *c <= 'z') || (*c >= '0' && *c <= '9') ||
		    *c == '_');
	FUZZ_CHECK(dc != NULL && dc[0] != NULL);
	for (; dc[0] != NULL; dc += 2)
		check_key(dc[0]);
	FUZZ_CHECK(d >= -1 && d < QUESTIONS_DIFFICULTY__COUNT);
	if (d >= 0)
		FUZZ_CHECK(questions_difficulty_parse(
		    questions_difficulty_name((enum questions_difficulty)d)) == d);
	if (questions_text_check(buf, size, &at, &cp) != QUESTIONS_TEXT_OK)
		FUZZ_CHECK(at < size);
	free(key);
	free(id);
	free(cat);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct questions_problems pr;
	struct question *q, *q2;
	char *cstr = malloc(size + 1);
	uint64_t seed = 0;

	FUZZ_CHECK(cstr != NULL);
	memcpy(cstr, buf, size);
	cstr[size] = '\0';
	for (size_t i = 0; i < size && i < 8; i++)
		seed = seed << 8 | data[i];

	questions_problems_init(&pr);
	q = questions_parse(buf, size, FILE_NAME, &pr);
	FUZZ_CHECK((q != NULL) == (pr.errors == 0));
	FUZZ_CHECK(q != NULL || pr.n > 0);
	check_report(&pr, buf, size);
	questions_problems_free(&pr);

	/* Without a report to fill, the same verdict. */
	q2 = questions_parse(buf, size, FILE_NAME, NULL);
	FUZZ_CHECK((q2 != NULL) == (q != NULL));
	questions_free(q2);

	if (q != NULL) {
		check_question(q);
		check_views(q);
		check_bank(q, cstr, seed);
	}
	check_names(buf, size, cstr);
	free(cstr);
	return 0;
}
