/*
 * load_report.c — mockint-load's output (see load.h): a table for people
 * and one CSV line for scripts (always the last line; --csv-header puts
 * the header just before it). Fields that do not apply stay empty.
 */
#include <stdio.h>
#include <string.h>

#include "load.h"

/*
 * The paced window gives the rates and latencies at the load asked for;
 * the closed-loop window (chat_max, notes_max) the most the server did;
 * server_us_per_op is the server's CPU time per relayed message or
 * acknowledged note in that window (the paced one when there is none),
 * a cost that other work on the machine does not distort much.
 *
 * Columns added later go at the end (scripts look them up by name):
 * start_*: from each queue.join to its match and session (start_all_ms:
 * the first join to the last session; start_spread_ms: the server's
 * prep starts, first to last); rss_start/end, db_start/end: the server in
 * the main window (db with its -wal, --db); db_bound_kib, flood_*,
 * guess_*: --flooders and --guessers (what they were answered; their
 * errors are not in `errors`). ping_* is --logins's pinger or the
 * --bystander.
 */
static const char csv_header[] =
    "label,mode,conns,sessions,duration_s,chat_sent,chat_per_s,"
    "chat_p50_ms,chat_p99_ms,chat_max_ms,notes_per_s,note_p50_ms,"
    "note_p99_ms,note_max_ms,chat_max_per_s,notes_max_per_s,timers,"
    "timer_p50_ms,timer_p99_ms,timer_max_ms,errors,server_rss_kib,"
    "rss_base_kib,rss_per_conn_kib,server_cpu_pct,server_us_per_op,"
    "load_cpu_pct,connect_s,auth_s,pair_s,logins,logins_per_s,"
    "login_p50_ms,login_p99_ms,ping_p50_ms,ping_p99_ms,ping_max_ms,"
    "ping_idle_p99_ms,hash_ms,lag_p50_ms,lag_p99_ms,lag_max_ms,"
    "start_all_ms,start_p50_ms,start_p99_ms,start_spread_ms,"
    "rss_start_kib,rss_end_kib,db_start_kib,db_end_kib,db_bound_kib,"
    "flooders,flood_sent,flood_ok,flood_ok_kib,flood_too_large,"
    "flood_rate_limited,flood_other,guessers,guess_sent,guess_not_found,"
    "guess_rate_limited,guess_ok,guess_other";

static double
ms(uint64_t us)
{
	return (double)us / 1000.0;
}

static double
since(uint64_t t)
{
	return t > L.t_run0 ? (double)(t - L.t_run0) / 1e9 : 0;
}

static void
print_hist(const char *what, const struct hist *h)
{
	if (h->n == 0) {
		printf("  %-11s no samples\n", what);
		return;
	}
	printf("  %-11s n=%llu  p50 %.2f ms  p99 %.2f ms  max %.2f ms  "
	    "(mean %.2f)\n", what, (unsigned long long)h->n,
	    ms(hist_pct(h, 0.50)), ms(hist_pct(h, 0.99)), ms(h->max),
	    hist_mean(h) / 1000.0);
}

static int
held(void)
{
	int n = 0;

	for (int i = 0; i < L.n; i++)
		if (L.c[i].opened && L.c[i].state != CS_CLOSED)
			n++;
	return n;
}

static int
live_sessions(void)
{
	int n = 0;

	for (int i = 0; i < L.n; i++) {
		const struct client *c = &L.c[i], *p;

		if (!c->ready || c->peer < 0 || c->state == CS_CLOSED)
			continue;
		p = &L.c[c->peer];
		if (p->state == CS_CLOSED)
			continue;
		/* Count each pair once: by its interviewer, or its lower
		 * index in --echo. */
		if (L.o.echo ? c->idx < p->idx : c->role == 0 && !c->done)
			n++;
	}
	return n;
}

static uint64_t
total_errors(void)
{
	uint64_t n = 0;

	for (int i = 0; i <= PROTO_E__COUNT; i++)
		n += L.errors[i];
	return n;
}

