/*
 * session.c — live sessions: start, the phase clock, presence, the end,
 * restore after a restart (see session.h).
 */
#include "session.h"

#include <math.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "bank.h"
#include "conn.h"
#include "idmap.h"
#include "log.h"
#include "presence.h"
#include "queue.h"
#include "server.h"
#include "store.h"
#include "store_sessions.h"
#include "view.h"
#include "writer.h"
#include "xmalloc.h"

const struct proto_field session_fields_id[] = {
	{ "session_id", PF_INT, PF_REQUIRED, 1, PROTO_MAX_ID, NULL },
	{ NULL, 0, 0, 0, 0, NULL }
};

static struct idmap by_id;	/* every session in memory */
static int64_t last_id;		/* session ids are handed out here */
static struct idmap by_user;	/* user -> live session */

/* Clock events before a phase's end: a minute, ten seconds, the end. */
static const int64_t warn_before[3] = { 60000, 10000, 0 };

static void clock_fired(uv_timer_t *t);
static void finish_at(struct session *s, const char *reason, int64_t at,
    int requeue);
static void away_fired(uv_timer_t *t);
static void advance(struct session *s, int64_t at);

static const char *
role_name(int role)
{
	return role == ROLE_INTERVIEWER ? "interviewer" : "candidate";
}

struct session *
session_find(int64_t id)
{
	return idmap_get(&by_id, id);
}

struct session *
session_of_user(int64_t user)
{
	return idmap_get(&by_user, user);
}

void
session_broadcast(struct session *s, json_t *msg, const struct conn *except)
{
	for (int r = 0; r < 2; r++)
		for (struct conn *c = presence_first(s->user[r]); c != NULL;
		    c = c->user_next)
			if (c != except)
				conn_send(c, json_incref(msg));
	json_decref(msg);
}

static void
push_session(struct session *s)
{
	for (int r = 0; r < 2; r++)
		if (presence_online(s->user[r]))
			presence_send(s->user[r], proto_push("session",
			    view_session(s, r)));
}

static void
push_timer(struct session *s, int64_t now)
{
	int64_t left = s->phase_ends_at - now;

	session_broadcast(s, proto_push("timer", json_pack("{s:I,s:s,s:I,"
	    "s:I,s:I}", "session_id", (json_int_t)s->id, "phase",
	    options_phase_name(s->phase), "phase_ends_at",
	    (json_int_t)s->phase_ends_at, "remaining_ms",
	    (json_int_t)(left > 0 ? left : 0), "server_time",
	    (json_int_t)now)), NULL);
}

/* Arm the clock for the next event of this phase still ahead of now. */
static void
schedule(struct session *s, int64_t now)
{
	int64_t due;

	while (s->warn < 2 &&
	    s->phase_ends_at - warn_before[s->warn] <= s->phase_started_at)
		s->warn++;		/* a warning before the phase began */
	while (s->warn < 2 && s->phase_ends_at - warn_before[s->warn] <= now)
		s->warn++;		/* a warning already due: skip it */
	due = s->phase_ends_at - warn_before[s->warn];
	/*
	 * libuv counts from the loop's cached time, which lags the real
	 * time by however long this iteration has run so far: refresh it,
	 * or a busy loop fires the timer early.
	 */
	uv_update_time(srv.loop);
	uv_timer_start(&s->clock, clock_fired,
	    (uint64_t)(due > now ? due - now : 0), 0);
}

static void
start_phase(struct session *s, int phase, int64_t at)
{
	s->phase = phase;
	s->phase_started_at = at;
	s->phase_ends_at = at + (int64_t)s->phase_s[phase] * 1000;
	s->warn = 0;
}

static void
handle_closed(uv_handle_t *h)
{
	struct session *s = h->data;

	if (--s->handles > 0)
		return;
	json_decref(s->prefs);
	json_decref(s->notes);
	json_decref(s->chat);
	json_decref(s->scores);
	json_decref(s->flags);
	free(s);
}

static void
session_free(struct session *s)
{
	idmap_del(&by_id, s->id);
	if (session_of_user(s->user[0]) == s)
		idmap_del(&by_user, s->user[0]);
	if (session_of_user(s->user[1]) == s)
		idmap_del(&by_user, s->user[1]);
	uv_close((uv_handle_t *)&s->clock, handle_closed);
	uv_close((uv_handle_t *)&s->away, handle_closed);
}

