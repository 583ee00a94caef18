/*
 * load_conn.c — one simulated client's side of mockint-load (see load.h):
 * the requests it sends, the replies it pairs with them, and the pushes
 * it measures (chat relayed by the peer, timer pushes against their due
 * time, how long each session took to start). In --echo mode the same
 * chat.send bytes go through mockint-echo, which hands them to the
 * partner as they are.
 *
 * Every message received is parsed with jansson in both modes, so the
 * generator's own cost per message is alike on both sides of the ratio.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "load.h"
#include "xmalloc.h"

struct load L;

uint64_t
now_ns(void)
{
	return uv_hrtime();
}

/* --- user id -> client index ------------------------------------------ */

void
map_put(int64_t user, int idx)
{
	size_t i;

	if (L.map_cap == 0) {
		/* Power of two, at least twice the clients: never fills. */
		L.map_cap = 16;
		while (L.map_cap < (size_t)L.n * 2)
			L.map_cap *= 2;
		L.map_keys = xcalloc(L.map_cap, sizeof *L.map_keys);
		L.map_vals = xcalloc(L.map_cap, sizeof *L.map_vals);
	}
	for (i = (size_t)user * 0x9E3779B97F4A7C15ULL & (L.map_cap - 1);
	    L.map_keys[i] != 0 && L.map_keys[i] != user;
	    i = (i + 1) & (L.map_cap - 1))
		;
	L.map_keys[i] = user;
	L.map_vals[i] = idx;
}

int
map_get(int64_t user)
{
	size_t i;

	if (L.map_cap == 0 || user == 0)
		return -1;
	for (i = (size_t)user * 0x9E3779B97F4A7C15ULL & (L.map_cap - 1);
	    L.map_keys[i] != 0; i = (i + 1) & (L.map_cap - 1))
		if (L.map_keys[i] == user)
			return L.map_vals[i];
	return -1;
}

/* --- the ring of unanswered requests ---------------------------------- */

static void
pq_push(struct client *c, int64_t id, int kind, uint64_t t)
{
	if (c->pq_len == c->pq_cap) {
		unsigned cap = c->pq_cap ? c->pq_cap * 2 : 8;
		struct pend *n = xmalloc(cap * sizeof *n);

		for (unsigned i = 0; i < c->pq_len; i++)
			n[i] = c->pq[(c->pq_head + i) % c->pq_cap];
		free(c->pq);
		c->pq = n;
		c->pq_cap = cap;
		c->pq_head = 0;
	}
	c->pq[(c->pq_head + c->pq_len) % c->pq_cap] =
	    (struct pend){ id, t, kind };
	c->pq_len++;
}

/*
 * The request re answers, taken from the ring. Replies mostly come in
 * request order, but not always: a request refused at once (rate_limited)
 * is answered before an earlier one still waiting for its commit. So the
 * oldest is tried first, then the rest; a reply that answers nothing is
 * counted (it cannot happen with mockintd: count it rather than trust it).
 */
static int
pq_pop(struct client *c, int64_t re, struct pend *out)
{
	for (unsigned i = 0; i < c->pq_len; i++) {
		if (c->pq[(c->pq_head + i) % c->pq_cap].id != re)
			continue;
		*out = c->pq[(c->pq_head + i) % c->pq_cap];
		/* Close the gap: the i older ones move up by one. */
		for (unsigned j = i; j > 0; j--)
			c->pq[(c->pq_head + j) % c->pq_cap] =
			    c->pq[(c->pq_head + j - 1) % c->pq_cap];
		c->pq_head = (c->pq_head + 1) % c->pq_cap;
		c->pq_len--;
		return 0;
	}
	L.errors[PROTO_E__COUNT]++;
	return -1;
}

/* --- sending ----------------------------------------------------------- */

int
send_request(struct client *c, const char *buf, size_t len, int kind)
{
	uint64_t t = now_ns();

	if (c->ws == NULL || wsc_send(c->ws, buf, len) != 0)
		return -1;
	if (!L.o.echo)
		pq_push(c, c->next_id, kind, t);
	c->next_id++;
	return 0;
}

