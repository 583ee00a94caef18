/*
 * mockint-load.c — the load generator: one process that opens N WebSocket
 * connections to a running mockintd, authenticates them with tokens from
 * mockint-seed, pairs them into N/2 live sessions through the real queue
 * and drives a mix for a set time (chat both ways, the interviewer's
 * scored notes, the server's phase clock), then reports a table and one
 * CSV line. --echo drives mockint-echo with the same messages and pacing
 * (the transport's ceiling); --logins N measures N concurrent password
 * logins while another connection pings. --cohort pairs every session at
 * once and measures from the first join (how long the last one took to
 * start, then the clock of them all changing phase together);
 * --flooders, --guessers and --bystander add attackers and a pinging
 * bystander to the honest sessions (load_abuse.c). See load.h for the
 * parts.
 *
 * Stages run from a 1 ms tick: connect (a window of handshakes in flight;
 * auth follows each open at once), pair (a window of pairs queued at
 * once: a long queue would cost the server O(n) `queue` pushes per join),
 * a closed-loop window and/or a paced one of --duration each, each
 * followed by a drain, report. Each set-up stage is bounded by
 * --setup-timeout; a watchdog alarm bounds the whole run.
 */
#include <jansson.h>
#include <signal.h>
#include <stddef.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "load.h"
#include "xmalloc.h"

enum stage { ST_CONNECT, ST_PAIR, ST_WINDOW, ST_DRAIN, ST_PING_IDLE,
	ST_LOGINS, ST_DONE };

/* Drain a window's messages in flight for at most this long. */
#define DRAIN_S 10
/* --logins: the pinger's pause between a reply and the next ping. */
#define LOGIN_PING_GAP_NS 2000000ULL

static uv_loop_t loop;
static uv_timer_t tick;
static int stage, ticks;
static uint64_t stage_t0;

static void
usage(FILE *f)
{
	fprintf(f,
"usage: mockint-load --url ws://127.0.0.1:PORT [options]\n"
"  --tokens FILE        tokens from mockint-seed, one per connection\n"
"  --conns N            connections (default 100); N/2 sessions\n"
"  --duration S         seconds of each window after set-up (default 5)\n"
"  --chat-window W      a closed-loop window (the most the server can do):\n"
"                       W messages in flight per sender\n"
"  --note-window W      ... and W notes unacknowledged per interviewer\n"
"  --chat-rate R        then a paced window: chat messages/s, all senders\n"
"  --note-rate R        ... and notes/s, all interviewers together\n"
"                       (no rate and no window: one idle window)\n"
"  --size B             chat text bytes (default 128)\n"
"  --server-pid PID     read the server's RSS and CPU time from /proc\n"
"  --echo               drive mockint-echo (no auth, no pairing)\n"
"  --logins N           N concurrent logins of PREFIX000000.. while pinging\n"
"  --password PW --prefix P   for --logins (default bench-password, bench)\n"
"  --connect-window N   handshakes in flight (default 256)\n"
"  --pair-window N      pairs queued at once (default 32)\n"
"  --cohort             every pair queued at once; the paced (or idle) window\n"
"                       starts with the first join and lasts --duration\n"
"  --flooders N         N of the sessions flood their chat and notes with\n"
"                       4 KiB texts as fast as replies come (not measured)\n"
"  --guessers N         N more connections try random room codes\n"
"  --bystander          one more connection pings every 100 ms\n"
"  --db FILE            the server's database: its growth (with -wal)\n"
"  --max-inflight N     rate mode: per-connection cap (default 4)\n"
"  --sources K          connect from 127.0.0.1..127.0.0.K in turn (when one\n"
"                       address runs out of ports; loopback servers only)\n"
"  --setup-timeout S    bound on each set-up stage (default 120)\n"
"  --label NAME         names the run in the output\n"
"  --csv-header         print the CSV header line before the CSV line\n");
}

/* The options: flags set an int to 1; the others take one value. */
enum opt_type { OT_FLAG, OT_STR, OT_INT, OT_DBL, OT_PID };