static struct session *
session_new(int64_t id)
{
	struct session *s = xcalloc(1, sizeof *s);

	s->id = id;
	s->overall = NAN;
	uv_timer_init(srv.loop, &s->clock);
	uv_timer_init(srv.loop, &s->away);
	s->clock.data = s->away.data = s;
	s->handles = 2;
	idmap_put(&by_id, id, s);
	return s;
}

static void
linger_over(uv_timer_t *t)
{
	session_free(t->data);
}

/*
 * Writes of a session go through the writer (writer.h), in order: the
 * session's row, its phase changes, its end. The loop moves on at once;
 * only the end waits for its commit, because the scores it announces must
 * include every note acknowledged before it.
 */
enum { SJ_CREATE, SJ_PHASE, SJ_FINISH };

struct session_job {
	struct wjob w;
	int kind;
	int64_t id;
	/* SJ_CREATE */
	int64_t interviewer, candidate, swap_of, now;
	char qid[128], origin[8];
	int phase_s[PHASE__TIMED];
	char *prefs;
	/* SJ_PHASE, SJ_FINISH */
	int from, to;
	int64_t at, ends_at;
	/* SJ_FINISH */
	const char *reason;
	char **keys;		/* the checklist's keys, for the overall */
	size_t nkeys;
	double overall;
	json_t *scores;		/* made on the writer, read on the loop */
	int64_t requeue;	/* after a no-show: who goes back in line */
	char requeue_name[40];
	json_t *requeue_prefs;	/* loop thread only */
};

static int
job_run(struct store *st, struct wjob *w)
{
	struct session_job *j = (struct session_job *)w;
	json_t *flags = NULL;
	double sum = 0;
	int n = 0;

	switch (j->kind) {
	case SJ_CREATE:
		return store_session_create(st, j->id, j->interviewer,
		    j->candidate, j->qid, j->origin, j->swap_of, j->phase_s,
		    j->prefs, j->now);
	case SJ_PHASE:
		return store_session_phase(st, j->id, j->from, j->to, j->at,
		    j->ends_at);
	}
	/* SJ_FINISH: every note before this job is committed or in this
	 * very transaction, so these are the final scores. */
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
	    j->overall);
}

static void
job_free(struct session_job *j)
{
	for (size_t i = 0; i < j->nkeys; i++)
		free(j->keys[i]);
	free(j->keys);
	free(j->prefs);
	json_decref(j->scores);
	json_decref(j->requeue_prefs);
	free(j);
}

static void
finished(struct session_job *j)
{
	struct session *s = session_find(j->id);

	if (s == NULL)
		return;		/* shutting down */
	s->overall = j->overall;
	log_info(0, "session %lld ended: %s", (long long)s->id, s->reason);
	push_session(s);
	session_broadcast(s, proto_push("ended", json_pack("{s:I,s:s,s:O,s:o}",
	    "session_id", (json_int_t)s->id, "reason", s->reason, "scores",
	    j->scores ? j->scores : json_object(), "overall",
	    isnan(s->overall) ? json_null() : json_real(s->overall))), NULL);
	/* The one who stayed after a no-show waits at the head again. */
	if (j->requeue != 0)
		queue_requeue(j->requeue, j->requeue_name, j->requeue_prefs);
	/* Stay in memory while a swap may still be asked for. */
	uv_timer_start(&s->clock, linger_over, SESSION_SWAP_WINDOW_MS, 0);
}

static void
job_done(struct wjob *w, int status)
{
	struct session_job *j = (struct session_job *)w;

	if (status != 0)
		log_error(0, "session %lld: could not record %s", (long long)j->id,
		    j->kind == SJ_CREATE ? "its start" : j->kind == SJ_PHASE ?
		    "a phase change" : "its end");
	if (j->kind == SJ_CREATE && status != 0) {
		struct session *s = session_find(j->id);

		/*
		 * A session the database does not have can record nothing
		 * (every note would fail): end it now, so that both can
		 * start again, rather than let them talk into the void.
		 */
		if (s != NULL)
			finish_at(s, "abandoned", proto_now_ms(), -1);
	}
	if (j->kind == SJ_FINISH) {
		/* Even unrecorded, the session is over for its people; its
		 * row stays live and a restart ends it by the clock. */
		if (status != 0)
			j->overall = NAN;
		finished(j);
	}
	job_free(j);
}

