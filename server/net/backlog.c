/*
 * backlog.c — requests that wait for a later loop iteration (see
 * backlog.h).
 */
#include "backlog.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "metrics.h"
#include "xmalloc.h"

/* One held message, and a reference to its connection. */
struct held {
	struct held *next;
	struct conn *c;
	size_t len;
	char buf[];
};

static const struct backlog_ops *ops;
static uv_idle_t idle;
static uv_check_t check;
static int live;
static struct held *head, *tail;	/* oldest first */
static size_t n_held, all_bytes;
/*
 * When this iteration dispatched its first request (0: not yet). Held
 * messages (the idle phase) and what the sockets bring (after the poll)
 * count against the same budget.
 */
static uint64_t began;

/* The iteration's last phase: the next requests are a new iteration's. */
static void
end_of_iteration(uv_check_t *h)
{
	began = 0;
}

/* Has this iteration dispatched requests for its budget? Starts its
 * clock at the first. */
static int
over_budget(void)
{
	uint64_t now = uv_hrtime();

	if (began == 0) {
		began = now;
		return 0;
	}
	return now - began >= BACKLOG_BUDGET_NS;
}

/* The oldest held message, off the list and off its connection's count. */
static struct held *
take(void)
{
	struct held *h = head;

	head = h->next;
	if (head == NULL)
		tail = NULL;
	n_held--;
	all_bytes -= sizeof *h + h->len;
	h->c->held_n--;
	h->c->held_bytes -= sizeof *h + h->len;
	return h;
}

static void
run_slice(uv_idle_t *handle)
{
	struct held *h;
	struct conn *c;

	/* At least one each iteration: the first check starts a budget. */
	while (head != NULL && !over_budget()) {
		h = take();
		c = h->c;
		/* Closed meanwhile: its requests go with it. */
		if (conn_is_open(c)) {
			ops->deliver(c, h->buf, h->len);
			if (c->held_n == 0 && c->held_stopped &&
			    conn_is_open(c)) {
				c->held_stopped = 0;
				ops->reading(c, 1);
			}
		}
		free(h);
		conn_unref(c);
	}
	if (head == NULL)
		uv_idle_stop(handle);
}

void
backlog_start(uv_loop_t *loop, const struct backlog_ops *o)
{
	ops = o;
	uv_idle_init(loop, &idle);
	uv_check_init(loop, &check);
	uv_check_start(&check, end_of_iteration);
	/* Work of its own only while something is held (the idle handle). */
	uv_unref((uv_handle_t *)&check);
	began = 0;
	live = 1;
}

int
backlog_must_wait(const struct conn *c)
{
	if (!live || !c->own_socket)
		return 0;
	/* Behind its own held messages, whatever the budget says. */
	if (c->held_n > 0)
		return 1;
	return over_budget();
}

void
backlog_hold(struct conn *c, const char *buf, size_t len)
{
	struct held *h = xmalloc(sizeof *h + len);

	h->next = NULL;
	h->c = c;
	h->len = len;
	memcpy(h->buf, buf, len);
	conn_ref(c);
	if (tail != NULL)
		tail->next = h;
	else
		head = h;
	tail = h;
	n_held++;
	all_bytes += sizeof *h + len;
	c->held_n++;
	c->held_bytes += sizeof *h + len;
	if ((c->held_bytes > BACKLOG_CONN_MAX || all_bytes > BACKLOG_ALL_MAX) &&
	    !c->held_stopped) {
		c->held_stopped = 1;
		ops->reading(c, 0);
		metrics_read_paused();
	}
	metrics_request_held();
	uv_idle_start(&idle, run_slice);
}

size_t
backlog_len(void)
{
	return n_held;
}

void
backlog_stop(void)
{
	struct held *h;

	if (!live)
		return;
	live = 0;
	while (head != NULL) {
		h = take();
		conn_unref(h->c);
		free(h);
	}
	uv_close((uv_handle_t *)&idle, NULL);
	uv_close((uv_handle_t *)&check, NULL);
}
