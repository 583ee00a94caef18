/*
 * session_clock.c — a session's clock (see session.h): the phases by the
 * server's wall clock, the warnings a minute and ten seconds before each
 * phase ends, and the away deadlines (the interviewer's grace period, a
 * queue pair's no-show window).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "options.h"
#include "server.h"
#include "session_int.h"
#include "xmalloc.h"

/* Clock events before a phase's end: a minute, ten seconds, the end
 * (indexed by SESSION_EVENT_*, session_int.h). */
static const int64_t warn_before[SESSION_EVENT_END + 1] = { 60000, 10000,
	0 };

static void clock_fired(uv_timer_t *t);
static void away_fired(uv_timer_t *t);

/*
 * Clock events that fell due, waiting to be handled. When thousands of
 * sessions change phase in the same second (a cohort started together,
 * interviews booked on the hour), libuv would run all their timers in one
 * loop iteration and every other client would wait for the lot. A timer
 * only queues its session here (by id: a session may be freed meanwhile);
 * an idle handle works through the queue CLOCK_BUDGET_NS at a time, so
 * that no loop iteration spends longer on clocks, and chat and notes are
 * served between the slices.
 */
#define CLOCK_BUDGET_NS (2 * 1000 * 1000)

static struct {
	int64_t *ids;		/* a ring of session ids */
	size_t head, n, cap;
	uv_idle_t work;
	int ready, running;
} queue;

static void clock_tick(struct session *s);

static void
due_push(int64_t id)
{
	if (queue.n == queue.cap) {
		size_t cap = queue.cap ? queue.cap * 2 : 256;
		int64_t *ids = xcalloc(cap, sizeof *ids);

		for (size_t i = 0; i < queue.n; i++)
			ids[i] = queue.ids[(queue.head + i) % queue.cap];
		free(queue.ids);
		queue.ids = ids;
		queue.cap = cap;
		queue.head = 0;
	}
	queue.ids[(queue.head + queue.n++) % queue.cap] = id;
}

static void
due_work(uv_idle_t *h)
{
	uint64_t until = uv_hrtime() + CLOCK_BUDGET_NS;

	while (queue.n > 0 && uv_hrtime() < until) {
		int64_t id = queue.ids[queue.head];
		struct session *s;

		queue.head = (queue.head + 1) % queue.cap;
		queue.n--;
		if ((s = session_find(id)) != NULL) {
			s->clock_due = 0;
			clock_tick(s);
		}
	}
	if (queue.n == 0) {
		uv_idle_stop(&queue.work);
		queue.running = 0;
	}
}

void
session_clock_stop(void)
{
	if (queue.ready)
		uv_close((uv_handle_t *)&queue.work, NULL);
	queue.ready = queue.running = 0;
}

void
session_clock_free(void)
{
	free(queue.ids);
	memset(&queue, 0, sizeof queue);
}

/*
 * A phase change is small: the new phase and its times (the client keeps
 * the rest). The whole `session` state goes out on joining, resuming and
 * at the end. It is also the only push of a phase change: the old phase's
 * end and the new one's start are both in it, so no `timer` goes with it —
 * when thousands of phases end in the same second, one push per
 * participant rather than three is what keeps everyone's clock on time.
 * server_time is when it is sent (a client's clock offset), which for a
 * change worked through late is after started_at.
 */
void
session_push_phase(struct session *s, int64_t now)
{
	session_broadcast(s, proto_push("phase", json_pack("{s:I,s:s,s:I,s:I,"
	    "s:I}", "session_id", (json_int_t)s->id, "phase",
	    phase_name(s->phase), "started_at", (json_int_t)s->phase_started_at,
	    "ends_at", (json_int_t)s->phase_ends_at, "server_time",
	    (json_int_t)now)), NULL);
}

void
session_push_timer(struct session *s, int64_t now)
{
	int64_t left = s->phase_ends_at - now;

	session_broadcast(s, proto_push("timer", json_pack("{s:I,s:s,s:I,"
	    "s:I,s:I}", "session_id", (json_int_t)s->id, "phase",
	    phase_name(s->phase), "phase_ends_at",
	    (json_int_t)s->phase_ends_at, "remaining_ms",
	    (json_int_t)(left > 0 ? left : 0), "server_time",
	    (json_int_t)now)), NULL);
}