void
send_chat(struct client *c)
{
	static char *buf, *text;
	static size_t cap;
	int tl, n;

	if (cap < (size_t)L.o.size + 256) {
		cap = (size_t)L.o.size + 256;
		buf = xrealloc(buf, cap);
		text = xrealloc(text, cap);
	}
	/* The send time and the sender travel in the text itself. */
	tl = snprintf(text, cap, "t%llu s%d ", (unsigned long long)now_ns(),
	    c->idx);
	while (tl < L.o.size)
		text[tl++] = 'x';
	text[tl] = '\0';
	n = snprintf(buf, cap, "{\"type\":\"chat.send\",\"id\":%lld,"
	    "\"session_id\":%lld,\"text\":\"%s\"}", (long long)c->next_id,
	    (long long)c->session_id, text);
	if (send_request(c, buf, (size_t)n, RK_CHAT) == 0) {
		c->chat_inflight++;
		L.w[L.cur].chat_sent++;
	}
}

void
send_note(struct client *c)
{
	char buf[512];
	int n;

	/* A score on a checklist item, as an interviewer scoring goes. */
	n = snprintf(buf, sizeof buf, "{\"type\":\"note.add\",\"id\":%lld,"
	    "\"session_id\":%lld,\"item\":\"%s\",\"score\":%d,\"text\":"
	    "\"note %llu\",\"client_id\":\"b%d-%llu\"}", (long long)c->next_id,
	    (long long)c->session_id, c->nkeys ? c->keys[c->seq % c->nkeys] :
	    "general", c->nkeys ? (int)(c->seq % 4) + 1 : 0,
	    (unsigned long long)c->seq, c->idx, (unsigned long long)c->seq);
	if (c->nkeys == 0)	/* no checklist: a plain note, no score */
		n = snprintf(buf, sizeof buf, "{\"type\":\"note.add\",\"id\":"
		    "%lld,\"session_id\":%lld,\"item\":\"general\",\"text\":"
		    "\"note %llu\"}", (long long)c->next_id,
		    (long long)c->session_id, (unsigned long long)c->seq);
	c->seq++;
	if (send_request(c, buf, (size_t)n, RK_NOTE) == 0) {
		c->note_inflight++;
		L.w[L.cur].notes_sent++;
	}
}

void
send_ping(struct client *c)
{
	char buf[64];
	int n = snprintf(buf, sizeof buf, "{\"type\":\"ping\",\"id\":%lld}",
	    (long long)c->next_id);

	if (send_request(c, buf, (size_t)n, RK_PING) == 0)
		L.ping_outstanding = 1;
}

void
send_login(struct client *c)
{
	char buf[256];
	int n = snprintf(buf, sizeof buf, "{\"type\":\"login\",\"id\":%lld,"
	    "\"username\":\"%s%06d\",\"password\":\"%s\"}",
	    (long long)c->next_id, L.o.prefix, c->idx, L.o.password);

	if (c->login_t0 == 0)
		c->login_t0 = now_ns();
	c->retry_at = 0;
	send_request(c, buf, (size_t)n, RK_LOGIN);
}

void
send_join(struct client *c)
{
	char buf[96];
	int n = snprintf(buf, sizeof buf, "{\"type\":\"queue.join\",\"id\":"
	    "%lld,\"role\":\"%s\"}", (long long)c->next_id,
	    c->want_role == 0 ? "interviewer" : "candidate");

	c->join_t = now_ns();
	if (L.t_first_join == 0)
		L.t_first_join = c->join_t;
	if (send_request(c, buf, (size_t)n, RK_JOIN) == 0)
		c->state = CS_JOINING;
}

static void
send_auth(struct client *c)
{
	char buf[128];
	int n = snprintf(buf, sizeof buf, "{\"type\":\"auth\",\"id\":%lld,"
	    "\"token\":\"%s\"}", (long long)c->next_id, L.tokens[c->idx]);

	send_request(c, buf, (size_t)n, RK_AUTH);
}

/* --- receiving --------------------------------------------------------- */

int
in_window(uint64_t t)
{
	return L.measuring && t >= L.t_start && t <= L.t_end;
}

/* A chat message reached its peer: c is the receiver. */
static void
chat_arrived(struct client *c, const char *text)
{
	unsigned long long t0;
	int from;
	uint64_t now = now_ns();
	struct client *s;

	if (text == NULL || sscanf(text, "t%llu s%d", &t0, &from) != 2 ||
	    from < 0 || from >= L.n)
		return;
	s = &L.c[from];
	if (s->chat_inflight > 0)
		s->chat_inflight--;
	if (in_window(t0)) {
		hist_add(&L.w[L.cur].h_chat, (now - t0) / 1000);
		if (now <= L.t_end)
			L.w[L.cur].chat_delivered++;
	}
	/* Closed loop: the sender may send one more. */
	if (L.driving && L.cur == W_MAX &&
	    s->chat_inflight < (unsigned)L.o.chat_window && s->ready &&
	    !s->done)
		send_chat(s);
}

