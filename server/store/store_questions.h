/*
 * store_questions.h — the question bank's copy in SQLite
 * (schema/0003_questions.sql): every question ever loaded, so that the
 * history of a session still shows its question after the file is gone.
 */
#ifndef MOCKINT_STORE_QUESTIONS_H
#define MOCKINT_STORE_QUESTIONS_H

#include <jansson.h>

struct bank;
struct store;

/*
 * Upsert every question of b into the questions table (data: the
 * interviewer view) and mark those no longer in b inactive, kept for
 * history; one transaction. 0 or -1.
 */
int store_questions_sync(struct store *st, const struct bank *b);
/* The same inside the caller's transaction (a writer job's). */
int store_questions_sync_in(struct store *st, const struct bank *b);
/*
 * The stored interviewer view of question id, active or not (history of
 * retired questions); NULL when unknown. The caller json_decref()s it.
 */
json_t *store_questions_load_json(struct store *st, const char *id);

#endif