int
session_next_event(int64_t started_at, int64_t ends_at, int warn,
    int64_t now, int64_t *due)
{
	while (warn < SESSION_EVENT_END &&
	    ends_at - warn_before[warn] <= started_at)
		warn++;			/* a warning before the phase began */
	while (warn < SESSION_EVENT_END && ends_at - warn_before[warn] <= now)
		warn++;			/* a warning already due: skip it */
	*due = ends_at - warn_before[warn];
	return warn;
}

void
session_schedule(struct session *s, int64_t now)
{
	int64_t due;

	s->warn = session_next_event(s->phase_started_at, s->phase_ends_at,
	    s->warn, now, &due);
	/*
	 * libuv counts from the loop's cached time, which lags the real
	 * time by however long this iteration has run so far: refresh it,
	 * or a busy loop fires the timer early.
	 */
	uv_update_time(srv.loop);
	uv_timer_start(&s->clock, clock_fired,
	    (uint64_t)(due > now ? due - now : 0), 0);
}

void
session_start_phase(struct session *s, int phase, int64_t at)
{
	s->phase = phase;
	s->phase_started_at = at;
	s->phase_ends_at = at + (int64_t)s->phase_s[phase] * 1000;
	s->warn = 0;
}

void
session_finish_at(struct session *s, const char *reason, int64_t at,
    int requeue)
{
	int from = s->phase;

	if (s->phase == PHASE_DONE)
		return;
	/* From here on nothing more can be written to it. */
	session_mark_done(s, reason, at);
	uv_timer_stop(&s->away);
	uv_timer_stop(&s->clock);
	session_store_finish(s, from, at, reason, requeue);
}

void
session_advance(struct session *s, int64_t at)
{
	int from = s->phase;
	int64_t now;

	if (from == PHASE_SCORING) {
		session_finish_at(s, "completed", at, -1);
		return;
	}
	session_store_phase(s, from, from + 1, at);
	session_start_phase(s, from + 1, at);
	log_debug(0, "session %lld: %s", (long long)s->id,
	    phase_name(s->phase));
	now = proto_now_ms();
	session_push_phase(s, now);
	session_schedule(s, now);
}

static void
clock_fired(uv_timer_t *t)
{
	struct session *s = t->data;

	if (s->clock_due)
		return;
	s->clock_due = 1;
	due_push(s->id);
	if (!queue.ready) {
		uv_idle_init(srv.loop, &queue.work);
		queue.ready = 1;
	}
	if (!queue.running) {
		uv_idle_start(&queue.work, due_work);
		queue.running = 1;
	}
}

/* The clock's event for s: a warning, or the end of its phase. */
static void
clock_tick(struct session *s)
{
	int64_t now = proto_now_ms();

	if (s->phase == PHASE_DONE)
		return;
	/* Early by the wall clock (it was adjusted, or libuv rounded): wait
	 * for the rest rather than announce a moment that has not come. */
	if (now < s->phase_ends_at - warn_before[s->warn]) {
		session_schedule(s, now);
		return;
	}
	if (s->warn < SESSION_EVENT_END) {
		session_push_timer(s, now);
		s->warn++;
		session_schedule(s, now);
		return;
	}
	/* The phase is over: move on from its due time (the `phase` push, or
	 * the end's, says so). */
	session_advance(s, s->phase_ends_at);
}

/* Whether a queue pair may still fail to show up (the prep window). */
static int
no_show_window(const struct session *s)
{
	return !s->restored && s->origin == ORIGIN_QUEUE &&
	    s->phase == PHASE_PREP &&
	    (s->away_since[0] != 0 || s->away_since[1] != 0);
}

void
session_schedule_away(struct session *s, int64_t now)
{
	int64_t due = INT64_MAX;

	if (s->phase == PHASE_DONE || s->starting)
		return;
	if (s->away_since[ROLE_INTERVIEWER] != 0)
		due = s->away_since[ROLE_INTERVIEWER] +
		    (int64_t)srv.opts->grace_s * 1000;
	if (no_show_window(s)) {
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
	if (no_show_window(s) && now >= s->phase_started_at +
	    (int64_t)srv.opts->no_show_s * 1000) {
		int stayed = s->away_since[0] == 0 ? 0 :
		    s->away_since[1] == 0 ? 1 : -1;

		session_finish_at(s, "no_show", now, stayed);
		return;
	}
	if (s->away_since[ROLE_INTERVIEWER] != 0 &&
	    now >= s->away_since[ROLE_INTERVIEWER] +
	    (int64_t)srv.opts->grace_s * 1000) {
		session_finish_at(s, "abandoned", now, -1);
		return;
	}
	session_schedule_away(s, now);
}