static void
count_error(json_t *m)
{
	enum proto_err e = proto_err_from_name(json_string_value(
	    json_object_get(m, "code")));

	L.errors[e]++;
}

/* A ping's round trip: --logins tells idle from busy, --bystander counts
 * those sent in the window. */
static void
ping_answered(const struct pend *p, uint64_t now)
{
	L.ping_outstanding = 0;
	L.ping_next_at = now + L.ping_gap_ns;
	if (L.o.logins)
		hist_add(L.logins_fired && L.logins_ok + L.logins_failed <
		    L.o.logins ? &L.h_ping : &L.h_ping_idle,
		    (now - p->t) / 1000);
	else if (in_window(p->t))
		hist_add(&L.h_ping, (now - p->t) / 1000);
}

static void
reply(struct client *c, json_t *m, int ok)
{
	struct pend p;
	json_t *re = json_object_get(m, "re");
	const char *code = json_string_value(json_object_get(m, "code"));
	uint64_t now = now_ns();

	if (!json_is_integer(re) ||
	    pq_pop(c, json_integer_value(re), &p) != 0) {
		if (!ok)
			count_error(m);
		return;
	}
	/* The attackers' errors are tallied apart: `errors` stays the
	 * honest clients' and the bystander's. */
	if (abuse_reply(c, &p, m, ok))
		return;
	if (!ok)
		count_error(m);
	switch (p.kind) {
	case RK_AUTH:
		if (ok) {
			c->user_id = json_integer_value(json_object_get(m,
			    "user_id"));
			map_put(c->user_id, c->idx);
			c->state = CS_AUTHED;
			L.authed++;
		} else {
			c->state = CS_FAILED;
			L.auth_failed++;
		}
		break;
	case RK_JOIN:
		if (!ok) {
			c->state = CS_FAILED;
			L.join_failed++;
			L.settled++;
			pair_pump();
		}
		break;
	case RK_CHAT:
		if (ok && in_window(p.t))
			L.w[L.cur].chat_ok++;
		break;
	case RK_NOTE:
		if (c->note_inflight > 0)
			c->note_inflight--;
		if (ok && in_window(p.t)) {
			hist_add(&L.w[L.cur].h_note, (now - p.t) / 1000);
			if (now <= L.t_end)
				L.w[L.cur].notes_acked++;
		}
		if (L.driving && L.cur == W_MAX && c->ready && !c->done &&
		    c->note_inflight < (unsigned)L.o.note_window)
			send_note(c);
		break;
	case RK_PING:
		ping_answered(&p, now);
		break;
	case RK_LOGIN:
		if (ok) {
			L.logins_ok++;
			hist_add(&L.h_login, (now - c->login_t0) / 1000);
			L.t_last_login = now;
		} else if (code != NULL && strcmp(code, "rate_limited") == 0 &&
		    !json_is_integer(json_object_get(m, "retry_after_ms"))) {
			/* The server is busy hashing: try again shortly. */
			L.logins_busy++;
			c->retry_at = now + 100 * 1000000ULL;
		} else {
			/* Wrong, or throttled for minutes: that is a failure
			 * for a benchmark (see --sources). */
			L.logins_failed++;
		}
		break;
	}
}

/* Its match and first session push are in: the session started. */
static void
started(struct client *c)
{
	uint64_t now = now_ns();

	c->ready = 1;
	L.ready++;
	if (c->join_t == 0)
		return;
	hist_add(&L.h_start, (now - c->join_t) / 1000);
	L.t_last_ready = now;
	if (L.prep_min_ms == 0 || c->phase_started_ms < L.prep_min_ms)
		L.prep_min_ms = c->phase_started_ms;
	if (c->phase_started_ms > L.prep_max_ms)
		L.prep_max_ms = c->phase_started_ms;
}

/*
 * A phase that ends at `ends` (ms; 0 when none) is the current one. When
 * it is a new one and nothing said when it began, the clock moved on when
 * the last one ended (we never advance a phase by hand), so that is when.
 */
