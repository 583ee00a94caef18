/*
 * bank.h — the question bank in memory: a directory of question files
 * loaded once (bad files reported and skipped), looked up by id, iterated
 * in file-name order, and chosen from for an interview. Also the two JSON
 * views of a question (candidate, interviewer), the --check-questions
 * validator. (Its copy in SQLite is the store's: store/store_questions.h.)
 */
#ifndef MOCKINT_BANK_H
#define MOCKINT_BANK_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "questions.h"

struct bank;

/* Preferences for bank_choose; NULL or "" means no preference. */
struct bank_prefs {
	const char	*category;	/* any spelling questions_category_key knows */
	const char	*difficulty;	/* easy, medium, hard */
	const char	*company;
	const char	*round;
};

/* What bank_choose had to give up to find a question. */
#define BANK_RELAXED_ROUND	0x01
#define BANK_RELAXED_COMPANY	0x02
#define BANK_RELAXED_DIFFICULTY	0x04
#define BANK_RELAXED_CATEGORY	0x08
#define BANK_RELAXED_SEEN	0x10

/* A new, empty bank holding one reference. */
struct bank *bank_new(void);
/* Free b now, whoever else holds it (use bank_unref when shared). */
void bank_free(struct bank *b);
/*
 * References: a bank is immutable once loaded, so any thread may read one
 * it holds a reference to (the store's writer chooses questions with it).
 * The last bank_unref frees it. Both accept NULL.
 */
struct bank *bank_ref(struct bank *b);
void bank_unref(struct bank *b);
/*
 * The bank in service, NULL before one is installed. bank_install takes
 * over b's reference and drops the old bank's (jobs still holding it keep
 * it alive). Loop thread only.
 */
struct bank *bank_current(void);
void bank_install(struct bank *b);

/*
 * Add q, taking ownership. A question whose id is already in the bank is
 * reported to pr (may be NULL), freed, and -1 returned.
 */
int bank_add(struct bank *b, struct question *q, struct questions_problems *pr);

/*
 * Read and parse one file (at most QUESTIONS_MAX_FILE bytes are read).
 * NULL when it is unreadable or has an error; problems go to pr.
 */
struct question *bank_read_file(const char *path, struct questions_problems *pr);

/*
 * Load every *.txt in dir (names starting with '.' skipped), in strcmp
 * order of the names. Bad files and duplicate ids are reported to pr and
 * skipped. NULL only when dir cannot be read (also reported); a bank may
 * come back empty, which the caller decides about.
 */
struct bank *bank_load(const char *dir, struct questions_problems *pr);

/*
 * mockintd --check-questions DIR: load dir, print every problem and a
 * summary (files, counts per category and per difficulty) to out. Returns
 * 0 only when there is at least one question file and no file has an
 * error or a warning; 1 otherwise.
 */
int bank_check_dir(const char *dir, FILE *out);

/* The number of questions; 0 for NULL (no bank). */
size_t bank_count(const struct bank *b);
/* The i-th question in file-name order, NULL past the end. */
const struct question *bank_at(const struct bank *b, size_t i);
const struct question *bank_find(const struct bank *b, const char *id);

/*
 * Choose a question (see "Choosing a question" in schema/QUESTIONS.md):
 * the first step of this order that matches anything wins, and a question
 * is picked among its matches with seed (same bank, same arguments, same
 * seed: same question).
 *   1. all preferences, unseen      5. all preferences, seen too
 *   2. no round, unseen             6. no round, seen too
 *   3. no round, company, unseen    7. no round, company, seen too
 *   4. category only, unseen        8. category only, seen too
 *   9. anything unseen             10. anything
 * seen_ids[0..n_seen) are the ids the candidate has had. *relaxed (may
 * be NULL) gets the BANK_RELAXED_* bits of what was given up (only of
 * preferences that were given). NULL only when the bank is empty.
 */
const struct question *bank_choose(const struct bank *b,
    const struct bank_prefs *prefs, const char *const *seen_ids,
    size_t n_seen, uint64_t seed, unsigned *relaxed);

/*
 * The candidate's view: id, title, prompt, category, category_key,
 * difficulty, company, role, round (absent ones null).
 */
json_t *bank_view_candidate(const struct question *q);
/*
 * The interviewer's view: the candidate's plus quick_answer,
 * model_answer, approach [{key,label,text}], checklist [{key,label}],
 * default_checklist (bool), red_flags [{key,label}], pitfalls [label].
 */
json_t *bank_view_interviewer(const struct question *q);
/*
 * The candidate's view cut from an interviewer's view (a stored copy of a
 * retired question, say) by an allow-list of the candidate's keys.
 */
json_t *bank_view_candidate_of(const json_t *interviewer);

#endif
