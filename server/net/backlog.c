/*
 * backlog.c — requests that wait for the next loop iteration (see
 * backlog.h).
 */
#include "backlog.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "metrics.h"
#include "xmalloc.h"

static const struct backlog_ops *ops;
static uv_idle_t idle;
static uv_prepare_t prepare;
static int live;
static struct conn *head, *tail;	/* held, oldest first; each a ref */
static size_t held;
/* When this iteration dispatched its first request (0: not yet). */
static uint64_t began;

/* Right before the loop polls: the next requests are a new iteration's. */
static void
new_iteration(uv_prepare_t *p)
{
	began = 0;
}

/* Take the oldest held message off the list: its conn's reference is the
 * caller's, and so is *buf. */
static struct conn *
take(char **buf, size_t *len)
{
	struct conn *c = head;

	head = c->held_next;
	if (head == NULL)
		tail = NULL;
	c->held_next = NULL;
	*buf = c->held;
	*len = c->held_len;
	c->held = NULL;
	held--;
	return c;
}

static void
run_slice(uv_idle_t *h)
{
	uint64_t end = uv_hrtime() + BACKLOG_BUDGET_NS;
	struct conn *c;
	char *buf;
	size_t len;

	while (head != NULL) {
		c = take(&buf, &len);
		/* Closed meanwhile: its request goes with it. */
		if (conn_is_open(c)) {
			ops->deliver(c, buf, len);
			if (conn_is_open(c))
				ops->resume(c);
		}
		free(buf);
		conn_unref(c);
		if (uv_hrtime() >= end)
			break;
	}
	if (head == NULL)
		uv_idle_stop(h);
}

void
backlog_start(uv_loop_t *loop, const struct backlog_ops *o)
{
	ops = o;
	uv_idle_init(loop, &idle);
	uv_prepare_init(loop, &prepare);
	uv_prepare_start(&prepare, new_iteration);
	/* Work of its own only while something is held (the idle handle). */
	uv_unref((uv_handle_t *)&prepare);
	began = 0;
	live = 1;
}

int
backlog_must_wait(const struct conn *c)
{
	uint64_t now;

	if (!live || !c->own_socket)
		return 0;
	now = uv_hrtime();
	if (began == 0) {
		began = now;
		return 0;
	}
	return now - began >= BACKLOG_BUDGET_NS;
}

void
backlog_hold(struct conn *c, const char *buf, size_t len)
{
	c->held = xmalloc(len > 0 ? len : 1);
	memcpy(c->held, buf, len);
	c->held_len = len;
	conn_ref(c);
	if (tail != NULL)
		tail->held_next = c;
	else
		head = c;
	tail = c;
	held++;
	metrics_request_held();
	uv_idle_start(&idle, run_slice);
}

size_t
backlog_len(void)
{
	return held;
}

void
backlog_stop(void)
{
	struct conn *c;
	char *buf;
	size_t len;

	if (!live)
		return;
	live = 0;
	while (head != NULL) {
		c = take(&buf, &len);
		free(buf);
		conn_unref(c);
	}
	uv_close((uv_handle_t *)&idle, NULL);
	uv_close((uv_handle_t *)&prepare, NULL);
}