static const struct opt_def {
	const char *name;
	int type;
	size_t off;
} opt_defs[] = {
#define OPT(name, type, field) \
	{ name, type, offsetof(struct load_opts, field) }
	OPT("--echo", OT_FLAG, echo),
	OPT("--csv-header", OT_FLAG, csv_header),
	OPT("--cohort", OT_FLAG, cohort),
	OPT("--bystander", OT_FLAG, bystander),
	OPT("--url", OT_STR, url),
	OPT("--tokens", OT_STR, tokens),
	OPT("--label", OT_STR, label),
	OPT("--prefix", OT_STR, prefix),
	OPT("--password", OT_STR, password),
	OPT("--db", OT_STR, db),
	OPT("--conns", OT_INT, conns),
	OPT("--chat-window", OT_INT, chat_window),
	OPT("--note-window", OT_INT, note_window),
	OPT("--size", OT_INT, size),
	OPT("--connect-window", OT_INT, connect_window),
	OPT("--pair-window", OT_INT, pair_window),
	OPT("--max-inflight", OT_INT, max_inflight),
	OPT("--sources", OT_INT, sources),
	OPT("--logins", OT_INT, logins),
	OPT("--flooders", OT_INT, flooders),
	OPT("--guessers", OT_INT, guessers),
	OPT("--duration", OT_DBL, duration_s),
	OPT("--chat-rate", OT_DBL, chat_rate),
	OPT("--note-rate", OT_DBL, note_rate),
	OPT("--setup-timeout", OT_DBL, setup_timeout_s),
	OPT("--server-pid", OT_PID, server_pid),
#undef OPT
};

/* Whether the options make sense together; says why not. */
static int
check(struct load_opts *o)
{
	if (o->url == NULL || o->conns < 2 || o->conns > 1000000 ||
	    o->size < 24 || o->size > PROTO_MAX_TEXT ||
	    o->duration_s <= 0 || o->duration_s > 3600 ||
	    o->connect_window < 1 || o->pair_window < 1 ||
	    o->max_inflight < 1 || o->logins < 0 || o->logins > 100000 ||
	    o->sources < 1 || o->sources > 254 || o->flooders < 0 ||
	    o->flooders > o->conns / 2 || o->guessers < 0 ||
	    o->guessers > 1000000) {
		fprintf(stderr, "mockint-load: --url is needed; --conns 2.., "
		    "--size 24..%d, --duration up to 3600, --flooders up to "
		    "--conns/2\n", PROTO_MAX_TEXT);
		return -1;
	}
	if ((o->echo || o->logins) && (o->cohort || o->flooders ||
	    o->guessers || o->bystander)) {
		fprintf(stderr, "mockint-load: --cohort, --flooders, "
		    "--guessers and --bystander drive mockintd's sessions\n");
		return -1;
	}
	if (o->cohort && o->flooders) {
		/* The cohort's window starts before anyone is paired, the
		 * flooders are picked among the pairs. */
		fprintf(stderr, "mockint-load: --cohort or --flooders\n");
		return -1;
	}
	if (o->cohort)		/* every pair at once */
		o->pair_window = o->conns;
	if (!o->echo && o->logins == 0 && o->tokens == NULL) {
		fprintf(stderr, "mockint-load: --tokens is needed (see "
		    "mockint-seed)\n");
		return -1;
	}
	return 0;
}

static int
parse(int argc, char **argv, struct load_opts *o)
{
	memset(o, 0, sizeof *o);
	o->conns = 100;
	o->duration_s = 5;
	o->size = 128;
	o->connect_window = 256;
	o->pair_window = 32;
	o->max_inflight = 4;
	o->sources = 1;
	o->setup_timeout_s = 120;
	o->label = "run";
	o->prefix = "bench";
	o->password = "bench-password";
	for (int i = 1; i < argc; i++) {
		const struct opt_def *d = NULL;
		char *field;

		if (strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			exit(0);
		}
		for (size_t k = 0; k < sizeof opt_defs / sizeof *opt_defs; k++)
			if (strcmp(argv[i], opt_defs[k].name) == 0)
				d = &opt_defs[k];
		if (d == NULL) {
			fprintf(stderr, "mockint-load: unknown option %s\n",
			    argv[i]);
			return -1;
		}
		field = (char *)o + d->off;
		if (d->type == OT_FLAG) {
			*(int *)(void *)field = 1;
			continue;
		}
		if (++i >= argc) {
			fprintf(stderr, "mockint-load: %s needs a value\n",
			    d->name);
			return -1;
		}
		if (d->type == OT_STR)
			*(const char **)(void *)field = argv[i];
		else if (d->type == OT_INT)
			*(int *)(void *)field = atoi(argv[i]);
		else if (d->type == OT_DBL)
			*(double *)(void *)field = atof(argv[i]);
		else
			*(pid_t *)(void *)field = (pid_t)atoi(argv[i]);
	}
	return check(o);
}