static void
phase_is(struct client *c, int64_t ends, int started_known)
{
	if (ends != c->phase_ends_ms && c->phase_ends_ms > 0 &&
	    !started_known)
		c->phase_started_ms = c->phase_ends_ms;
	c->phase_ends_ms = ends;
}

/* A clock event due at `due` (server ms) arrived now: how late it is
 * (the server's clock and ours are this machine's). */
static void
clock_event(int64_t due, int64_t now)
{
	int64_t late = now - due;

	if (!L.measuring || now_ns() > L.t_end || now_ns() < L.t_start)
		return;
	if (late < 0) {
		L.timers_early++;
		if (-late > L.timer_early_max_ms)
			L.timer_early_max_ms = -late;
		late = 0;
	}
	hist_add(&L.h_timer, (uint64_t)late * 1000);
}

/* The session is over (its `ended` or its `done` state, whichever comes
 * first): when its last phase ran out, that is a clock event. */
static void
session_over(struct client *c, json_t *m, int64_t now)
{
	const char *reason = json_string_value(json_object_get(m, "reason"));

	if (!c->done && c->phase_ends_ms > 0 && reason != NULL &&
	    strcmp(reason, "completed") == 0)
		clock_event(c->phase_ends_ms, now);
	c->done = 1;
}

/*
 * The phase's times: a `session` push names them phase_started_at and
 * phase_ends_at, a `phase` push (a phase change: the rest of the session
 * stays as the last `session` push said) started_at and ends_at. Fields
 * left out leave what was known. A phase change is the clock's event
 * due when the new phase started (its only push: no `timer` comes with
 * it), and so is the end (`done`) of a phase that ran out, due when it
 * was to end: both count in the timer lateness.
 */
static void
got_phase(struct client *c, json_t *m)
{
	int whole = json_object_get(m, "phase_ends_at") != NULL;
	json_t *ps = json_object_get(m, whole ? "phase_started_at" :
	    "started_at");
	json_t *pe = json_object_get(m, whole ? "phase_ends_at" : "ends_at");
	const char *phase = json_string_value(json_object_get(m, "phase"));
	int64_t now = proto_now_ms();

	if (phase != NULL && strcmp(phase, "done") == 0)
		session_over(c, m, now);
	else if (!whole && json_is_integer(ps))
		clock_event(json_integer_value(ps), now);
	if (json_is_integer(ps))
		c->phase_started_ms = json_integer_value(ps);
	if (json_is_integer(pe) || json_is_null(pe))
		phase_is(c, json_integer_value(pe), json_is_integer(ps));
}

static void
got_session(struct client *c, json_t *m)
{
	json_t *q, *cl;
	size_t i;

	got_phase(c, m);
	if (c->nkeys == 0 && (q = json_object_get(m, "question")) != NULL &&
	    (cl = json_object_get(q, "checklist")) != NULL) {
		for (i = 0; i < json_array_size(cl) && c->nkeys < MAX_KEYS;
		    i++) {
			const char *k = json_string_value(json_object_get(
			    json_array_get(cl, i), "key"));

			if (k != NULL)
				c->keys[c->nkeys++] = xstrdup(k);
		}
	}
	if (!c->ready && c->state == CS_MATCHED)
		started(c);
}

/*
 * A timer push is a warning, sent 60 s and 10 s before a phase ends
 * (the start and the end are the `phase` push). With remaining_ms R,
 * the one meant is the lead W (60000 or 10000) nearest to R: a late
 * timer has R = W - lateness, and libuv's cached loop time can make it
 * fire a millisecond or so early. It was due at E - W.
 */
static void
got_timer(struct client *c, json_t *m)
{
	int64_t e = json_integer_value(json_object_get(m, "phase_ends_at"));
	int64_t r = json_integer_value(json_object_get(m, "remaining_ms"));
	static const int64_t leads[] = { 60000, 10000 };
	int64_t w = -1, best = INT64_MAX;

	/* A timer of a phase not announced (yet): it is the current one. */
	if (e > c->phase_ends_ms)
		phase_is(c, e, 0);
	for (size_t i = 0; i < sizeof leads / sizeof leads[0]; i++) {
		int64_t d = llabs(leads[i] - r);

		if (d < best) {
			best = d;
			w = leads[i];
		}
	}
	if (best > 5000) {
		if (L.measuring)
			L.timers_unmatched++;
		return;
	}
	clock_event(e - w, proto_now_ms());
}

