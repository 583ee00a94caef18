/*
 * rpc.h — mockint.v1 requests and replies over one wsclient connection on
 * a libuv loop: request ids are chosen here, each reply goes to the
 * callback of its request, and pushes (messages without "re") go to one
 * push handler. One connection at a time; reconnecting is the caller's
 * policy (the live screen reconnects, the plain commands give up).
 *
 * Blocking helpers run the loop until a reply, the open or a timeout, for
 * the plain commands, which do one thing and exit.
 *
 * Every callback and handler is called from the loop, never from inside
 * the rpc_* function that started the work, and every request's callback
 * is called exactly once: failures (not connected, dropped, timed out)
 * arrive later as a NULL reply, just as replies do.
 */
#ifndef MOCKINT_RPC_H
#define MOCKINT_RPC_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>
#include <uv.h>

struct rpc;

/*
 * A reply: the whole ok or error message (borrowed: incref to keep it), or
 * NULL when no reply can come: the connection was not open, closed or was
 * dropped, or the request timed out first.
 */
typedef void (*rpc_reply_fn)(struct rpc *r, json_t *reply, void *arg);

struct rpc_handlers {
	void	(*on_open)(struct rpc *r, void *arg);
	/* msg is borrowed. */
	void	(*on_push)(struct rpc *r, json_t *msg, void *arg);
	/*
	 * The connection ended (or never opened): code is the close code (0
	 * when none), why a human-readable reason. Pending requests have
	 * had their NULL replies by then.
	 */
	void	(*on_close)(struct rpc *r, int code, const char *why, void *arg);
};

enum rpc_state { RPC_IDLE, RPC_CONNECTING, RPC_OPEN, RPC_CLOSED };

/* h may be NULL (no handlers); ca_file may be NULL. NULL on failure. */
struct rpc *rpc_new(uv_loop_t *loop, const char *ca_file,
    const struct rpc_handlers *h, void *arg);
/*
 * Ending is in two steps, because lws closes its libuv handles
 * asynchronously. rpc_shutdown closes the connection and starts
 * destroying the WebSocket context; the caller then runs the loop until
 * it has no more handles (pending requests get their NULL replies
 * meanwhile, and may not start new ones), and calls rpc_free to release
 * the rest. No rpc_call after that.
 */
void rpc_shutdown(struct rpc *r);
void rpc_free(struct rpc *r);

/*
 * Start connecting to url, dropping any current connection. on_open or
 * on_close follows, from the loop: an unusable url too, as an on_close
 * whose reason says what is wrong with it.
 */
void rpc_connect(struct rpc *r, const char *url);
/*
 * Drop the connection now, without on_close; pending requests get their
 * NULL replies on the next turn of the loop.
 */
void rpc_disconnect(struct rpc *r);
enum rpc_state rpc_state(const struct rpc *r);
/* Why the last connection closed (or failed to open). */
const char *rpc_close_reason(const struct rpc *r);
int rpc_close_code(const struct rpc *r);

/*
 * Send {type, id, ...fields} (fields consumed, may be NULL); cb (may be
 * NULL) gets the reply, or NULL after timeout_ms (0: no timeout other than
 * the connection's), or NULL on the next turn of the loop when the
 * connection is not open. Always later, always once: arg can be freed by
 * cb alone.
 */
void rpc_call(struct rpc *r, const char *type, json_t *fields,
    int timeout_ms, rpc_reply_fn cb, void *arg);

/*
 * Blocking: connect and run the loop until open, failed or timeout_ms.
 * 0 when open; -1 with why filled.
 */
int rpc_open_sync(struct rpc *r, const char *url, int timeout_ms, char *why,
    size_t whylen);
/*
 * Blocking: send and run the loop until the reply (returned, new
 * reference: ok or error) or timeout_ms / the connection's end (NULL, why
 * filled). Pushes meanwhile go to on_push as usual.
 */
json_t *rpc_call_sync(struct rpc *r, const char *type, json_t *fields,
    int timeout_ms, char *why, size_t whylen);
/* Run the loop for ms (pushes are handled meanwhile). */
void rpc_sleep(struct rpc *r, int ms);

/* Reply helpers. */
int rpc_is_ok(const json_t *reply);
/* The error code ("not_found"...), or NULL for an ok or NULL reply. */
const char *rpc_error_code(const json_t *reply);
const char *rpc_error_message(const json_t *reply);

/* Monotonic milliseconds, the clock countdowns are measured against. */
int64_t rpc_mono_ms(void);

#endif
