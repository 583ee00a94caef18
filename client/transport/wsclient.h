/*
 * wsclient.h — a small WebSocket client on a libuv loop, built on the
 * libwebsockets client: used by the terminal client, the integration-test
 * harness and the load generator. Whole messages in, whole messages out;
 * sends are queued and written from the writeable callback.
 */
#ifndef MOCKINT_WSCLIENT_H
#define MOCKINT_WSCLIENT_H

#include <stddef.h>
#include <uv.h>

struct wsc_context;
struct wsc;

/*
 * Every callback comes from the loop, never from inside the wsc_* call
 * that started the work: in particular a connection that fails at once
 * is reported through on_close after wsc_connect has returned.
 */
struct wsc_callbacks {
	void (*on_open)(struct wsc *ws, void *arg);
	void (*on_message)(struct wsc *ws, const char *buf, size_t len,
	    int binary, void *arg);
	/*
	 * The connection ended. code is the peer's WebSocket close code, 0
	 * when the connection failed or dropped without one; why says more.
	 * The wsc may be freed from here on (wsc_free).
	 */
	void (*on_close)(struct wsc *ws, int code, const char *why, void *arg);
};

/* Frame kinds for wsc_send_frame (tests use the raw ones). */
#define WSC_TEXT	0x1
#define WSC_BINARY	0x2
#define WSC_CONT	0x4	/* a continuation frame */
#define WSC_NO_FIN	0x8	/* more fragments follow */

/*
 * One lws client context per process, on loop. ca_file (may be NULL) adds
 * a CA for wss:// to the system store.
 */
struct wsc_context *wsc_context_new(uv_loop_t *loop, const char *ca_file);
/*
 * Destroy, in two calls: the first starts closing everything (keep
 * running the loop until it returns: lws closes its libuv handles
 * asynchronously, and connections not freed yet get their on_close
 * meanwhile); the second, once the loop has run dry, finishes the lws
 * context and frees ctx. lws on a foreign loop needs that second
 * lws_context_destroy(); without it the context is never freed.
 */
void wsc_context_free(struct wsc_context *ctx);

/*
 * Connections opened from now on go without lws's own keepalive (its
 * "validity" timer, which pings a silent server). For a load generator:
 * lws 4.1 keeps every timer in one sorted list, so re-arming one costs
 * O(connections), and thousands of connections make that the main cost.
 * Pings from the server are still answered.
 */
void wsc_context_no_keepalive(struct wsc_context *ctx);

/*
 * Open url (ws://HOST:PORT[/path] or wss://...) offering subprotocol (NULL
 * offers none). Returns NULL with why filled when the URL is unusable:
 * nothing was started and no callback follows. Otherwise the outcome,
 * failure included, arrives later through on_open or on_close.
 */
struct wsc *wsc_connect(struct wsc_context *ctx, const char *url,
    const char *subprotocol, const struct wsc_callbacks *cb, void *arg,
    char *why, size_t whylen);
/*
 * The same from the local address local_addr (NULL: any). A load
 * generator spreads connections over several 127.0.0.x addresses this
 * way when one address runs out of ports.
 */
struct wsc *wsc_connect_from(struct wsc_context *ctx, const char *url,
    const char *subprotocol, const char *local_addr,
    const struct wsc_callbacks *cb, void *arg, char *why, size_t whylen);
/* Queue a whole text message. -1 when the connection is not open. */
int wsc_send(struct wsc *ws, const char *buf, size_t len);
/* Queue one raw frame of the given kind (WSC_* flags). */
int wsc_send_frame(struct wsc *ws, const void *buf, size_t len, int kind);
/* Close with a code (1000 normal), after what is queued. */
void wsc_close(struct wsc *ws, int code);
/* Free after on_close, or to abandon a connection (closes it first). */
void wsc_free(struct wsc *ws);
int wsc_is_open(const struct wsc *ws);
/* Bytes queued and not yet written. */
size_t wsc_queued(const struct wsc *ws);

#endif
