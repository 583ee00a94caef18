/*
 * view.h — what each side of a session is shown: the two views of a
 * question (cached, shared by all sessions on that question), the whole
 * session state for one participant (the `session` push), and the short
 * description in the reply to auth.
 */
#ifndef MOCKINT_VIEW_H
#define MOCKINT_VIEW_H

#include <jansson.h>
#include <stdint.h>

struct bank;
struct session;

/*
 * A question's two views, shared by every session on it. The cache holds
 * one reference and each session holds one (view_ref when it takes the
 * question, view_unref when it is freed): when the bank is reloaded the
 * cache lets go of its references (view_retire_all), and a question's old
 * views live on exactly as long as the sessions that were asked it.
 */
struct qviews {
	int refs;
	char *id;
	json_t *interviewer;	/* quick answer, model answer, checklist... */
	json_t *candidate;	/* the prompt and its identity only */
	struct qviews *next;
};

enum item_kind { ITEM_UNKNOWN, ITEM_CHECKLIST, ITEM_RED_FLAG, ITEM_GENERAL };

/*
 * The views of question id: cached once made; made from bank b's
 * question (NULL when b lacks it and none is cached). The caller takes
 * its reference with view_ref: when b is not the bank in service (a start
 * that began before a reload), the view is made from b, left out of the
 * cache, and lives by that reference alone.
 */
const struct qviews *view_question(const struct bank *b, const char *id);
/* The views of a retired question, from the interviewer view the
 * database kept (taken over); cached like the others. */
const struct qviews *view_question_json(const char *id, json_t *interviewer);
const struct qviews *view_ref(const struct qviews *q);
void view_unref(const struct qviews *q);
/* The bank changed: new sessions get new views; old ones keep theirs. */
void view_retire_all(void);
void view_free_all(void);
/* What a note's item is for this question. */
enum item_kind view_item_kind(const struct qviews *q, const char *item);

/* The `session` fields for the participant in role (a new object). */
json_t *view_session(struct session *s, int role);
/* {session_id, role, phase} of the user's live session, or json null. */
json_t *view_brief(int64_t user);

#endif
