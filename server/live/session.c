/*
 * session.c — live sessions: the registry, start and announcement, the
 * participants' presence, resolving a request's session, the end, and
 * the session requests (see session.h).
 */
#include "session.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "auth.h"
#include "bank.h"
#include "conn.h"
#include "conn_job.h"
#include "idmap.h"
#include "log.h"
#include "metrics.h"
#include "options.h"
#include "presence.h"
#include "readers.h"
#include "server.h"
#include "session_int.h"
#include "store_items.h"
#include "store_sessions.h"
#include "view.h"
#include "xmalloc.h"

const struct proto_field session_fields_id[] = {
	{ "session_id", PF_INT, PF_REQUIRED, 1, PROTO_MAX_ID, NULL },
	{ NULL, 0, 0, 0, 0, NULL }
};

/* With a cursor, session.get answers a page as history.get does (the
 * request table routes it there). */
const struct proto_field session_fields_get[] = {
	{ "session_id", PF_INT, PF_REQUIRED, 1, PROTO_MAX_ID, NULL },
	{ "notes_before", PF_INT, PF_NULLABLE, 1, PROTO_MAX_ID, NULL },
	{ "chat_before", PF_INT, PF_NULLABLE, 1, PROTO_MAX_ID, NULL },
	{ NULL, 0, 0, 0, 0, NULL }
};

#define ENDED "the session has ended"

static struct idmap by_id;	/* every session in memory */
static int64_t last_id;		/* session ids are handed out here */
static struct idmap by_user;	/* user -> live session */
static session_requeue_fn requeue_fn;	/* the lobby's, after a no-show */

void
session_set_requeue(session_requeue_fn fn)
{
	requeue_fn = fn;
}