static int
read_tokens(const char *path, int need)
{
	FILE *f = fopen(path, "r");
	char line[256];
	int n = 0;

	if (f == NULL) {
		perror(path);
		return -1;
	}
	L.tokens = xcalloc((size_t)need, sizeof *L.tokens);
	while (n < need && fgets(line, sizeof line, f) != NULL) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] != '\0')
			L.tokens[n++] = xstrdup(line);
	}
	fclose(f);
	if (n < need) {
		fprintf(stderr, "mockint-load: %s holds %d tokens, %d needed "
		    "(seed more users)\n", path, n, need);
		return -1;
	}
	return 0;
}

static double
secs(uint64_t ns)
{
	return (double)ns / 1e9;
}

/* Start handshakes until the window is full. (A connect that fails at
 * once is reported from the loop, after wsc_connect: no re-entry.) */
void
connect_pump(void)
{
	while (L.next_connect < L.n && L.connecting < L.o.connect_window)
		client_connect(&L.c[L.next_connect++]);
}

/* Queue pairs (2k interviewer, 2k+1 candidate) while the window allows.
 * Who pairs with whom is the queue's choice; the match push tells. */
void
pair_pump(void)
{
	if (stage != ST_PAIR)
		return;
	while (L.pairs_sent < L.npairs &&
	    2 * L.pairs_sent - L.settled < 2 * L.o.pair_window) {
		struct client *iv = &L.c[2 * L.pairs_sent];
		struct client *cd = &L.c[2 * L.pairs_sent + 1];

		L.pairs_sent++;
		if (iv->state != CS_AUTHED || cd->state != CS_AUTHED) {
			L.settled += 2;	/* one side is gone: skip the pair */
			continue;
		}
		iv->want_role = 0;
		cd->want_role = 1;
		send_join(iv);
		send_join(cd);
	}
}

/* Who sends: every paired client whose partner is there too. */
static void
list_senders(void)
{
	L.senders = xcalloc((size_t)L.n, sizeof *L.senders);
	L.interviewers = xcalloc((size_t)L.n, sizeof *L.interviewers);
	for (int i = 0; i < L.n; i++) {
		struct client *c = &L.c[i];

		if (!c->ready || c->peer < 0 || c->state == CS_CLOSED ||
		    c->kind != CK_HONEST)
			continue;
		L.senders[L.nsenders++] = i;
		if (!L.o.echo && c->role == 0)
			L.interviewers[L.ninterviewers++] = i;
	}
}

static void
start_window(int which, uint64_t now)
{
	struct window *w = &L.w[which];

	L.cur = which;
	procfig_read(L.o.server_pid, &w->s0);
	w->db0_kib = db_size_kib(L.o.db);
	if (!L.o.echo)
		lag_scrape(L.o.url, LAG_SCRAPE_MS, &w->lag0);
	w->self0 = self_cpu_s();
	/* From now: the scrape may have taken a while. */
	L.t_start = now = now_ns();
	L.t_end = now + (uint64_t)(L.o.duration_s * 1e9);
	L.measuring = L.driving = 1;
	L.chat_credit = L.note_credit = 0;
	if (which == W_PACED) {
		abuse_start();
		return;		/* the tick paces it */
	}
	/* Closed loops start full; every arrival sends the next one. */
	for (int i = 0; L.o.chat_window > 0 && i < L.nsenders; i++)
		for (int k = 0; k < L.o.chat_window; k++)
			send_chat(&L.c[L.senders[i]]);
	for (int i = 0; L.o.note_window > 0 && i < L.ninterviewers; i++)
		for (int k = 0; k < L.o.note_window; k++)
			send_note(&L.c[L.interviewers[i]]);
}

