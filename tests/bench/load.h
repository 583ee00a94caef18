/*
 * load.h — mockint-load's shared state: the options, the simulated
 * clients and what is counted. mockint-load.c runs the stages (connect,
 * authenticate, pair, drive, report); load_conn.c is each connection's
 * side: the messages it sends and what it makes of those it receives;
 * load_abuse.c the attackers' side (--flooders, --guessers) and the
 * bystander's; load_report.c the output.
 *
 * One process, one libuv loop, one libwebsockets client context with
 * every connection on it. Times are uv_hrtime() nanoseconds unless named
 * *_ms (then Unix milliseconds, the protocol's unit).
 */
#ifndef MOCKINT_BENCH_LOAD_H
#define MOCKINT_BENCH_LOAD_H

#include <stddef.h>
#include <jansson.h>
#include <stdint.h>
#include <sys/types.h>
#include <uv.h>

#include "proto.h"
#include "lag.h"
#include "stats.h"
#include "wsclient.h"

#define MAX_KEYS 16		/* checklist keys kept per session */
#define LAG_SCRAPE_MS 2000	/* the most a /metrics scrape may take */

enum cstate { CS_NEW, CS_CONNECTING, CS_OPEN, CS_AUTHED, CS_JOINING,
	CS_MATCHED, CS_FAILED, CS_CLOSED };

enum req_kind { RK_AUTH, RK_JOIN, RK_CHAT, RK_NOTE, RK_PING, RK_LOGIN,
	RK_FLOOD_CHAT, RK_FLOOD_NOTE, RK_GUESS };

/*
 * What a connection does in the measuring window. The first --conns are
 * paired; --flooders of those sessions are picked after pairing (whoever
 * the queue put together) and flood instead of chatting. Guessers and the
 * bystander come after them and are never paired. Only CK_HONEST clients
 * send the chat and notes that the latencies are measured on.
 */
enum client_kind { CK_HONEST, CK_FLOODER, CK_GUESSER, CK_BYSTANDER };

/* A request waiting for its reply; replies come in request order. */
struct pend {
	int64_t id;
	uint64_t t;
	int kind;
};

struct client {
	struct wsc *ws;
	int idx;
	int state;
	int opened;		/* on_open ran */
	int ended;		/* on_close ran: the wsc may be freed */
	int kind;		/* enum client_kind */
	int want_role;		/* 0 interviewer, 1 candidate */
	int role;		/* from the match push */
	int64_t user_id;
	int64_t session_id;
	int peer;		/* the partner's index, or -1 */
	int ready;		/* has its session state: may be driven */
	int done;		/* the session ended */
	int64_t phase_started_ms, phase_ends_ms;
	char *keys[MAX_KEYS];	/* the interviewer's checklist keys */
	int nkeys;
	int64_t next_id;
	struct pend *pq;	/* ring of unanswered requests */
	unsigned pq_head, pq_len, pq_cap;
	unsigned chat_inflight;	/* sent, not yet seen by the peer */
	unsigned note_inflight;	/* sent, not yet acknowledged */
	uint64_t seq;
	uint64_t login_t0;	/* first login attempt */
	uint64_t join_t;	/* its queue.join was sent */
	uint64_t retry_at;	/* a login to resend after rate_limited */
};

struct load_opts {
	const char *url, *tokens, *label, *prefix, *password;
	int echo;
	int conns;
	double duration_s;
	double chat_rate;	/* messages/s, all senders together */
	int chat_window;	/* or closed loop: in flight per sender */
	double note_rate;	/* notes/s, all interviewers together */
	int note_window;
	int size;		/* chat text bytes */
	pid_t server_pid;
	int connect_window, pair_window;
	double setup_timeout_s;
	int logins;		/* --logins N: the login benchmark instead */
	int csv_header;
	int max_inflight;	/* cap per connection in rate mode */
	int sources;		/* spread over 127.0.0.1..127.0.0.K */
	int cohort;		/* every pair at once, in the window */
	int flooders;		/* sessions (pairs) that flood */
	int guessers;		/* connections guessing room codes */
	int bystander;		/* one more connection, pinging */
	const char *db;		/* the server's database: its growth */
};

/*
 * A measuring window: the paced one (rates given, or idle) and then the
 * closed-loop one (windows given: the most the server can do), each of
 * --duration seconds on the same connections.
 */