static struct session_job *
job_new(int kind, int64_t id)
{
	struct session_job *j = xcalloc(1, sizeof *j);

	j->w.run = job_run;
	j->w.done = job_done;
	j->kind = kind;
	j->id = id;
	j->overall = NAN;
	return j;
}

/* End s now, in memory at once; the pushes follow the commit. */
static void
finish_at(struct session *s, const char *reason, int64_t at, int requeue)
{
	struct session_job *j;
	json_t *list = json_object_get(s->q->interviewer, "checklist"), *e;
	size_t i;

	if (s->phase == PHASE_DONE)
		return;
	j = job_new(SJ_FINISH, s->id);
	j->from = s->phase;
	j->at = at;
	j->reason = reason;
	j->keys = xcalloc(json_array_size(list) + 1, sizeof *j->keys);
	json_array_foreach(list, i, e)
		j->keys[j->nkeys++] = xstrdup(json_string_value(
		    json_object_get(e, "key")) ?: "");
	if (requeue >= 0) {
		j->requeue = s->user[requeue];
		snprintf(j->requeue_name, sizeof j->requeue_name, "%s",
		    s->name[requeue]);
		j->requeue_prefs = json_incref(json_object_get(s->prefs,
		    role_name(requeue)));
	}
	/* From here on nothing more can be written to it. */
	s->phase = PHASE_DONE;
	s->reason = reason;
	s->ended_at = at;
	idmap_del(&by_user, s->user[0]);
	idmap_del(&by_user, s->user[1]);
	uv_timer_stop(&s->away);
	uv_timer_stop(&s->clock);
	writer_submit(&j->w);
}

void
session_finish(struct session *s, const char *reason)
{
	finish_at(s, reason, proto_now_ms(), -1);
}

/* Move from the current phase to the next one, which starts at `at`. */
static void
advance(struct session *s, int64_t at)
{
	int from = s->phase;
	struct session_job *j;

	if (from == PHASE_SCORING) {
		finish_at(s, "completed", at, -1);
		return;
	}
	j = job_new(SJ_PHASE, s->id);
	j->from = from;
	j->to = from + 1;
	j->at = at;
	j->ends_at = at + (int64_t)s->phase_s[from + 1] * 1000;
	writer_submit(&j->w);
	start_phase(s, from + 1, at);
	log_debug(0, "session %lld: %s", (long long)s->id,
	    options_phase_name(s->phase));
	push_session(s);
	push_timer(s, at);
	schedule(s, proto_now_ms());
}

static void
clock_fired(uv_timer_t *t)
{
	struct session *s = t->data;
	int64_t now = proto_now_ms();

	if (s->phase == PHASE_DONE)
		return;
	/* Early by the wall clock (it was adjusted, or libuv rounded): wait
	 * for the rest rather than announce a moment that has not come. */
	if (now < s->phase_ends_at - warn_before[s->warn]) {
		schedule(s, now);
		return;
	}
	if (s->warn < 2) {
		push_timer(s, now);
		s->warn++;
		schedule(s, now);
		return;
	}
	/* The phase is over: say so, then move on from its due time. */
	push_timer(s, now);
	advance(s, s->phase_ends_at);
}

/* Arm the away timer for the earliest grace or no-show deadline. */
static void
schedule_away(struct session *s, int64_t now)
{
	int64_t due = INT64_MAX;

	if (s->phase == PHASE_DONE)
		return;
	if (s->away_since[ROLE_INTERVIEWER] != 0)
		due = s->away_since[ROLE_INTERVIEWER] +
		    (int64_t)srv.opts->grace_s * 1000;
	if (!s->restored && strcmp(s->origin, "queue") == 0 &&
	    s->phase == PHASE_PREP &&
	    (s->away_since[0] != 0 || s->away_since[1] != 0)) {
		int64_t window = s->phase_started_at +
		    (int64_t)srv.opts->no_show_s * 1000;

		if (window < due)
			due = window;
	}
	if (due == INT64_MAX)
		uv_timer_stop(&s->away);
	else
		uv_timer_start(&s->away, away_fired,
		    (uint64_t)(due > now ? due - now : 0), 0);
}

