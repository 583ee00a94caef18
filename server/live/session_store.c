/*
 * session_store.c — a session's writes and its restore (see session.h).
 *
 * Writes of a session go through the writer (writer.h), in order: the
 * session's row, its phase changes, its end. The loop moves on at once
 * for a phase change; a start waits for its commit before it is announced
 * (its question is chosen in the same job, on the writer's thread, from
 * the candidate's history), and an end waits for its commit because the
 * scores it announces must include every note acknowledged before it.
 */
#include <math.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "bank.h"
#include "log.h"
#include "session_int.h"
#include "store.h"
#include "store_questions.h"
#include "store_items.h"
#include "store_sessions.h"
#include "view.h"
#include "writer.h"
#include "xmalloc.h"

static const char *const origin_names[] = { "queue", "room", "swap" };

const char *
session_origin_name(enum session_origin o)
{
	return origin_names[o];
}

static int
origin_parse(const char *name)
{
	for (size_t i = 0; i < sizeof origin_names / sizeof origin_names[0];
	    i++)
		if (strcmp(origin_names[i], name) == 0)
			return (int)i;
	return ORIGIN_QUEUE;
}

enum { SJ_CREATE, SJ_PHASE, SJ_FINISH, SJ_EXTEND };

struct session_job {
	struct store_job job;
	int kind;
	int64_t id;
	/* SJ_CREATE: in */
	int64_t interviewer, candidate, swap_of;
	enum session_origin origin;
	int phase_s[PHASE__TIMED];
	char *prefs;			/* the queue preferences, JSON text */
	struct bank *bank;		/* referenced */
	char *category, *difficulty;	/* bank_prefs, copied */
	uint64_t seed;
	/* SJ_CREATE: out */
	char qid[QUESTIONS_ID_SIZE];
	int64_t now;
	/* SJ_PHASE, SJ_FINISH, SJ_EXTEND */
	int from, to;
	int64_t at, ends_at, extended_ms;
	/* SJ_FINISH */
	const char *reason;
	int64_t ended_by;
	char **keys;		/* the checklist's keys, for the overall */
	size_t nkeys;
	double overall;
	json_t *scores;		/* made on the writer, read on the loop */
	int64_t requeue;	/* after a no-show: who goes back in line */
	char requeue_name[USERNAME_SIZE];
	json_t *requeue_prefs;	/* loop thread only */
};

/* Choose the question and write the row (writer thread). */
static int
run_create(struct store *st, struct session_job *j)
{
	struct bank_prefs bp = { j->category, j->difficulty, NULL, NULL };
	const struct question *q;
	char **seen = NULL;
	size_t n = 0;
	int rc;

	if (store_seen_questions(st, j->candidate, &seen, &n) != 0)
		n = 0;
	q = bank_choose(j->bank, &bp, (const char *const *)seen, n, j->seed,
	    NULL);
	for (size_t i = 0; i < n; i++)
		free(seen[i]);
	free(seen);
	if (q == NULL)
		return -1;
	/* Chosen even if the row then fails: the pair is told (see
	 * session_started). The prep phase starts when the row is written,
	 * not when the pair was made: a slow commit does not eat into it. */
	snprintf(j->qid, sizeof j->qid, "%s", q->id);
	j->now = proto_now_ms();
	rc = store_session_create(st, j->id, j->interviewer, j->candidate,
	    j->qid, session_origin_name(j->origin), j->swap_of, j->phase_s,
	    j->prefs, j->now);
	return rc == 0 ? 0 : -1;
}

/* The final scores and the overall, then the end (writer thread). */
static int
run_finish(struct store *st, struct session_job *j)
{
	json_t *flags = NULL;
	double sum = 0;
	int n = 0;

	/* Every note before this job is committed or in this very
	 * transaction, so these are the final scores. */
	if (store_scores(st, j->id, &j->scores, &flags) != 0)
		return -1;
	json_decref(flags);
	for (size_t i = 0; i < j->nkeys; i++) {
		json_t *sc = json_object_get(j->scores, j->keys[i]);

		if (json_is_integer(sc)) {
			sum += (double)json_integer_value(sc);
			n++;
		}
	}
	j->overall = n > 0 ? sum / n : NAN;
	return store_session_finish(st, j->id, j->from, j->at, j->reason,
	    j->ended_by, j->overall);
}

static int
job_run(struct store *st, struct store_job *w)
{
	struct session_job *j = (struct session_job *)w;

	switch (j->kind) {
	case SJ_CREATE:
		return run_create(st, j);
	case SJ_PHASE:
		return store_session_phase(st, j->id, j->from, j->to, j->at,
		    j->ends_at);
	case SJ_EXTEND:
		return store_session_extend(st, j->id, j->ends_at,
		    j->extended_ms);
	}
	return run_finish(st, j);
}