static void
end_window(uint64_t now)
{
	struct window *w = &L.w[L.cur];

	L.driving = 0;
	w->wall_s = secs(now - L.t_start);
	procfig_read(L.o.server_pid, &w->s1);
	w->db1_kib = db_size_kib(L.o.db);
	if (!L.o.echo)
		lag_scrape(L.o.url, LAG_SCRAPE_MS, &w->lag1);
	w->self1 = self_cpu_s();
}

static int
drivable(const struct client *c)
{
	return c->ready && !c->done && c->state != CS_CLOSED && c->ws != NULL;
}

/* Rate mode: send what the clock says is due, round robin. */
static void
pace(uint64_t now)
{
	double el = secs(now - L.t_start);

	if (L.o.chat_rate > 0 && L.nsenders > 0) {
		uint64_t due = (uint64_t)(L.o.chat_rate * el);

		while (L.chat_credit < due) {
			int tries = 0;
			struct client *c;

			do {
				c = &L.c[L.senders[L.rr_chat++ % L.nsenders]];
			} while ((!drivable(c) || c->chat_inflight >=
			    (unsigned)L.o.max_inflight) &&
			    ++tries < L.nsenders);
			L.chat_credit++;
			if (tries == L.nsenders) {
				L.w[L.cur].chat_capped += due -
				    L.chat_credit + 1;
				L.chat_credit = due;
				break;
			}
			send_chat(c);
		}
	}
	if (L.o.note_rate > 0 && L.ninterviewers > 0) {
		uint64_t due = (uint64_t)(L.o.note_rate * el);

		while (L.note_credit < due) {
			int tries = 0;
			struct client *c;

			do {
				c = &L.c[L.interviewers[L.rr_note++ %
				    L.ninterviewers]];
			} while ((!drivable(c) || c->note_inflight >=
			    (unsigned)L.o.max_inflight) &&
			    ++tries < L.ninterviewers);
			L.note_credit++;
			if (tries == L.ninterviewers) {
				L.w[L.cur].notes_capped += due -
				    L.note_credit + 1;
				L.note_credit = due;
				break;
			}
			send_note(c);
		}
	}
}

static int
inflight(void)
{
	unsigned long n = 0;

	for (int i = 0; i < L.nsenders; i++) {
		struct client *c = &L.c[L.senders[i]];

		if (c->state != CS_CLOSED)
			n += c->chat_inflight + c->note_inflight;
	}
	return n > 0;
}

/* Move on, saying so on stderr: a long set-up shows where it stands. */
static void
set_stage(int st, uint64_t now)
{
	static const char *const names[] = { "connecting", "pairing",
		"driving", "draining", "pinging", "logging in", "done" };

	stage = st;
	stage_t0 = now;
	fprintf(stderr, "mockint-load: %s: %6.2f s %s (%d open, %d failed, "
	    "%d authenticated, %d matched)\n", L.o.label, secs(now - L.t_run0),
	    names[st], L.opened, L.connect_failed, L.authed, L.matched);
	if (st == ST_DONE)
		uv_timer_stop(&tick);
}

static int
timed_out(uint64_t now, const char *what)
{
	if (secs(now - stage_t0) < L.o.setup_timeout_s)
		return 0;
	fprintf(stderr, "mockint-load: %s did not finish within %.0f s; "
	    "going on with what there is\n", what, L.o.setup_timeout_s);
	return 1;
}

/*
 * Set-up is over: the closed loop first (the most the server can do),
 * then the paced (or idle) window, which so starts with nothing queued.
 */