void
session_set_last_id(int64_t last)
{
	last_id = last;
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

static int
role_of(const struct session *s, int64_t user)
{
	return s->user[ROLE_INTERVIEWER] == user ? ROLE_INTERVIEWER :
	    ROLE_CANDIDATE;
}

void
session_broadcast(struct session *s, json_t *msg, const struct conn *except)
{
	/* Serialised once for every connection of both participants. */
	struct outdata *d = conn_serialise(msg);

	for (int r = 0; r < 2; r++)
		for (struct conn *c = presence_first(s->user[r]); c != NULL;
		    c = c->user_next)
			if (c != except)
				conn_send_data(c, d);
	outdata_unref(d);
}

void
session_push_state(struct session *s)
{
	for (int r = 0; r < 2; r++)
		if (presence_online(s->user[r]))
			presence_send(s->user[r], proto_push("session",
			    view_session(s, r)));
}

static void
handle_closed(uv_handle_t *h)
{
	struct session *s = h->data;

	if (--s->handles > 0)
		return;
	view_unref(s->q);
	json_decref(s->prefs);
	json_decref(s->notes);
	json_decref(s->chat);
	json_decref(s->scores);
	json_decref(s->flags);
	free(s);
}

static void
unbind_users(struct session *s)
{
	for (int r = 0; r < 2; r++)
		if (session_of_user(s->user[r]) == s)
			idmap_del(&by_user, s->user[r]);
}

void
session_bind_users(struct session *s)
{
	for (int r = 0; r < 2; r++)
		idmap_put(&by_user, s->user[r], s);
}

void
session_free(struct session *s)
{
	idmap_del(&by_id, s->id);
	unbind_users(s);
	if (s->reply_c != NULL) {
		conn_unref(s->reply_c);
		s->reply_c = NULL;
	}
	uv_close((uv_handle_t *)&s->clock, handle_closed);
	uv_close((uv_handle_t *)&s->away, handle_closed);
}

struct session *
session_new(int64_t id)
{
	struct session *s = xcalloc(1, sizeof *s);

	s->id = id;
	s->overall = NAN;
	s->notes = json_array();
	s->chat = json_array();
	s->scores = json_object();
	s->flags = json_object();
	uv_timer_init(srv.loop, &s->clock);
	uv_timer_init(srv.loop, &s->away);
	s->clock.data = s->away.data = s;
	s->handles = 2;
	idmap_put(&by_id, id, s);
	return s;
}

void
session_mark_done(struct session *s, const char *reason, int64_t at)
{
	s->phase = PHASE_DONE;
	s->reason = reason;
	s->ended_at = at;
	unbind_users(s);
}

static void
linger_over(uv_timer_t *t)
{
	session_free(t->data);
}

void
session_finished(struct session *s, json_t *scores, double overall,
    int64_t requeue, const char *requeue_name, json_t *requeue_prefs)
{
	s->overall = overall;
	log_info(0, "session %lld ended: %s", (long long)s->id, s->reason);
	session_push_state(s);
	/* Without committed scores (the end was not recorded) none count. */
	session_broadcast(s, proto_push("ended", json_pack(
	    "{s:I,s:s,s:o,s:o,s:o,s:I}", "session_id", (json_int_t)s->id,
	    "reason", phase_reason_shown(s->reason, s->ended_by,
	    s->user[ROLE_INTERVIEWER]), "scores", scores != NULL ?
	    json_incref(scores) : json_object(), "overall", isnan(s->overall) ?
	    json_null() : json_real(s->overall), "by", s->ended_by != 0 ?
	    json_integer(s->ended_by) : json_null(), "debrief_ends_at",
	    (json_int_t)(s->ended_at + SESSION_DEBRIEF_MS))), NULL);
	/* The one who stayed after a no-show waits at the head again. */
	if (requeue != 0 && requeue_fn != NULL)
		requeue_fn(requeue, requeue_name, requeue_prefs);
	/* Stay in memory while a swap may still be asked for, and while the
	 * debrief's chat is open. */
	uv_timer_start(&s->clock, linger_over, SESSION_DEBRIEF_MS >
	    SESSION_SWAP_WINDOW_MS ? SESSION_DEBRIEF_MS :
	    SESSION_SWAP_WINDOW_MS, 0);
}

void
session_finish(struct session *s, const char *reason)
{
	session_finish_at(s, reason, proto_now_ms(), -1);
}

struct session *
session_start(int64_t interviewer, const char *iname, int64_t candidate,
    const char *cname, enum session_origin origin, int64_t swap_of,
    const struct bank_prefs *prefs, json_t *queue_prefs, struct conn *c,
    int64_t re, session_reply_fn reply)
{
	struct session *s = session_new(++last_id);

	s->user[ROLE_INTERVIEWER] = interviewer;
	s->user[ROLE_CANDIDATE] = candidate;
	snprintf(s->name[0], sizeof s->name[0], "%s", iname);
	snprintf(s->name[1], sizeof s->name[1], "%s", cname);
	s->origin = origin;
	s->swap_of = swap_of;
	memcpy(s->phase_s, srv.opts->phase_s, sizeof s->phase_s);
	s->created_at = proto_now_ms();
	s->prefs = queue_prefs ? json_incref(queue_prefs) : NULL;
	s->starting = 1;
	s->phase = PHASE_PREP;
	if (c != NULL) {
		conn_ref(c);
		s->reply_c = c;
		s->reply_re = re;
		s->reply = reply;
	}
	session_bind_users(s);
	/* The row (and the choice of question) first: the writer keeps the
	 * order of everything that follows. */
	session_store_create(s, prefs);
	return s;
}

static void
reply_starter(struct session *s, int ok)
{
	if (s->reply_c == NULL)
		return;
	if (s->reply != NULL)
		s->reply(s->reply_c, s->reply_re, ok ? s : NULL);
	conn_unref(s->reply_c);
	s->reply_c = NULL;
}

/* No question at all (the bank emptied): forget the session. */
static void
start_failed(struct session *s)
{
	log_error(0, "session %lld could not start", (long long)s->id);
	reply_starter(s, 0);
	s->phase = PHASE_DONE;
	unbind_users(s);
	session_free(s);
}

void
session_started(struct session *s, int ok, const struct bank *b,
    const char *question_id, int64_t now)
{
	const struct question *q;

	/* The job never ran (the database refused the batch, or the queue
	 * was full): any question will do for a session that ends now. */
	if (question_id[0] == '\0' && (q = bank_choose(b, NULL, NULL, 0, 0,
	    NULL)) != NULL)
		question_id = q->id;
	if (question_id[0] == '\0' ||
	    (s->q = view_ref(view_question(b, question_id))) == NULL) {
		start_failed(s);
		return;
	}
	if (now == 0)
		now = proto_now_ms();
	s->starting = 0;
	snprintf(s->question_id, sizeof s->question_id, "%s", question_id);
	s->created_at = now;
	session_start_phase(s, PHASE_PREP, now);
	for (int r = 0; r < 2; r++)
		s->away_since[r] = presence_online(s->user[r]) ? 0 : now;
	log_info(0, "session %lld: %s interviews %s on %s (%s)",
	    (long long)s->id, s->name[0], s->name[1], question_id,
	    session_origin_name(s->origin));
	reply_starter(s, 1);
	for (int r = 0; r < 2; r++)
		presence_send(s->user[r], proto_push("match", json_pack(
		    "{s:I,s:s,s:{s:I,s:s}}", "session_id", (json_int_t)s->id,
		    "role", role_name(r), "peer", "user_id",
		    (json_int_t)s->user[1 - r], "username", s->name[1 - r])));
	/* The whole state carries the phase's times: no `timer` with it. */
	session_push_state(s);
	if (!ok) {
		/*
		 * A session the database does not have can record nothing
		 * (every note would fail): end it now, so that both can start
		 * again, rather than let them talk into the void.
		 */
		session_finish_at(s, "abandoned", now, -1);
		return;
	}
	/* Armed from the loop's now, not from the commit's: the row was
	 * written a moment ago, and the clock must not run late by it. */
	session_schedule(s, proto_now_ms());
	session_schedule_away(s, proto_now_ms());
}

int
session_reserve(struct conn *c, const struct request *r, struct session *s,
    enum session_item kind, size_t bytes)
{
	const struct options_limits *l = &srv.opts->limits;
	int note = kind == SESSION_NOTE;
	int *n = note ? &s->used_notes : &s->used_chat;
	long *b = note ? &s->used_note_bytes : &s->used_chat_bytes;
	char why[160];

	if (*n >= (note ? l->notes : l->chat_messages) ||
	    *b + (long)bytes > (note ? l->note_bytes : l->chat_bytes)) {
		snprintf(why, sizeof why, "the session's %s is full (at most "
		    "%d, of %ld bytes in all)", note ? "notes list" : "chat",
		    note ? l->notes : l->chat_messages,
		    note ? l->note_bytes : l->chat_bytes);
		metrics_limited(note ? "notes" : "chat");
		conn_reply_error(c, r->id, 1, PROTO_E_TOO_LARGE, why);
		return -1;
	}
	(*n)++;
	*b += (long)bytes;
	return 0;
}

void
session_unreserve(int64_t id, enum session_item kind, size_t bytes)
{
	struct session *s = session_find(id);

	if (s == NULL)
		return;
	if (kind == SESSION_NOTE) {
		s->used_notes--;
		s->used_note_bytes -= (long)bytes;
	} else {
		s->used_chat--;
		s->used_chat_bytes -= (long)bytes;
	}
}

void
session_window_add(json_t *window, size_t *cost, json_t *item,
    size_t (*cost_of)(const json_t *))
{
	json_array_append(window, item);
	*cost += cost_of(item);
	/* The newest page only: the rest is read from the database. */
	while (json_array_size(window) > 1 && *cost > PROTO_PUSH_BYTES) {
		*cost -= cost_of(json_array_get(window, 0));
		json_array_remove(window, 0);
	}
}

void
session_note_committed(int64_t id, json_t *note, const char *item,
    int score, int flag)
{
	struct session *s = session_find(id);

	if (s == NULL)
		return;
	session_window_add(s->notes, &s->notes_window, note, store_note_cost);
	s->notes_total++;
	if (score == 0)
		json_object_del(s->scores, item);	/* cleared */
	else if (score > 0)
		json_object_set_new(s->scores, item, json_integer(score));
	if (flag >= 0)
		json_object_set_new(s->flags, item, json_boolean(flag));
}

void
session_chat_committed(int64_t id, json_t *chat)
{
	struct session *s = session_find(id);

	if (s == NULL)
		return;
	session_window_add(s->chat, &s->chat_window, chat, store_chat_cost);
	s->chat_total++;
}

static void
user_online(struct conn *c, int first)
{
	struct session *s = session_of_user(c->user_id);
	int role;

	if (s == NULL || s->starting)
		return;
	role = role_of(s, c->user_id);
	conn_send(c, proto_push("session", view_session(s, role)));
	if (first && s->away_since[role] != 0) {
		s->away_since[role] = 0;
		presence_send(s->user[1 - role], proto_push("peer", json_pack(
		    "{s:I,s:s}", "session_id", (json_int_t)s->id, "status",
		    "connected")));
		session_schedule_away(s, proto_now_ms());
	}
}

static void
user_offline(int64_t user)
{
	struct session *s = session_of_user(user);
	int role;
	int64_t now = proto_now_ms();

	if (s == NULL)
		return;
	role = role_of(s, user);
	s->away_since[role] = now;
	if (s->starting)
		return;
	presence_send(s->user[1 - role], proto_push("peer", json_pack(
	    "{s:I,s:s}", "session_id", (json_int_t)s->id, "status",
	    "disconnected")));
	session_schedule_away(s, now);
}

/* A session no longer in memory: does the database know c's user in it? */
struct gone_job {
	struct conn_job cj;
	int64_t session;
	int want_role, found, role, phase;
	const char *gone;	/* a literal */
};

static int
gone_run(struct store *st, struct store_job *w)
{
	struct gone_job *j = (struct gone_job *)w;

	j->found = store_session_access(st, j->session, j->cj.user, &j->role,
	    &j->phase);
	return j->found < 0 ? -1 : 0;
}

static void
gone_done(struct store_job *w, int status)
{
	struct gone_job *j = (struct gone_job *)w;

	if (conn_job_failed(&j->cj, status,
	    "could not read the session"))
		goto out;
	if (j->found != 1)
		conn_job_error(&j->cj, PROTO_E_NOT_FOUND, "no such session");
	else if (j->want_role >= 0 && j->role != j->want_role)
		conn_job_error(&j->cj, PROTO_E_FORBIDDEN, j->want_role ==
		    ROLE_INTERVIEWER ? "only the interviewer may do this" :
		    "only the candidate may do this");
	else
		conn_job_error(&j->cj, PROTO_E_INVALID_STATE, j->gone);
out:
	conn_job_free(j);
}

int
session_resolve(struct conn *c, const struct request *r, int want_role,
    const char *gone, struct session_ref *ref)
{
	int64_t id = proto_int(r->body, "session_id", 0);
	struct session *s = session_find(id);
	struct gone_job *j;

	memset(ref, 0, sizeof *ref);
	ref->id = id;
	if (s == NULL) {
		j = conn_job_new(sizeof *j, c, r->id, gone_run, gone_done);
		j->session = id;
		j->want_role = want_role;
		j->gone = gone;
		readers_submit(&j->cj.job);
		return -1;
	}
	if (s->user[0] != c->user_id && s->user[1] != c->user_id) {
		/* Not yours and not there look the same: ids can't be probed. */
		conn_reply_error(c, r->id, 1, PROTO_E_NOT_FOUND,
		    "no such session");
		return -1;
	}
	ref->s = s;
	ref->role = role_of(s, c->user_id);
	if (want_role >= 0 && ref->role != want_role) {
		conn_reply_error(c, r->id, 1, PROTO_E_FORBIDDEN, want_role ==
		    ROLE_INTERVIEWER ? "only the interviewer may do this" :
		    "only the candidate may do this");
		return -1;
	}
	return 0;
}

int
session_in_debrief(const struct session *s, int64_t now)
{
	return s->phase == PHASE_DONE && now < s->ended_at + SESSION_DEBRIEF_MS;
}

int
session_reply_unless_live(struct conn *c, const struct request *r,
    const struct session *s, const char *ended)
{
	if (s->starting) {
		conn_reply_error(c, r->id, 1, PROTO_E_INVALID_STATE,
		    "the session is starting: wait for its match push");
		return -1;
	}
	if (s->phase == PHASE_DONE) {
		conn_reply_error(c, r->id, 1, PROTO_E_INVALID_STATE, ended);
		return -1;
	}
	return 0;
}

void
session_cmd_get(struct conn *c, const struct request *r)
{
	struct session_ref ref;

	if (session_resolve(c, r, -1, "the session has ended: use history.get",
	    &ref) != 0)
		return;
	if (ref.s->starting) {
		conn_reply_error(c, r->id, 1, PROTO_E_INVALID_STATE,
		    "the session is starting: wait for its match push");
		return;
	}
	conn_reply_ok(c, r->id, json_pack("{s:o}", "session",
	    view_session(ref.s, ref.role)));
}

void
session_cmd_phase_next(struct conn *c, const struct request *r)
{
	struct session_ref ref;

	if (session_resolve(c, r, ROLE_INTERVIEWER, ENDED, &ref) != 0 ||
	    session_reply_unless_live(c, r, ref.s, ENDED) != 0)
		return;
	session_advance(ref.s, proto_now_ms());
	conn_reply_ok(c, r->id, json_pack("{s:s}", "phase",
	    phase_name(ref.s->phase)));
}

void
session_cmd_end(struct conn *c, const struct request *r)
{
	struct session_ref ref;

	if (session_resolve(c, r, -1, ENDED, &ref) != 0 ||
	    session_reply_unless_live(c, r, ref.s, ENDED) != 0)
		return;
	ref.s->ended_by = c->user_id;
	session_finish(ref.s, ref.role == ROLE_INTERVIEWER ? "completed" :
	    "abandoned");
	conn_reply_ok(c, r->id, NULL);
}

void
session_cmd_extend(struct conn *c, const struct request *r)
{
	struct session_ref ref;
	struct session *s;
	int64_t now = proto_now_ms();

	if (session_resolve(c, r, ROLE_INTERVIEWER, ENDED, &ref) != 0 ||
	    session_reply_unless_live(c, r, ref.s, ENDED) != 0)
		return;
	s = ref.s;
	if (s->extended_ms + SESSION_EXTEND_MS > SESSION_EXTEND_MAX_MS) {
		conn_reply_error(c, r->id, 1, PROTO_E_INVALID_STATE, "a session "
		    "may be extended by 10 minutes at most, and this one has "
		    "been");
		return;
	}
	s->extended_ms += SESSION_EXTEND_MS;
	s->phase_ends_at += SESSION_EXTEND_MS;
	/* The warnings of the longer phase are due again where they fall. */
	s->warn = 0;
	session_store_extend(s);
	conn_reply_ok(c, r->id, json_pack("{s:s,s:I,s:I}", "phase",
	    phase_name(s->phase), "ends_at", (json_int_t)s->phase_ends_at,
	    "extended_ms", (json_int_t)s->extended_ms));
	session_push_phase(s, now);
	session_schedule(s, now);
}

static const struct presence_hooks session_presence = { user_online,
	user_offline };

/* Live sessions by phase, for /metrics. */
static void
live_gauge(metrics_emit_fn emit, void *ctx)
{
	size_t i = 0, n[PHASE__TIMED] = { 0 };
	int64_t id;
	void *v;

	while (idmap_next(&by_id, &i, &id, &v)) {
		const struct session *s = v;

		if (s->phase >= 0 && s->phase < PHASE__TIMED)
			n[s->phase]++;
	}
	for (int p = 0; p < PHASE__TIMED; p++)
		emit(phase_name(p), (double)n[p], ctx);
}

static const struct metrics_gauge live_sessions = { "mockint_sessions_live",
	"Live interview sessions by phase.", "phase", live_gauge };

int
session_init(struct store *st)
{
	int n = 0;

	idmap_init(&by_id);
	idmap_init(&by_user);
	presence_subscribe(&session_presence);
	auth_set_describe(view_brief);
	metrics_gauge_register(&live_sessions);
	if (session_store_restore(st, &n) != 0)
		return -1;
	if (n > 0)
		log_info(0, "restored %d live sessions", n);
	return 0;
}

/* Every session in memory (for stopping and freeing them all). */
static struct session **
all_sessions(size_t *n)
{
	struct session **all = xcalloc(by_id.n + 1, sizeof *all);
	size_t i = 0;
	int64_t id;
	void *v;

	*n = 0;
	while (idmap_next(&by_id, &i, &id, &v))
		all[(*n)++] = v;
	return all;
}

void
session_stop(void)
{
	size_t n;
	struct session **all = all_sessions(&n);

	session_clock_stop();
	for (size_t i = 0; i < n; i++)
		session_free(all[i]);
	free(all);
}

void
session_shutdown(void)
{
	session_clock_free();
	idmap_free(&by_id);
	idmap_free(&by_user);
}