static void
job_free(struct session_job *j)
{
	for (size_t i = 0; i < j->nkeys; i++)
		free(j->keys[i]);
	free(j->keys);
	free(j->prefs);
	free(j->category);
	free(j->difficulty);
	bank_unref(j->bank);
	json_decref(j->scores);
	json_decref(j->requeue_prefs);
	free(j);
}

static void
job_done(struct store_job *w, int status)
{
	struct session_job *j = (struct session_job *)w;
	struct session *s = session_find(j->id);

	if (status != 0)
		log_error(0, "session %lld: could not record %s",
		    (long long)j->id, j->kind == SJ_CREATE ? "its start" :
		    j->kind == SJ_FINISH ? "its end" : "a phase change");
	if (s == NULL)
		goto out;	/* shutting down */
	if (j->kind == SJ_CREATE)
		session_started(s, status == 0, j->bank, j->qid, j->now);
	else if (j->kind == SJ_FINISH) {
		/* Even unrecorded, the session is over for its people; its
		 * row stays live and a restart ends it by the clock. */
		session_finished(s, status == 0 ? j->scores : NULL,
		    status == 0 ? j->overall : NAN, j->requeue,
		    j->requeue_name, j->requeue_prefs);
	}
out:
	job_free(j);
}

static struct session_job *
job_new(int kind, int64_t id)
{
	struct session_job *j = xcalloc(1, sizeof *j);

	j->job.run = job_run;
	j->job.done = job_done;
	j->kind = kind;
	j->id = id;
	j->overall = NAN;
	return j;
}

void
session_store_create(struct session *s, const struct bank_prefs *prefs)
{
	struct session_job *j = job_new(SJ_CREATE, s->id);

	j->interviewer = s->user[ROLE_INTERVIEWER];
	j->candidate = s->user[ROLE_CANDIDATE];
	j->origin = s->origin;
	j->swap_of = s->swap_of;
	memcpy(j->phase_s, s->phase_s, sizeof j->phase_s);
	j->prefs = s->prefs != NULL ? json_dumps(s->prefs, JSON_COMPACT) :
	    NULL;
	/* The bank may be reloaded meanwhile: the job keeps the one it
	 * chooses from, and the views are built from that one. */
	j->bank = bank_ref(bank_current());
	if (prefs != NULL && prefs->category != NULL)
		j->category = xstrdup(prefs->category);
	if (prefs != NULL && prefs->difficulty != NULL)
		j->difficulty = xstrdup(prefs->difficulty);
	j->seed = randombytes_random() | (uint64_t)randombytes_random() << 32;
	writer_submit(&j->job);
}

void
session_store_phase(struct session *s, int from, int to, int64_t at)
{
	struct session_job *j = job_new(SJ_PHASE, s->id);

	j->from = from;
	j->to = to;
	j->at = at;
	j->ends_at = at + (int64_t)s->phase_s[to] * 1000;
	writer_submit(&j->job);
}

void
session_store_extend(struct session *s)
{
	struct session_job *j = job_new(SJ_EXTEND, s->id);

	j->ends_at = s->phase_ends_at;
	j->extended_ms = s->extended_ms;
	writer_submit(&j->job);
}

void
session_store_finish(struct session *s, int from, int64_t at,
    const char *reason, int requeue)
{
	struct session_job *j = job_new(SJ_FINISH, s->id);
	json_t *list = s->q != NULL ? json_object_get(s->q->interviewer,
	    "checklist") : NULL, *e;
	size_t i;

	j->from = from;
	j->at = at;
	j->reason = reason;
	j->ended_by = s->ended_by;
	j->keys = xcalloc(json_array_size(list) + 1, sizeof *j->keys);
	json_array_foreach(list, i, e) {
		const char *key = json_string_value(json_object_get(e, "key"));

		j->keys[j->nkeys++] = xstrdup(key != NULL ? key : "");
	}
	if (requeue >= 0) {
		j->requeue = s->user[requeue];
		snprintf(j->requeue_name, sizeof j->requeue_name, "%s",
		    s->name[requeue]);
		j->requeue_prefs = json_incref(json_object_get(s->prefs,
		    role_name(requeue)));
	}
	writer_submit(&j->job);
}

/* A row whose question is gone from the bank and the database: end it. */
static void
end_orphan(const struct session_row *row, int64_t now)
{
	struct session_job *j = job_new(SJ_FINISH, row->id);

	log_error(0, "session %lld: question %s is gone; ending it",
	    (long long)row->id, row->question_id);
	j->from = row->phase;
	j->at = now;
	j->reason = "abandoned";
	writer_submit(&j->job);
}