static void
begin_windows(uint64_t now)
{
	L.w[W_PACED].on = L.o.chat_rate > 0 || L.o.note_rate > 0 ||
	    (L.o.chat_window == 0 && L.o.note_window == 0) || L.o.cohort;
	L.w[W_MAX].on = (L.o.chat_window > 0 || L.o.note_window > 0) &&
	    !L.o.cohort;
	abuse_pick();
	list_senders();
	set_stage(ST_WINDOW, now);
	if (!L.o.cohort)	/* a cohort's began with the pairing */
		start_window(L.w[W_MAX].on ? W_MAX : W_PACED, now);
}

static void
stage_check(uint64_t now)
{
	switch (stage) {
	case ST_CONNECT:
		if (L.opened > 0 && L.t_connected == 0 &&
		    L.opened + L.connect_failed == L.n)
			L.t_connected = now;
		if (!(L.next_connect == L.n && L.connecting == 0 &&
		    (L.o.echo || L.o.logins || L.authed + L.auth_failed +
		    L.closed >= L.opened)) && !timed_out(now, "connecting"))
			return;
		L.t_authed = now;
		procfig_read(L.o.server_pid, &L.srv_setup);
		if (L.o.logins) {
			set_stage(ST_PING_IDLE, now);
		} else if (L.o.echo) {
			L.t_paired = now;
			begin_windows(now);
		} else {
			L.npairs = L.o.conns / 2;
			set_stage(ST_PAIR, now);
			if (L.o.cohort)
				start_window(W_PACED, now);
			pair_pump();
		}
		break;
	case ST_PAIR:
		if (!(L.pairs_sent == L.npairs && L.settled == 2 * L.npairs &&
		    L.ready >= L.matched) && !timed_out(now, "pairing"))
			return;
		L.t_paired = now;
		procfig_read(L.o.server_pid, &L.srv_setup);
		begin_windows(now);
		break;
	case ST_WINDOW:
		if (now < L.t_end)
			return;
		end_window(now);
		set_stage(ST_DRAIN, now);
		break;
	case ST_DRAIN:
		/* Let what was sent in the window arrive before the next
		 * window, or the report. */
		if (inflight() && secs(now - stage_t0) < DRAIN_S)
			return;
		L.measuring = 0;
		if (L.cur == W_MAX && L.w[W_PACED].on) {
			set_stage(ST_WINDOW, now);
			start_window(W_PACED, now);
		} else
			set_stage(ST_DONE, now);
		break;
	case ST_PING_IDLE:
		if (secs(now - stage_t0) < 1)
			return;
		/* Every login at once, as 100 people pressing Enter. */
		set_stage(ST_LOGINS, now);
		start_window(W_PACED, now);
		L.logins_fired = 1;
		for (int i = 0; i < L.o.logins; i++)
			if (L.c[i].state == CS_OPEN)
				send_login(&L.c[i]);
			else
				L.logins_failed++;
		break;
	case ST_LOGINS:
		for (int i = 0; i < L.o.logins; i++)
			if (L.c[i].retry_at != 0 && now >= L.c[i].retry_at)
				send_login(&L.c[i]);
		if (L.logins_ok + L.logins_failed < L.o.logins &&
		    !timed_out(now, "logging in"))
			return;
		end_window(now);
		set_stage(ST_DONE, now);
		break;
	}
}

static void
on_tick(uv_timer_t *t)
{
	uint64_t now = now_ns();

	if (stage == ST_WINDOW && L.driving && L.cur == W_PACED)
		pace(now);
	if ((stage == ST_PING_IDLE || stage == ST_LOGINS ||
	    (L.o.bystander && L.driving)) && !L.ping_outstanding &&
	    now >= L.ping_next_at && (L.c[L.pinger].state == CS_OPEN ||
	    L.c[L.pinger].state == CS_AUTHED))
		send_ping(&L.c[L.pinger]);
	/* Stage checks scan clients at times: every 10 ms is plenty. */
	if (++ticks % 10 == 0 || stage == ST_WINDOW)
		stage_check(now);
}

