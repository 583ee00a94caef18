/*
 * harness.h — the shared integration-test harness: start an isolated
 * mockintd (its own temporary directory and database, --port 0, waiting
 * for its "listening on" line) and talk to it with real WebSocket clients
 * on one libuv loop, in a blocking style that keeps tests readable.
 *
 * Every wait is bounded; a test that times out fails, it never hangs.
 */
#ifndef MOCKINT_HARNESS_H
#define MOCKINT_HARNESS_H

#include <jansson.h>
#include <sqlite3.h>
#include <stddef.h>
#include <sys/types.h>

struct hserver {
	pid_t pid;
	int port;
	char dir[256];		/* temporary directory, removed by hs_free */
	char db[320];
	char log[320];		/* the server's stderr */
	char url[96];		/* ws://, or wss:// for hs_start_tls */
	char ca[320];		/* TLS: the CA that signed its certificate */
};

/*
 * The WebSocket close codes the server sends (RFC 6455 7.4.1): those of
 * PROTOCOL.md's table, and 1002, which lws sends for a frame that breaks
 * the protocol itself (not in the table).
 */
#define H_CLOSE_GOING_AWAY	1001
#define H_CLOSE_PROTOCOL_ERROR	1002
#define H_CLOSE_INVALID_PAYLOAD	1007
#define H_CLOSE_POLICY		1008
#define H_CLOSE_TOO_BIG		1009

/* Default extra arguments every test server gets (fast hashing). */
extern const char *const hs_fast_args[];

/*
 * Start a server with fast hashing, the bundled bank, the given --phases
 * (NULL: defaults) and extra (NULL-terminated, may be NULL) arguments.
 */
struct hserver *hs_start_bank(const char *phases, const char *const *extra);
/* The same in dir (not NULL: a restart on the same database). */
struct hserver *hs_start_bank_in(const char *dir, const char *phases,
    const char *const *extra);
/* Fast hashing and the bank in directory bank (a test's own), in dir. */
struct hserver *hs_start_questions(const char *dir, const char *bank);

/*
 * Start mockintd with --port 0 and a database in a new temporary
 * directory (or in dir, when not NULL, to restart on the same database),
 * plus args (NULL-terminated, may be NULL). Fails the test on error.
 * --limit-registrations-per-hour is 0 (off) unless args set it: tests
 * register many users from 127.0.0.1.
 */
struct hserver *hs_start(const char *const *args);
struct hserver *hs_start_in(const char *dir, const char *const *args);
/*
 * Start a server like hs_start_bank, but serving TLS with a certificate
 * for 127.0.0.1 and localhost signed by a CA made for it (openssl, in the
 * server's directory; s->ca). Clients connecting to it trust that CA.
 */
struct hserver *hs_start_tls(const char *phases, const char *const *extra);
/* Send sig and wait; returns the exit status, or 128+signal. */
int hs_stop(struct hserver *s, int sig);
/* Stop with SIGTERM, free, and fail the test unless it exited 0 (the
 * log is printed then): graceful shutdown is checked by every test. */
void hs_finish(struct hserver *s);
/* Remove the temporary directory (unless MOCKINT_KEEP_TMP is set). */
void hs_free(struct hserver *s);
/* Print the server's log to stderr (for a failing test). */
void hs_dump_log(const struct hserver *s);

/*
 * The shared cmocka fixtures, for a group or for one test: the server is
 * h_srv, and the state the tests get. h_setup_server starts one with
 * fast hashing and no bank (hs_start(hs_fast_args)); h_setup_bank with
 * the bundled bank too (hs_start_bank). The _args variants, for a file's
 * own setup to call, take hs_start's args or hs_start_bank's extra.
 * h_teardown_server stops it with hs_finish: the test fails unless it
 * exited 0, which under ASan also means nothing leaked.
 */
extern struct hserver *h_srv;
int h_setup_server(void **state);
int h_setup_server_args(void **state, const char *const *args);
int h_setup_bank(void **state);
int h_setup_bank_args(void **state, const char *const *extra);
int h_teardown_server(void **state);
/*
 * What a test's main returns: cmocka_run_group_tests's count, plus the
 * servers h_teardown_server saw exit other than 0. cmocka 1.1 reports a
 * failed group teardown but leaves it out of that count, so without this
 * a crash or a leak at a group's shutdown would pass.
 */