static void
got_match(struct client *c, json_t *m)
{
	int peer = map_get(json_integer_value(json_object_get(json_object_get(
	    m, "peer"), "user_id")));
	const char *role = json_string_value(json_object_get(m, "role"));

	c->session_id = json_integer_value(json_object_get(m, "session_id"));
	c->role = role != NULL && strcmp(role, "interviewer") == 0 ? 0 : 1;
	c->peer = peer;
	if (c->state == CS_JOINING) {
		c->state = CS_MATCHED;
		L.matched++;
		L.settled++;
		pair_pump();
	}
}

static void
on_message(struct wsc *ws, const char *buf, size_t len, int binary,
    void *arg)
{
	struct client *c = arg;
	json_error_t jerr;
	json_t *m = json_loadb(buf, len, 0, &jerr);
	const char *type = json_string_value(json_object_get(m, "type"));

	if (type == NULL) {
		L.errors[PROTO_E__COUNT]++;
		json_decref(m);
		return;
	}
	if (L.o.echo)		/* the partner's chat.send, as it was sent */
		chat_arrived(c, json_string_value(json_object_get(m, "text")));
	else if (strcmp(type, "chat") == 0)
		chat_arrived(c, json_string_value(json_object_get(m, "text")));
	else if (strcmp(type, "ok") == 0)
		reply(c, m, 1);
	else if (strcmp(type, "error") == 0)
		reply(c, m, 0);
	else if (strcmp(type, "timer") == 0)
		got_timer(c, m);
	else if (strcmp(type, "session") == 0)
		got_session(c, m);
	else if (strcmp(type, "phase") == 0)
		got_phase(c, m);
	else if (strcmp(type, "match") == 0)
		got_match(c, m);
	else if (strcmp(type, "ended") == 0)
		session_over(c, m, proto_now_ms());
	else
		L.other_pushes++;
	json_decref(m);
}

static void
on_open(struct wsc *ws, void *arg)
{
	struct client *c = arg;

	c->opened = 1;
	c->state = CS_OPEN;
	L.opened++;
	L.connecting--;
	if (L.o.echo) {
		int pi = c->idx ^ 1;

		/* Both ends open: the echo server has paired them. */
		if (pi < L.n && L.c[pi].opened) {
			c->peer = pi;
			L.c[pi].peer = c->idx;
			c->ready = L.c[pi].ready = 1;
			L.ready += 2;
		}
	} else if (L.o.logins == 0)
		send_auth(c);
	connect_pump();
}

static void
on_close(struct wsc *ws, int code, const char *why, void *arg)
{
	struct client *c = arg;
	int slot;

	c->ended = 1;
	if (!c->opened) {
		L.connecting--;
		L.connect_failed++;
		c->state = CS_FAILED;
		connect_pump();
		return;
	}
	c->state = CS_CLOSED;
	L.closed++;
	slot = code == 0 ? 0 : code == 1000 ? 1 : code == 1001 ? 2 :
	    code == 1006 ? 3 : code == 1008 ? 4 : code == 1009 ? 5 : 6;
	L.close_codes[slot]++;
}

const struct wsc_callbacks load_callbacks = { on_open, on_message, on_close };

int
client_connect(struct client *c)
{
	char url[512], why[256], src[32];

	if (L.o.echo)	/* the echo server pairs by this key */
		snprintf(url, sizeof url, "%s/pair/%d", L.o.url, c->idx / 2);
	else
		snprintf(url, sizeof url, "%s", L.o.url);
	c->state = CS_CONNECTING;
	L.connecting++;
	/* One source address has some 28,000 ports to 127.0.0.1:PORT; more
	 * connections than that need more addresses (all of 127/8 is lo). */
	snprintf(src, sizeof src, "127.0.0.%d", 1 + c->idx % L.o.sources);
	c->ws = wsc_connect_from(L.wctx, url, PROTO_SUBPROTOCOL,
	    L.o.sources > 1 ? src : NULL, &load_callbacks, c, why, sizeof why);
	if (c->ws == NULL) {
		L.connecting--;
		L.connect_failed++;
		c->state = CS_FAILED;
		fprintf(stderr, "mockint-load: %s\n", why);
		return -1;
	}
	return 0;
}

void
client_free(struct client *c)
{
	if (c->ws != NULL)
		wsc_free(c->ws);
	c->ws = NULL;
	for (int i = 0; i < c->nkeys; i++)
		free(c->keys[i]);
	c->nkeys = 0;
	free(c->pq);
	c->pq = NULL;
}