static void
teardown(void)
{
	uv_close((uv_handle_t *)&tick, NULL);
	/*
	 * The context goes first: lws closes every connection and reports
	 * each one (on_close), and only then are they freed. Freeing them
	 * first would close each with its own lws timeout, and lws keeps its
	 * timers in one sorted list: O(n) an insert, minutes for 20,000.
	 * Stage one closes lws's handles while the loop runs dry.
	 */
	wsc_context_free(L.wctx);
	uv_run(&loop, UV_RUN_DEFAULT);
	for (int i = 0; i < L.n; i++) {
		/* Not reported closed: its wsc may still point into lws;
		 * leave it rather than touch it. */
		if (!L.c[i].ended)
			L.c[i].ws = NULL;
		client_free(&L.c[i]);
	}
	wsc_context_free(L.wctx);
	if (uv_loop_close(&loop) != 0)
		fprintf(stderr, "mockint-load: handles left open at exit\n");
	for (int i = 0; L.tokens != NULL && i < L.n; i++)
		free(L.tokens[i]);
	free(L.tokens);
	free(L.c);
	free(L.senders);
	free(L.interviewers);
	free(L.map_keys);
	free(L.map_vals);
}

int
main(int argc, char **argv)
{
	if (parse(argc, argv, &L.o) != 0) {
		usage(stderr);
		return 2;
	}
	if (sodium_init() < 0)
		return 1;
	signal(SIGPIPE, SIG_IGN);
	/* Whatever happens, the run ends: set-up stages, the window, the
	 * drain and the teardown all fit in this. */
	alarm((unsigned)(3 * L.o.setup_timeout_s + 2 * (L.o.duration_s +
	    DRAIN_S) + 60));
	L.n = L.o.logins ? L.o.logins + 1 : L.o.conns + L.o.guessers +
	    L.o.bystander;
	L.pinger = L.n - 1;	/* --logins's and the bystander */
	L.ping_gap_ns = LOGIN_PING_GAP_NS;
	if (!L.o.echo && !L.o.logins && read_tokens(L.o.tokens, L.n) != 0)
		return 1;
	if (L.o.logins) {
		char h[crypto_pwhash_STRBYTES];
		uint64_t t0 = now_ns();

		/* One hash here, for the ideal rate: cores / hash time. */
		if (crypto_pwhash_str(h, L.o.password, strlen(L.o.password),
		    crypto_pwhash_OPSLIMIT_INTERACTIVE,
		    crypto_pwhash_MEMLIMIT_INTERACTIVE) == 0)
			L.hash_ms = secs(now_ns() - t0) * 1000;
	}
	L.c = xcalloc((size_t)L.n, sizeof *L.c);
	for (int i = 0; i < L.n; i++) {
		L.c[i].idx = i;
		L.c[i].peer = -1;
		L.c[i].next_id = 1;
		if (!L.o.logins && i >= L.o.conns)
			L.c[i].kind = i < L.o.conns + L.o.guessers ?
			    CK_GUESSER : CK_BYSTANDER;
	}
	for (int i = 0; i < 2; i++) {
		hist_reset(&L.w[i].h_chat);
		hist_reset(&L.w[i].h_note);
	}
	hist_reset(&L.h_timer);
	hist_reset(&L.h_ping);
	hist_reset(&L.h_ping_idle);
	hist_reset(&L.h_login);
	hist_reset(&L.h_start);
	uv_loop_init(&loop);
	L.loop = &loop;
	L.wctx = wsc_context_new(&loop, NULL);
	if (L.wctx == NULL) {
		fprintf(stderr, "mockint-load: cannot create the WebSocket "
		    "context\n");
		return 1;
	}
	/* Our clients are never silent long; lws's keepalive would cost
	 * O(n) per connection here (see wsclient.h). */
	wsc_context_no_keepalive(L.wctx);
	procfig_read(L.o.server_pid, &L.srv_base);
	L.t_run0 = stage_t0 = now_ns();
	stage = ST_CONNECT;
	uv_timer_init(&loop, &tick);
	uv_timer_start(&tick, on_tick, 1, 1);
	connect_pump();
	while (stage != ST_DONE)
		uv_run(&loop, UV_RUN_ONCE);
	load_report();
	teardown();
	return L.opened > 0 ? 0 : 1;
}