int h_failures(int cmocka_failed);

/*
 * Run $MOCKINTD with args (NULL-terminated; not wrapped, output to
 * /dev/null) as a one-shot process beside the servers, such as
 * --backup; h_wait_exit waits for it: its exit status, or 128+signal.
 */
pid_t h_spawn_mockintd(const char *const *args);
int h_wait_exit(pid_t pid);

struct hclient;

/* Connect offering mockint.v1; fails the test unless it opens. */
struct hclient *hc_connect(const struct hserver *s);
/* Connect from the local address from (127.0.0.N: all of 127/8 is the
 * loopback on Linux), so that the server sees another client address. */
struct hclient *hc_connect_from(const struct hserver *s, const char *from);
/* Connect offering proto (NULL: none); NULL when refused, why says why.
 * A TLS server's CA (s->ca) is trusted. */
struct hclient *hc_try_connect(const struct hserver *s, const char *proto,
    char *why, size_t whylen);
/* Connect offering mockint.v1 trusting ca_file besides the system store
 * (NULL: the system store only); NULL when refused, why says why. */
struct hclient *hc_try_connect_ca(const struct hserver *s,
    const char *ca_file, char *why, size_t whylen);
void hc_free(struct hclient *c);

/* Send a request {type, id, ...fields} (fields consumed) without
 * waiting; returns its id, which the reply's re will be. */
long long hc_send(struct hclient *c, const char *type, json_t *fields);
/* Send a request {type, id, ...fields} (fields consumed) and wait for its
 * reply; pushes that arrive meanwhile are kept for hc_wait_push. Returns
 * the reply (ok or error), or NULL on timeout/close. Caller decrefs. */
json_t *hc_request(struct hclient *c, const char *type, json_t *fields);
/* The same, failing the test unless the reply is ok. */
json_t *hc_ok(struct hclient *c, const char *type, json_t *fields);
/* The same, failing the test unless the reply is an error with code. */
void hc_error(struct hclient *c, const char *type, json_t *fields,
    const char *code);
/* The id the next hc_request will use. */
long long hc_next_id(const struct hclient *c);

/* Send raw text or a raw frame (WSC_* kinds from wsclient.h). */
void hc_send_text(struct hclient *c, const char *text);
void hc_send_frame(struct hclient *c, const void *buf, size_t len, int kind);

/* The next message of any kind (kept pushes first), or NULL on timeout. */
json_t *hc_next(struct hclient *c, int timeout_ms);
/* The first kept or arriving push of this type, or NULL on timeout. */
json_t *hc_wait_push(struct hclient *c, const char *type, int timeout_ms);
/*
 * The first kept or arriving push that says the session is in phase: a
 * `phase` push (a phase change: {phase, started_at, ends_at}) or a whole
 * `session` push ({phase, phase_started_at, phase_ends_at, ...}); the
 * earlier ones of other phases stay kept. NULL on timeout.
 */
json_t *hc_wait_phase(struct hclient *c, const char *phase, int timeout_ms);
/* Drop the pushes kept so far. */
void hc_clear(struct hclient *c);
/* Wait for the connection to end: the close code, 0 if none, -1 timeout. */
int hc_wait_close(struct hclient *c, int timeout_ms);
int hc_is_open(const struct hclient *c);

/* Milliseconds on the monotonic clock. */
long h_mono_ms(void);
/* Whether the server runs under a slow wrapper (valgrind): tests then
 * skip their timing checks, which valgrind's slowdown makes meaningless. */
int h_slow(void);
/* Milliseconds since t0 (CLOCK_MONOTONIC). */
struct timespec;
long h_elapsed_ms(const struct timespec *t0);
/* Run the loop for ms milliseconds (lets things happen). */
void h_sleep(int ms);
/* The password h_user gives name (strong, and not containing the name). */
void h_password(const char *name, char *buf, size_t len);
/* Register (fast) and log in a user; returns a connected, authenticated
 * client. The token (if out_token) is copied out. */
struct hclient *h_user(const struct hserver *s, const char *name,
    char *out_token, size_t tlen);

/* Queue iv as interviewer and cd as candidate; wait for both matches;
 * returns the session id (the session pushes stay kept). */
long long h_pair(struct hclient *iv, struct hclient *cd);