static void
print_errors(void)
{
	static const char *const closes[] = { "none", "1000", "1001", "1006",
		"1008", "1009", "other" };
	int any = 0;

	printf("  errors     ");
	for (int i = 0; i <= PROTO_E__COUNT; i++)
		if (L.errors[i] > 0) {
			printf("%s%s=%llu", any++ ? "  " : "", i ==
			    PROTO_E__COUNT ? "unparsed" :
			    proto_err_name((enum proto_err)i),
			    (unsigned long long)L.errors[i]);
		}
	printf("%s\n", any ? "" : "none");
	any = 0;
	printf("  closes     ");
	for (int i = 0; i < 7; i++)
		if (L.close_codes[i] > 0)
			printf("%s%s=%llu", any++ ? "  " : "", closes[i],
			    (unsigned long long)L.close_codes[i]);
	printf("%s\n", any ? "" : "none");
	if (L.connect_failed || L.auth_failed || L.join_failed)
		printf("  failures   connect %d, auth %d, queue.join %d\n",
		    L.connect_failed, L.auth_failed, L.join_failed);
}

static double
cpu_pct(const struct window *w)
{
	if (w->s0.cpu_s < 0 || w->s1.cpu_s < 0 || w->wall_s <= 0)
		return -1;
	return 100.0 * (w->s1.cpu_s - w->s0.cpu_s) / w->wall_s;
}

static double
self_pct(const struct window *w)
{
	return w->wall_s > 0 ? 100.0 * (w->self1 - w->self0) / w->wall_s : 0;
}

/* Server CPU microseconds per message relayed or note acknowledged. */
static double
us_per_op(const struct window *w)
{
	uint64_t ops = w->chat_delivered + w->notes_acked;

	if (w->s0.cpu_s < 0 || ops == 0)
		return -1;
	return (w->s1.cpu_s - w->s0.cpu_s) * 1e6 / (double)ops;
}

/* A CSV number, or an empty field when it does not apply. */
static void
csv_num(double v, int apply, int decimals)
{
	putchar(',');
	if (apply)
		printf("%.*f", decimals, v);
}

static void
print_window(const char *name, const struct window *w)
{
	double d = L.o.duration_s, pct = cpu_pct(w), per = us_per_op(w);

	printf("  %-11s %.1f s\n", name, w->wall_s);
	if (w->chat_sent > 0) {
		printf("  chat       sent %llu, relayed %llu in the window = "
		    "%.0f messages/s%s\n", (unsigned long long)w->chat_sent,
		    (unsigned long long)w->chat_delivered,
		    w->chat_delivered / d, w->chat_capped ? " (some sends "
		    "skipped: senders at --max-inflight)" : "");
		print_hist("chat relay", &w->h_chat);
	}
	if (w->notes_sent > 0) {
		printf("  notes      sent %llu, acknowledged %llu in the window "
		    "= %.0f notes/s%s\n", (unsigned long long)w->notes_sent,
		    (unsigned long long)w->notes_acked, w->notes_acked / d,
		    w->notes_capped ? " (some skipped at --max-inflight)" : "");
		print_hist("note ack", &w->h_note);
	}
	if (pct >= 0)
		printf("  server     CPU %.2f s (%.0f%% of a core)%s", w->s1.cpu_s -
		    w->s0.cpu_s, pct, per >= 0 ? "" : "\n");
	if (per >= 0)
		printf(", %.1f us per message or note\n", per);
	printf("  generator  CPU %.2f s (%.0f%% of a core)\n", w->self1 -
	    w->self0, self_pct(w));
}

/* The window's loop lag: a line for people, three CSV fields. */
static void
print_lag(const struct window *w)
{
	double p50, p99, max;

	lag_window(&w->lag0, &w->lag1, &p50, &p99, &max);
	if (p50 >= 0)
		printf("  loop lag   p50 %.2f ms, p99 %.2f ms, max <= %.1f ms "
		    "(mockintd's own histogram, this window only)\n", p50, p99,
		    max);
}

static void
csv_lag(const struct window *w)
{
	double p50, p99, max;

	lag_window(&w->lag0, &w->lag1, &p50, &p99, &max);
	csv_num(p50, p50 >= 0, 2);
	csv_num(p99, p99 >= 0, 2);
	csv_num(max, max >= 0, 1);
}

/* How the sessions started: a line for people (when any did). */
static void
print_start(void)
{
	const struct hist *h = &L.h_start;

	if (h->n == 0)
		return;
	printf("  start      %llu clients' sessions started, the last %.0f ms "
	    "after the first queue.join; from each join to its match and "
	    "session: p50 %.1f ms, p99 %.1f ms, max %.1f ms; prep began within "
	    "%lld ms (the server's clock)\n", (unsigned long long)h->n,
	    (double)(L.t_last_ready - L.t_first_join) / 1e6,
	    ms(hist_pct(h, 0.5)), ms(hist_pct(h, 0.99)), ms(h->max),
	    (long long)(L.prep_max_ms - L.prep_min_ms));
}