struct window {
	int on;			/* this window runs */
	uint64_t chat_sent, chat_delivered, chat_ok;
	uint64_t notes_sent, notes_acked;
	uint64_t chat_capped, notes_capped;	/* sends skipped at the cap */
	struct hist h_chat, h_note;
	struct procfig s0, s1;	/* the server at its start and end */
	struct lag_snap lag0, lag1;	/* its loop-lag histogram, same */
	double self0, self1;	/* our own CPU time */
	long db0_kib, db1_kib;	/* --db and its -wal, KiB (-1: unknown) */
	double wall_s;		/* its length as it ran */
};

/* What the server answered one kind of attacker's requests, whole run. */
struct abuse_tally {
	uint64_t sent, ok;
	uint64_t ok_bytes;	/* text accepted (flooders) */
	uint64_t err[PROTO_E__COUNT + 1];	/* by code; last: unknown */
};

enum { W_PACED, W_MAX };

struct load {
	struct load_opts o;
	uv_loop_t *loop;
	struct wsc_context *wctx;
	struct client *c;
	int n;			/* clients (incl. the pinger in --logins) */
	char **tokens;

	/* stage bookkeeping (whole run) */
	int next_connect, connecting, opened, connect_failed, closed;
	int authed, auth_failed;
	int pairs_sent, npairs, settled, matched, ready, join_failed;
	int logins_ok, logins_failed, logins_busy;
	uint64_t errors[PROTO_E__COUNT + 1];	/* by code, whole run */
	uint64_t close_codes[8];	/* 0, 1000, 1001, 1006, 1008, 1009, other */

	/* the measuring windows */
	int measuring, driving;
	uint64_t t_start, t_end;	/* the current window's bounds */
	struct window w[2];
	int cur;			/* W_PACED or W_MAX */
	struct hist h_timer, h_ping, h_ping_idle, h_login;
	uint64_t timers_early, timers_unmatched, other_pushes;
	int64_t timer_early_max_ms;
	int rr_chat, rr_note;		/* round-robin positions */
	int *senders, nsenders, *interviewers, ninterviewers;
	uint64_t chat_credit, note_credit;	/* rate mode: sent so far */

	/* user id -> client index (open addressing) */
	int64_t *map_keys;
	int *map_vals;
	size_t map_cap;

	/* how the sessions started: from each queue.join to its session */
	uint64_t t_first_join, t_last_ready;
	struct hist h_start;
	int64_t prep_min_ms, prep_max_ms;	/* the server's prep starts */

	/* --flooders, --guessers: what they were answered */
	struct abuse_tally flood, guess;

	/* --logins and --bystander: the pinger */
	int pinger;
	int ping_outstanding;
	uint64_t ping_gap_ns;		/* from a reply to the next ping */
	uint64_t ping_next_at;
	int logins_fired;
	uint64_t t_last_login;	/* the last login ok */

	/* set-up times and the figures the report needs */
	uint64_t t_run0, t_connected, t_authed, t_paired;
	struct procfig srv_base, srv_setup;
	double hash_ms;
};

extern struct load L;

/* load_conn.c */
extern const struct wsc_callbacks load_callbacks;
void map_put(int64_t user, int idx);
int map_get(int64_t user);
int client_connect(struct client *c);
void client_free(struct client *c);
void send_chat(struct client *c);
void send_note(struct client *c);
void send_ping(struct client *c);
void send_login(struct client *c);
void send_join(struct client *c);
int send_request(struct client *c, const char *buf, size_t len, int kind);
int in_window(uint64_t t);
uint64_t now_ns(void);

/* load_abuse.c */
void abuse_pick(void);		/* after pairing: mark the flooders */
void abuse_start(void);		/* the window starts: every loop */
/* A reply to an attacker's request: tallied, the next one sent; 0 when
 * p is not an attacker's. */
int abuse_reply(struct client *c, const struct pend *p, json_t *m, int ok);
long abuse_db_bound_kib(const struct window *w);
void abuse_print(const struct window *w);
void abuse_csv(const struct window *w);

/* mockint-load.c: the connect and pair windows (called when one ends). */
void connect_pump(void);
void pair_pump(void);

/* load_report.c: the human table and the CSV line. */
void load_report(void);

#endif