/*
 * Raw sockets, for peers that misbehave below the WebSocket layer
 * (harness-raw.c): a TCP connection (from a local address such as
 * 127.0.0.2, or any); a completed mockint.v1 handshake; one masked text
 * frame.
 */
int h_raw_connect(const struct hserver *s);
int h_raw_connect_from(const struct hserver *s, const char *from);
int h_raw_ws(const struct hserver *s);
void h_raw_send_text(int fd, const char *text);
/* Read the server's frames (without answering) until its close frame:
 * the close code; -1 when the socket ended without one, or on timeout. */
int h_raw_wait_close(int fd, int timeout_ms);

/* Frame opcodes (RFC 6455). */
#define H_OP_TEXT	0x1
#define H_OP_CLOSE	0x8
#define H_OP_PING	0x9
#define H_OP_PONG	0xa

/*
 * Send a mockint.v1 upgrade on fd with extra header lines (each ending
 * in \r\n; NULL for none) and read the answer's head: its status (101
 * when upgraded), or -1 when the server closed without one.
 */
int h_raw_upgrade(int fd, const char *headers);
/* The same with this Host header (h_raw_upgrade's is 127.0.0.1). */
int h_raw_upgrade_host(int fd, const char *host, const char *headers);
/* Read exactly len bytes, waiting at most timeout_ms for each piece: 0,
 * -1 on EOF or an error, H_RAW_TIMEOUT when nothing came in time. */
int h_raw_read(int fd, void *buf, size_t len, int timeout_ms);
/* One final frame of opcode, masked (as a client must) or not. */
void h_raw_send_frame(int fd, int opcode, const void *payload, size_t len,
    int masked);
/* The server's next frame: its opcode, with the payload in *payload
 * (malloc'd, NUL-ended; else NULL); -1 on EOF, H_RAW_TIMEOUT when no
 * frame began within timeout_ms. */
#define H_RAW_TIMEOUT (-2)
int h_raw_read_frame(int fd, int timeout_ms, char **payload, size_t *len);
/* Send text and return the next text frame parsed (pings skipped), or
 * NULL when the connection closed or nothing came in 10 s. */
json_t *h_raw_request(int fd, const char *text);

/*
 * GET path over a new plain TCP connection (HTTP/1.0, so the server
 * closes after its answer). Returns the status code, with the body in
 * *body (malloc'd, NUL-terminated; may be NULL), or -1 when the server
 * closed without answering.
 */
int h_http_get(const struct hserver *s, const char *path, char **body);
/* The value of one sample ("name" or "name{labels}") in a metrics page;
 * 0 when absent, as Prometheus reads a counter with no sample yet. */
double h_metric(const char *page, const char *sample);
/* Any method, on an already connected socket (closed afterwards). */
int h_http_get_fd(int fd, const char *method, const char *path,
    char **body);

/* A whole HTTP answer: its head as text, its body as bytes. */
struct h_http {
	int status;		/* -1: closed without an answer */
	char *head;		/* status line and headers, each ending \r\n */
	unsigned char *body;	/* len bytes, and a NUL */
	size_t len;
};
/*
 * method path with extra header lines (each ending in \r\n; NULL for
 * none) over a new connection (HTTP/1.0: the server closes after its
 * answer), or over fd (closed afterwards). Returns r->status.
 */
int h_http(const struct hserver *s, const char *method, const char *path,
    const char *headers, struct h_http *r);
int h_http_fd(int fd, const char *method, const char *path,
    const char *headers, struct h_http *r);
/* The value of header name (any case) into buf; NULL when absent. */
const char *h_http_header(const struct h_http *r, const char *name,
    char *buf, size_t len);
void h_http_free(struct h_http *r);

/*
 * A server's database, opened directly (harness-db.c). Fail the test
 * unless PRAGMA integrity_check says ok; unless the note with client_id
 * cid is stored exactly once when the server acknowledged it, at most
 * once when not (it may have committed without the reply getting out).
 */
void h_db_check_integrity(sqlite3 *db);
void h_db_check_note(sqlite3 *db, const char *cid, int acked);

/* A message's string or integer field (NULL / 0 when absent). */
const char *h_str(const json_t *o, const char *key);
long long h_int(const json_t *o, const char *key);

/* Short string helpers for building requests. */
json_t *h_obj(const char *k1, json_t *v1, ...);	/* NULL-terminated pairs */

#endif