/* The columns after lag_max_ms (see csv_header), of window w. */
static void
csv_tail(const struct window *w)
{
	const struct hist *h = &L.h_start;
	int started = h->n > 0, pid = w->s0.rss_kib >= 0 && w->s1.rss_kib >= 0;
	int db = w->db0_kib >= 0 && w->db1_kib >= 0;

	csv_num((double)(L.t_last_ready - L.t_first_join) / 1e6, started, 0);
	csv_num(ms(hist_pct(h, 0.5)), started, 1);
	csv_num(ms(hist_pct(h, 0.99)), started, 1);
	csv_num((double)(L.prep_max_ms - L.prep_min_ms), started, 0);
	csv_num((double)w->s0.rss_kib, pid, 0);
	csv_num((double)w->s1.rss_kib, pid, 0);
	csv_num((double)w->db0_kib, db, 0);
	csv_num((double)w->db1_kib, db, 0);
	abuse_csv(w);
}

static void
report_logins(void)
{
	const struct window *w = &L.w[W_PACED];
	double wall = L.t_last_login > L.t_start ? (double)(L.t_last_login -
	    L.t_start) / 1e9 : 0, rate = wall > 0 ? L.logins_ok / wall : 0;
	unsigned cores = uv_available_parallelism();
	double pct = cpu_pct(w);

	printf("mockint-load: %s — %d concurrent logins (%s)\n", L.o.label,
	    L.o.logins, L.o.url);
	printf("  logins     %d ok, %d failed, %d 'busy' replies retried; "
	    "%.1f logins/s (last ok after %.2f s)\n", L.logins_ok,
	    L.logins_failed, L.logins_busy, rate, wall);
	printf("  ideal      %u cores / %.0f ms per Argon2id INTERACTIVE hash "
	    "here = %.1f logins/s\n", cores, L.hash_ms, L.hash_ms > 0 ?
	    cores / (L.hash_ms / 1000) : 0);
	print_hist("login", &L.h_login);
	print_hist("ping idle", &L.h_ping_idle);
	print_hist("ping busy", &L.h_ping);
	print_errors();
	print_lag(w);
	if (pct >= 0)
		printf("  server     RSS peak %ld KiB, CPU %.2f s in %.1f s "
		    "(%.0f%% of a core)\n", w->s1.hwm_kib, w->s1.cpu_s -
		    w->s0.cpu_s, w->wall_s, pct);
	if (L.o.csv_header)
		printf("%s\n", csv_header);
	printf("%s,logins,%d,,,,,,,,,,,,,,,,,,%llu", L.o.label, L.n,
	    (unsigned long long)total_errors());
	csv_num((double)w->s1.hwm_kib, pct >= 0, 0);
	csv_num((double)L.srv_base.rss_kib, pct >= 0, 0);
	printf(",");
	csv_num(pct, pct >= 0, 0);
	printf(",");
	csv_num(self_pct(w), 1, 0);
	printf(",,,,%d,%.1f,%.1f,%.1f,%.2f,%.2f,%.2f,%.2f,%.0f", L.logins_ok,
	    rate, ms(hist_pct(&L.h_login, 0.5)), ms(hist_pct(&L.h_login, 0.99)),
	    ms(hist_pct(&L.h_ping, 0.5)), ms(hist_pct(&L.h_ping, 0.99)),
	    ms(L.h_ping.max), ms(hist_pct(&L.h_ping_idle, 0.99)), L.hash_ms);
	csv_lag(w);
	csv_tail(w);
	printf("\n");
}

static void
print_timers(void)
{
	print_hist("timer late", &L.h_timer);
	if (L.timers_early || L.timers_unmatched)
		printf("  timers     %llu arrived before their due time (at "
		    "most %lld ms, counted as 0), %llu unmatched\n",
		    (unsigned long long)L.timers_early,
		    (long long)L.timer_early_max_ms,
		    (unsigned long long)L.timers_unmatched);
}

