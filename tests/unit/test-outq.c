/*
 * test-outq.c — a connection's outbound queue (net/outq.h): order, the
 * byte count, the cap (inclusive, and a message over it alone), "first"
 * only on the step from empty to non-empty, the transport's room before
 * each message left alone, one message shared by several queues (freed
 * when the last lets go), and freeing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "outq.h"

/* Room kept before each message, as a transport's header would be. */
#define ROOM 16

/* A message of len bytes, each the byte `fill`, behind ROOM bytes. */
static struct outdata *
msg(size_t len, int fill)
{
	struct outdata *d = outdata_new(ROOM, len + 1);

	memset(d->buf, 'R', ROOM);
	memset(d->buf + ROOM, fill, len);
	d->len = len;
	return d;
}

/* Queue a new message and drop the caller's reference: the queue's is
 * the only one left. */
static int
append(struct outq *q, size_t len, int fill, size_t cap)
{
	struct outdata *d = msg(len, fill);
	int r = outq_append(q, d, cap);

	outdata_unref(d);
	return r;
}

static void
test_order_and_bytes(void **state)
{
	struct outq q = { 0 };
	struct outdata *d;

	assert_true(outq_empty(&q));
	assert_false(outq_several(&q));
	assert_null(outq_pop(&q));
	assert_int_equal(append(&q, 3, 'a', 100), OUTQ_FIRST);
	assert_false(outq_several(&q));
	assert_int_equal(append(&q, 5, 'b', 100), OUTQ_QUEUED);
	assert_true(outq_several(&q));
	assert_int_equal(append(&q, 7, 'c', 100), OUTQ_QUEUED);
	assert_false(outq_empty(&q));
	assert_int_equal(outq_bytes(&q), 15);
	for (int i = 0; i < 3; i++) {
		d = outq_pop(&q);
		assert_non_null(d);
		assert_int_equal(d->len, 3 + 2 * i);
		assert_int_equal(d->buf[ROOM], 'a' + i);
		/* The room before the text is the transport's. */
		for (int k = 0; k < ROOM; k++)
			assert_int_equal(d->buf[k], 'R');
		outdata_unref(d);
	}
	assert_int_equal(outq_bytes(&q), 0);
	assert_true(outq_empty(&q));
	assert_null(outq_pop(&q));
}

/* FIRST again each time the queue was emptied, and only then. */
static void
test_first_after_drain(void **state)
{
	struct outq q = { 0 };

	for (int round = 0; round < 3; round++) {
		assert_int_equal(append(&q, 1, 'x', 10), OUTQ_FIRST);
		assert_int_equal(append(&q, 1, 'y', 10), OUTQ_QUEUED);
		outdata_unref(outq_pop(&q));
		/* One left: still not empty, so not first. */
		assert_int_equal(append(&q, 1, 'z', 10), OUTQ_QUEUED);
		outdata_unref(outq_pop(&q));
		outdata_unref(outq_pop(&q));
		assert_true(outq_empty(&q));
	}
}

/* Exactly the cap fits; one byte more does not and leaves the queue as
 * it was. */
static void
test_cap(void **state)
{
	struct outq q = { 0 };
	struct outdata *over = msg(41, 'b'), *d;

	assert_int_equal(append(&q, 60, 'a', 100), OUTQ_FIRST);
	assert_int_equal(outq_append(&q, over, 100), OUTQ_OVER);
	assert_int_equal(over->refs, 1);	/* not taken */
	assert_int_equal(outq_bytes(&q), 60);
	d = outq_pop(&q);
	assert_int_equal(d->len, 60);
	assert_true(outq_empty(&q));
	outdata_unref(d);
	assert_int_equal(append(&q, 60, 'a', 100), OUTQ_FIRST);
	over->len = 40;
	assert_int_equal(outq_append(&q, over, 100), OUTQ_QUEUED);
	assert_int_equal(outq_bytes(&q), 100);
	/* Full: an empty message still fits (it adds nothing)... */
	assert_int_equal(append(&q, 0, 'c', 100), OUTQ_QUEUED);
	/* ...but one more byte does not. */
	assert_int_equal(append(&q, 1, 'd', 100), OUTQ_OVER);
	/* Popping makes room again. */
	outdata_unref(outq_pop(&q));
	assert_int_equal(outq_bytes(&q), 40);
	assert_int_equal(append(&q, 60, 'e', 100), OUTQ_QUEUED);
	outq_free(&q);
	outdata_unref(over);
}

/* A message bigger than the cap never fits, even in an empty queue; the
 * arithmetic does not wrap for sizes near SIZE_MAX. */