static void
away_fired(uv_timer_t *t)
{
	struct session *s = t->data;
	int64_t now = proto_now_ms();

	if (s->phase == PHASE_DONE)
		return;
	if (!s->restored && strcmp(s->origin, "queue") == 0 &&
	    s->phase == PHASE_PREP && now >= s->phase_started_at +
	    (int64_t)srv.opts->no_show_s * 1000 &&
	    (s->away_since[0] != 0 || s->away_since[1] != 0)) {
		int stayed = s->away_since[0] == 0 ? 0 :
		    s->away_since[1] == 0 ? 1 : -1;

		finish_at(s, "no_show", now, stayed);
		return;
	}
	if (s->away_since[ROLE_INTERVIEWER] != 0 &&
	    now >= s->away_since[ROLE_INTERVIEWER] +
	    (int64_t)srv.opts->grace_s * 1000) {
		finish_at(s, "abandoned", now, -1);
		return;
	}
	schedule_away(s, now);
}

static int
choose_question(int64_t candidate, const struct bank_prefs *prefs,
    char *out, size_t len)
{
	const struct question *q;
	char **seen = NULL;
	size_t n = 0;

	if (srv.bank == NULL || bank_count(srv.bank) == 0)
		return -1;
	if (store_seen_questions(srv.store, candidate, &seen, &n) != 0)
		n = 0;
	q = bank_choose(srv.bank, prefs, (const char *const *)seen, n,
	    randombytes_random() | (uint64_t)randombytes_random() << 32, NULL);
	for (size_t i = 0; i < n; i++)
		free(seen[i]);
	free(seen);
	if (q == NULL)
		return -1;
	snprintf(out, len, "%s", q->id);
	return 0;
}

struct session *
session_start(int64_t interviewer, const char *iname, int64_t candidate,
    const char *cname, const char *origin, int64_t swap_of,
    const struct bank_prefs *prefs, json_t *queue_prefs)
{
	struct session *s;
	struct session_job *j;
	const struct qviews *qv;
	char qid[128];
	int64_t id, now = proto_now_ms();

	if (choose_question(candidate, prefs, qid, sizeof qid) != 0 ||
	    (qv = view_question(qid)) == NULL) {
		log_error(0, "no question to start a session with");
		return NULL;
	}
	id = ++last_id;
	j = job_new(SJ_CREATE, id);
	j->interviewer = interviewer;
	j->candidate = candidate;
	snprintf(j->qid, sizeof j->qid, "%s", qid);
	snprintf(j->origin, sizeof j->origin, "%s", origin);
	j->swap_of = swap_of;
	memcpy(j->phase_s, srv.opts->phase_s, sizeof j->phase_s);
	j->prefs = queue_prefs ? json_dumps(queue_prefs, JSON_COMPACT) : NULL;
	j->now = now;
	/* The row is written before anything else about this session: the
	 * writer keeps the order. */
	writer_submit(&j->w);
	s = session_new(id);
	s->user[ROLE_INTERVIEWER] = interviewer;
	s->user[ROLE_CANDIDATE] = candidate;
	snprintf(s->name[0], sizeof s->name[0], "%s", iname);
	snprintf(s->name[1], sizeof s->name[1], "%s", cname);
	snprintf(s->question_id, sizeof s->question_id, "%s", qid);
	s->q = qv;
	snprintf(s->origin, sizeof s->origin, "%s", origin);
	s->swap_of = swap_of;
	memcpy(s->phase_s, srv.opts->phase_s, sizeof s->phase_s);
	s->created_at = now;
	s->prefs = queue_prefs ? json_incref(queue_prefs) : NULL;
	start_phase(s, PHASE_PREP, now);
	for (int r = 0; r < 2; r++) {
		idmap_put(&by_user, s->user[r], s);
		if (!presence_online(s->user[r]))
			s->away_since[r] = now;
	}
	log_info(0, "session %lld: %s interviews %s on %s (%s)",
	    (long long)id, iname, cname, qid, origin);
	for (int r = 0; r < 2; r++)
		presence_send(s->user[r], proto_push("match", json_pack(
		    "{s:I,s:s,s:{s:I,s:s}}", "session_id", (json_int_t)id,
		    "role", role_name(r), "peer", "user_id",
		    (json_int_t)s->user[1 - r], "username", s->name[1 - r])));
	push_session(s);
	push_timer(s, now);
	schedule(s, now);
	schedule_away(s, now);
	return s;
}