struct restore_ctx {
	struct store *st;
	int n;
};

/* The views of a restored session's question: the bank's, or the copy
 * the database keeps of a retired one. */
static const struct qviews *
restore_views(struct store *st, const char *qid)
{
	const struct qviews *qv = view_question(bank_current(), qid);
	json_t *iv;

	if (qv == NULL && (iv = store_questions_load_json(st, qid)) != NULL)
		qv = view_question_json(qid, iv);
	return qv;
}

/* Window cost of the items of a page, by cost_of. */
static size_t
page_cost(const json_t *items, size_t (*cost_of)(const json_t *))
{
	size_t i, n = 0;
	json_t *e;

	json_array_foreach(items, i, e)
		n += cost_of(e);
	return n;
}

/*
 * What the pushes show of a restored session, and what it used of its
 * limits, read once (it keeps the empty state session_new gave it when the
 * database fails).
 */
static int
restore_state(struct store *st, struct session *s)
{
	struct store_page notes = { NULL, 0 }, chat = { NULL, 0 };
	struct store_item_counts n;
	json_t *scores = NULL, *flags = NULL;
	int rc = -1;

	if (store_notes_page(st, s->id, INT64_MAX, PROTO_PUSH_BYTES,
	    &notes) != 0 || store_chat_page(st, s->id, INT64_MAX,
	    PROTO_PUSH_BYTES, &chat) != 0 || store_item_counts(st, s->id,
	    &n) != 0 || store_scores(st, s->id, &scores, &flags) != 0)
		goto out;
	json_decref(s->chat);
	json_decref(s->notes);
	json_decref(s->scores);
	json_decref(s->flags);
	s->chat = json_incref(chat.items);
	s->notes = json_incref(notes.items);
	s->scores = json_incref(scores);
	s->flags = json_incref(flags);
	s->notes_window = page_cost(s->notes, store_note_cost);
	s->chat_window = page_cost(s->chat, store_chat_cost);
	s->notes_total = s->used_notes = (int)n.notes;
	s->chat_total = s->used_chat = (int)n.chat;
	s->used_note_bytes = (long)n.note_bytes;
	s->used_chat_bytes = (long)n.chat_bytes;
	rc = 0;
out:
	json_decref(chat.items);
	json_decref(notes.items);
	json_decref(scores);
	json_decref(flags);
	return rc;
}

/* Bring a live session back after a restart, catching up with the clock. */
static void
restore(const struct session_row *row, void *arg)
{
	struct restore_ctx *ctx = arg;
	const struct qviews *qv = restore_views(ctx->st, row->question_id);
	int64_t now = proto_now_ms();
	struct session *s;

	if (qv == NULL) {
		end_orphan(row, now);
		return;
	}
	s = session_new(row->id);
	s->user[0] = row->interviewer;
	s->user[1] = row->candidate;
	snprintf(s->name[0], sizeof s->name[0], "%s", row->interviewer_name);
	snprintf(s->name[1], sizeof s->name[1], "%s", row->candidate_name);
	snprintf(s->question_id, sizeof s->question_id, "%s", row->question_id);
	s->q = view_ref(qv);
	s->origin = origin_parse(row->origin);
	s->swap_of = row->swap_of;
	memcpy(s->phase_s, row->phase_s, sizeof s->phase_s);
	s->created_at = row->created_at;
	s->prefs = row->prefs ? json_incref(row->prefs) : NULL;
	s->phase = row->phase;
	s->phase_ends_at = row->phase_ends_at;
	s->phase_started_at = row->phase_started_at ? row->phase_started_at :
	    row->phase_ends_at - (int64_t)row->phase_s[row->phase] * 1000;
	s->restored = 1;
	s->extended_ms = row->extended_ms;
	if (restore_state(ctx->st, s) != 0)
		log_error(0, "session %lld: could not read its notes and chat",
		    (long long)s->id);
	/* Nobody is connected yet: the grace period starts now. */
	s->away_since[0] = s->away_since[1] = now;
	session_bind_users(s);
	/* Phases that ran out while the server was down move on, each at
	 * the time it was due. */
	while (s->phase != PHASE_DONE && s->phase_ends_at <= now)
		session_advance(s, s->phase_ends_at);
	if (s->phase != PHASE_DONE) {
		session_schedule(s, now);
		session_schedule_away(s, now);
	}
	ctx->n++;
}

int
session_store_restore(struct store *st, int *restored)
{
	struct restore_ctx ctx = { st, 0 };
	int64_t last = store_sessions_max_id(st);

	if (last < 0)
		return -1;
	session_set_last_id(last);
	if (store_sessions_live(st, restore, &ctx) != 0)
		return -1;
	*restored = ctx.n;
	return 0;
}