static void
test_too_big_alone(void **state)
{
	struct outq q = { 0 };
	struct outdata *d = msg(101, 'a');

	assert_int_equal(outq_append(&q, d, 100), OUTQ_OVER);
	assert_true(outq_empty(&q));
	assert_int_equal(outq_bytes(&q), 0);
	assert_int_equal(append(&q, 50, 'b', 100), OUTQ_FIRST);
	d->len = (size_t)-1;
	assert_int_equal(outq_append(&q, d, 100), OUTQ_OVER);
	d->len = (size_t)-1 - 40;
	assert_int_equal(outq_append(&q, d, 100), OUTQ_OVER);
	assert_int_equal(outq_bytes(&q), 50);
	outdata_unref(d);
	outq_free(&q);
}

/* One message in three queues: one copy of its bytes, each queue counts
 * them, and it is freed (LSan) only when the last queue lets go. */
static void
test_shared(void **state)
{
	struct outq q[3] = { { 0 }, { 0 }, { 0 } };
	struct outdata *d = msg(20, 's'), *p;

	for (int i = 0; i < 3; i++)
		assert_int_equal(outq_append(&q[i], d, 100), OUTQ_FIRST);
	assert_int_equal(d->refs, 4);
	outdata_unref(d);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(outq_bytes(&q[i]), 20);
		p = outq_pop(&q[i]);
		assert_ptr_equal(p, d);		/* the same bytes */
		assert_int_equal(p->buf[ROOM + 19], 's');
		assert_int_equal(p->refs, (unsigned)(3 - i));
		outdata_unref(p);
	}
}

/* outq_free empties the queue (ASan/LSan see every message freed) and
 * leaves it usable. */
static void
test_free_all(void **state)
{
	struct outq q = { 0 };

	for (int i = 0; i < 50; i++)
		assert_int_not_equal(append(&q, 10, 'a', 1000), OUTQ_OVER);
	assert_int_equal(outq_bytes(&q), 500);
	outq_free(&q);
	assert_true(outq_empty(&q));
	assert_int_equal(outq_bytes(&q), 0);
	assert_null(outq_pop(&q));
	assert_int_equal(append(&q, 10, 'a', 1000), OUTQ_FIRST);
	outq_free(&q);
	outq_free(&q);
}

/* The header of a text frame for each length class (RFC 6455 5.2). */
static void
test_frame_header(void **state)
{
	unsigned char h[10];

	assert_int_equal(outq_frame_header(h, 0), 2);
	assert_int_equal(h[0], 0x81);
	assert_int_equal(h[1], 0);
	assert_int_equal(outq_frame_header(h, 125), 2);
	assert_int_equal(h[1], 125);
	assert_int_equal(outq_frame_header(h, 126), 4);
	assert_int_equal(h[1], 126);
	assert_int_equal(h[2], 0);
	assert_int_equal(h[3], 126);
	assert_int_equal(outq_frame_header(h, 0xffff), 4);
	assert_int_equal(h[2], 0xff);
	assert_int_equal(h[3], 0xff);
	assert_int_equal(outq_frame_header(h, 0x10000), 10);
	assert_int_equal(h[1], 127);
	for (int i = 2; i < 10; i++)
		assert_int_equal(h[i], i == 7 ? 1 : 0);
}

/* Whole messages as frames, in order, as many as fit; the rest (and a
 * message too large to fit at all) stays queued; the room before each
 * text is not sent. */
static void
test_take_frames(void **state)
{
	struct outq q = { 0 };
	unsigned char out[300];
	size_t n;

	append(&q, 3, 'a', 1000);
	append(&q, 200, 'b', 1000);
	append(&q, 100, 'c', 1000);
	n = outq_take_frames(&q, ROOM, out, sizeof out);
	/* 2 + 3, then 4 + 200: the third (2 + 100) would pass 300. */
	assert_int_equal(n, 2 + 3 + 4 + 200);
	assert_int_equal(out[0], 0x81);
	assert_int_equal(out[1], 3);
	assert_memory_equal(out + 2, "aaa", 3);
	assert_int_equal(out[5], 0x81);
	assert_int_equal(out[6], 126);
	assert_int_equal(out[7], 0);
	assert_int_equal(out[8], 200);
	assert_int_equal(out[9], 'b');
	assert_int_equal(out[208], 'b');
	assert_int_equal(outq_bytes(&q), 100);
	assert_int_equal(outq_peek(&q)->buf[ROOM], 'c');
	/* Too large for the room given: nothing taken. */
	assert_int_equal(outq_take_frames(&q, ROOM, out, 50), 0);
	assert_int_equal(outq_bytes(&q), 100);
	assert_int_equal(outq_take_frames(&q, ROOM, out, sizeof out), 102);
	assert_true(outq_empty(&q));
	assert_null(outq_peek(&q));
	assert_int_equal(outq_take_frames(&q, ROOM, out, sizeof out), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_bytes),
		cmocka_unit_test(test_first_after_drain),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_too_big_alone),
		cmocka_unit_test(test_shared),
		cmocka_unit_test(test_free_all),
		cmocka_unit_test(test_frame_header),
		cmocka_unit_test(test_take_frames),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