void
session_note_committed(int64_t id, json_t *note, const char *item,
    int score, int flag)
{
	struct session *s = session_find(id);

	if (s == NULL || s->notes == NULL)
		return;		/* not loaded: the next view reads it all */
	json_array_append(s->notes, note);
	if (score > 0)
		json_object_set_new(s->scores, item, json_integer(score));
	if (flag >= 0)
		json_object_set_new(s->flags, item, json_boolean(flag));
}

void
session_chat_committed(int64_t id, json_t *chat)
{
	struct session *s = session_find(id);

	if (s != NULL && s->chat != NULL)
		json_array_append(s->chat, chat);
}

void
session_user_online(struct conn *c, int first)
{
	struct session *s = session_of_user(c->user_id);
	int role;

	if (s == NULL)
		return;
	role = s->user[ROLE_INTERVIEWER] == c->user_id ? ROLE_INTERVIEWER :
	    ROLE_CANDIDATE;
	conn_send(c, proto_push("session", view_session(s, role)));
	if (first && s->away_since[role] != 0) {
		s->away_since[role] = 0;
		presence_send(s->user[1 - role], proto_push("peer", json_pack(
		    "{s:I,s:s}", "session_id", (json_int_t)s->id, "status",
		    "connected")));
		schedule_away(s, proto_now_ms());
	}
}

void
session_user_offline(int64_t user)
{
	struct session *s = session_of_user(user);
	int role;
	int64_t now = proto_now_ms();

	if (s == NULL)
		return;
	role = s->user[ROLE_INTERVIEWER] == user ? ROLE_INTERVIEWER :
	    ROLE_CANDIDATE;
	s->away_since[role] = now;
	presence_send(s->user[1 - role], proto_push("peer", json_pack(
	    "{s:I,s:s}", "session_id", (json_int_t)s->id, "status",
	    "disconnected")));
	schedule_away(s, now);
}

int
session_resolve(struct conn *c, const struct request *r, int want_role,
    struct session_ref *ref)
{
	int64_t id = proto_int(r->body, "session_id", 0);
	struct session *s = session_find(id);

	memset(ref, 0, sizeof *ref);
	ref->id = id;
	if (s != NULL && (s->user[0] == c->user_id ||
	    s->user[1] == c->user_id)) {
		ref->s = s;
		ref->role = s->user[ROLE_INTERVIEWER] == c->user_id ?
		    ROLE_INTERVIEWER : ROLE_CANDIDATE;
		ref->phase = s->phase;
	} else if (s != NULL ||
	    store_session_access(srv.store, id, c->user_id, &ref->role,
	    &ref->phase) != 1) {
		/* Not yours and not there look the same: ids can't be probed. */
		conn_reply_error(c, r->id, 1, PROTO_E_NOT_FOUND,
		    "no such session");
		return -1;
	}
	if (want_role >= 0 && ref->role != want_role) {
		conn_reply_error(c, r->id, 1, PROTO_E_FORBIDDEN, want_role ==
		    ROLE_INTERVIEWER ? "only the interviewer may do this" :
		    "only the candidate may do this");
		return -1;
	}
	return 0;
}

void
session_cmd_get(struct conn *c, const struct request *r)
{
	struct session_ref ref;

	if (session_resolve(c, r, -1, &ref) != 0)
		return;
	if (ref.s == NULL) {
		conn_reply_error(c, r->id, 1, PROTO_E_INVALID_STATE,
		    "the session has ended: use history.get");
		return;
	}
	conn_reply_ok(c, r->id, json_pack("{s:o}", "session",
	    view_session(ref.s, ref.role)));
}