/* Three CSV fields: p50, p99 and max of h in ms, empty without samples. */
static void
csv_lat(const struct hist *h, int decimals)
{
	csv_num(ms(hist_pct(h, 0.5)), h->n > 0, decimals);
	csv_num(ms(hist_pct(h, 0.99)), h->n > 0, decimals);
	csv_num(ms(h->max), h->n > 0, decimals);
}

/* The CSV line of a mockintd or mockint-echo run (and its header). */
static void
csv_sessions(const struct window *main_w, const struct window *cost_w,
    int conns, int sessions, double per_conn)
{
	const struct window *m = &L.w[W_MAX];
	const struct procfig *b = &L.srv_base, *su = &L.srv_setup;
	int has_pid = b->rss_kib >= 0;
	double d = L.o.duration_s;

	if (L.o.csv_header)
		printf("%s\n", csv_header);
	printf("%s,%s,%d,%d,%.1f,%llu,%.0f", L.o.label, L.o.echo ? "echo" :
	    "mockintd", conns, sessions, d,
	    (unsigned long long)main_w->chat_sent, main_w->chat_delivered / d);
	csv_lat(&main_w->h_chat, 2);
	csv_num(main_w->notes_acked / d, main_w->notes_sent > 0, 0);
	csv_lat(&main_w->h_note, 2);
	csv_num(m->chat_delivered / d, m->on && m->chat_sent > 0, 0);
	csv_num(m->notes_acked / d, m->on && m->notes_sent > 0, 0);
	csv_num((double)L.h_timer.n, !L.o.echo, 0);
	csv_lat(&L.h_timer, 0);
	printf(",%llu", (unsigned long long)total_errors());
	csv_num((double)su->rss_kib, has_pid, 0);
	csv_num((double)b->rss_kib, has_pid, 0);
	csv_num(per_conn, has_pid, 1);
	csv_num(cpu_pct(main_w), cpu_pct(main_w) >= 0, 0);
	csv_num(us_per_op(cost_w), us_per_op(cost_w) >= 0, 1);
	csv_num(self_pct(main_w), 1, 0);
	printf(",%.2f,%.2f,%.2f", since(L.t_connected), since(L.t_authed),
	    since(L.t_paired));
	/* logins..login_p99_ms, the bystander's pings, ping_idle, hash */
	printf(",,,,");
	csv_lat(&L.h_ping, 2);
	printf(",,");
	csv_lag(main_w);
	csv_tail(main_w);
	printf("\n");
}

void
load_report(void)
{
	const struct window *p = &L.w[W_PACED], *m = &L.w[W_MAX];
	const struct window *main_w = p->on ? p : m, *cost_w = m->on ? m : p;
	const struct procfig *b = &L.srv_base, *su = &L.srv_setup;
	int conns, sessions, has_pid = b->rss_kib >= 0;
	double per_conn;

	if (L.o.logins) {
		report_logins();
		return;
	}
	conns = held();
	sessions = live_sessions();
	per_conn = L.opened ? (double)(su->rss_kib - b->rss_kib) / L.opened : 0;
	printf("mockint-load: %s — %s %s\n", L.o.label, L.o.echo ?
	    "mockint-echo (the ceiling)" : "mockintd", L.o.url);
	printf("  set-up     %d connections open at %.2f s, %s at %.2f s, "
	    "%d sessions paired at %.2f s\n", L.opened, since(L.t_connected),
	    L.o.echo ? "no auth" : "authenticated", since(L.t_authed),
	    L.o.echo ? L.ready / 2 : L.matched / 2, since(L.t_paired));
	print_start();
	printf("  held       %d of %d connections, %d live sessions\n", conns,
	    L.n, sessions);
	if (has_pid)
		printf("  memory     server RSS %ld KiB before, %ld KiB set up "
		    "(%+.1f KiB per connection), %ld KiB at the end, peak %ld "
		    "KiB\n", b->rss_kib, su->rss_kib, per_conn,
		    cost_w->s1.rss_kib, cost_w->s1.hwm_kib);
	if (m->on)
		print_window("closed loop", m);
	if (p->on)
		print_window(p->chat_sent || p->notes_sent ? "paced" : "idle",
		    p);
	if (!L.o.echo)
		print_timers();
	if (L.o.bystander)
		print_hist("bystander", &L.h_ping);
	print_errors();
	print_lag(main_w);
	abuse_print(main_w);
	csv_sessions(main_w, cost_w, conns, sessions, per_conn);
}