static int
live_or_reply(struct conn *c, const struct request *r,
    const struct session_ref *ref)
{
	if (ref->s != NULL && ref->phase != PHASE_DONE)
		return 0;
	conn_reply_error(c, r->id, 1, PROTO_E_INVALID_STATE,
	    "the session has ended");
	return -1;
}

void
session_cmd_phase_next(struct conn *c, const struct request *r)
{
	struct session_ref ref;
	int64_t now = proto_now_ms();

	if (session_resolve(c, r, ROLE_INTERVIEWER, &ref) != 0 ||
	    live_or_reply(c, r, &ref) != 0)
		return;
	advance(ref.s, now);
	conn_reply_ok(c, r->id, json_pack("{s:s}", "phase",
	    options_phase_name(ref.s->phase)));
}

void
session_cmd_end(struct conn *c, const struct request *r)
{
	struct session_ref ref;

	if (session_resolve(c, r, -1, &ref) != 0 ||
	    live_or_reply(c, r, &ref) != 0)
		return;
	session_finish(ref.s, ref.role == ROLE_INTERVIEWER ? "completed" :
	    "abandoned");
	conn_reply_ok(c, r->id, NULL);
}

/* Bring a live session back after a restart, catching up with the clock. */
static void
restore(const struct session_row *row, void *arg)
{
	struct session *s;
	const struct qviews *qv = view_question(row->question_id);
	int64_t now = proto_now_ms();

	if (qv == NULL) {
		struct session_job *j = job_new(SJ_FINISH, row->id);

		log_error(0, "session %lld: question %s is gone; ending it",
		    (long long)row->id, row->question_id);
		j->from = row->phase;
		j->at = now;
		j->reason = "abandoned";
		writer_submit(&j->w);
		return;
	}
	s = session_new(row->id);
	s->user[0] = row->interviewer;
	s->user[1] = row->candidate;
	snprintf(s->name[0], sizeof s->name[0], "%s", row->interviewer_name);
	snprintf(s->name[1], sizeof s->name[1], "%s", row->candidate_name);
	snprintf(s->question_id, sizeof s->question_id, "%s", row->question_id);
	s->q = qv;
	snprintf(s->origin, sizeof s->origin, "%s", row->origin);
	s->swap_of = row->swap_of;
	memcpy(s->phase_s, row->phase_s, sizeof s->phase_s);
	s->created_at = row->created_at;
	s->prefs = row->prefs ? json_incref(row->prefs) : NULL;
	s->phase = row->phase;
	s->phase_ends_at = row->phase_ends_at;
	s->phase_started_at = row->phase_started_at ? row->phase_started_at :
	    row->phase_ends_at - (int64_t)row->phase_s[row->phase] * 1000;
	s->restored = 1;
	/* Nobody is connected yet: the grace period starts now. */
	s->away_since[0] = s->away_since[1] = now;
	idmap_put(&by_user, s->user[0], s);
	idmap_put(&by_user, s->user[1], s);
	/* Phases that ran out while the server was down move on, each at
	 * the time it was due. */
	while (s->phase != PHASE_DONE && s->phase_ends_at <= now)
		advance(s, s->phase_ends_at);
	if (s->phase != PHASE_DONE) {
		schedule(s, now);
		schedule_away(s, now);
	}
	(*(int *)arg)++;
}

int
session_init(void)
{
	int n = 0;

	idmap_init(&by_id);
	idmap_init(&by_user);
	if ((last_id = store_sessions_max_id(srv.store)) < 0 ||
	    store_sessions_live(srv.store, restore, &n) != 0)
		return -1;
	if (n > 0)
		log_info(0, "restored %d live sessions", n);
	return 0;
}

void
session_shutdown(void)
{
	size_t i = 0;
	int64_t id;
	void *v;
	struct session **all = xcalloc(by_id.n + 1, sizeof *all);
	size_t n = 0;

	while (idmap_next(&by_id, &i, &id, &v))
		all[n++] = v;
	for (i = 0; i < n; i++)
		session_free(all[i]);
	free(all);
	idmap_free(&by_id);
	idmap_free(&by_user);
}
