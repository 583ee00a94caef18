/*
 * test-outq.c — a connection's outbound queue (net/outq.h): order, the
 * byte count, the cap (inclusive, and a message over it alone), "first"
 * only on the step from empty to non-empty, the transport's room before
 * each message left alone, and freeing.
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
static struct outmsg *
msg(size_t len, int fill)
{
	struct outmsg *m = malloc(sizeof *m + ROOM + len);

	assert_non_null(m);
	/* next is garbage on purpose: outq_append must set it. */
	memset(m, 0xa5, sizeof *m);
	memset(m->buf, 'R', ROOM);
	memset(m->buf + ROOM, fill, len);
	m->len = len;
	return m;
}

static void
test_order_and_bytes(void **state)
{
	struct outq q = { 0 };
	struct outmsg *m;

	assert_true(outq_empty(&q));
	assert_null(outq_pop(&q));
	assert_int_equal(outq_append(&q, msg(3, 'a'), 100), OUTQ_FIRST);
	assert_int_equal(outq_append(&q, msg(5, 'b'), 100), OUTQ_QUEUED);
	assert_int_equal(outq_append(&q, msg(7, 'c'), 100), OUTQ_QUEUED);
	assert_false(outq_empty(&q));
	assert_int_equal(outq_bytes(&q), 15);
	for (int i = 0; i < 3; i++) {
		m = outq_pop(&q);
		assert_non_null(m);
		assert_int_equal(m->len, 3 + 2 * i);
		assert_int_equal(m->buf[ROOM], 'a' + i);
		/* The room before the text is the transport's. */
		for (int k = 0; k < ROOM; k++)
			assert_int_equal(m->buf[k], 'R');
		free(m);
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
		assert_int_equal(outq_append(&q, msg(1, 'x'), 10), OUTQ_FIRST);
		assert_int_equal(outq_append(&q, msg(1, 'y'), 10),
		    OUTQ_QUEUED);
		free(outq_pop(&q));
		/* One left: still not empty, so not first. */
		assert_int_equal(outq_append(&q, msg(1, 'z'), 10),
		    OUTQ_QUEUED);
		free(outq_pop(&q));
		free(outq_pop(&q));
		assert_true(outq_empty(&q));
	}
}

/* Exactly the cap fits; one byte more does not and leaves the queue as
 * it was, the message the caller's. */
static void
test_cap(void **state)
{
	struct outq q = { 0 };
	struct outmsg *over, *m;

	assert_int_equal(outq_append(&q, msg(60, 'a'), 100), OUTQ_FIRST);
	over = msg(41, 'b');
	assert_int_equal(outq_append(&q, over, 100), OUTQ_OVER);
	assert_int_equal(outq_bytes(&q), 60);
	/* Not linked in: the queue still ends at the first message. */
	m = outq_pop(&q);
	assert_int_equal(m->len, 60);
	assert_true(outq_empty(&q));
	free(m);
	assert_int_equal(outq_append(&q, msg(60, 'a'), 100), OUTQ_FIRST);
	over->len = 40;
	assert_int_equal(outq_append(&q, over, 100), OUTQ_QUEUED);
	assert_int_equal(outq_bytes(&q), 100);
	/* Full: an empty message still fits (it adds nothing)... */
	assert_int_equal(outq_append(&q, msg(0, 'c'), 100), OUTQ_QUEUED);
	/* ...but one more byte is. */
	m = msg(1, 'd');
	assert_int_equal(outq_append(&q, m, 100), OUTQ_OVER);
	free(m);
	/* Popping makes room again. */
	free(outq_pop(&q));
	assert_int_equal(outq_bytes(&q), 40);
	assert_int_equal(outq_append(&q, msg(60, 'e'), 100), OUTQ_QUEUED);
	outq_free(&q);
}

/* A message bigger than the cap never fits, even in an empty queue; the
 * arithmetic does not wrap for sizes near SIZE_MAX. */
static void
test_too_big_alone(void **state)
{
	struct outq q = { 0 };
	struct outmsg *m = msg(101, 'a');

	assert_int_equal(outq_append(&q, m, 100), OUTQ_OVER);
	assert_true(outq_empty(&q));
	assert_int_equal(outq_bytes(&q), 0);
	assert_int_equal(outq_append(&q, msg(50, 'b'), 100), OUTQ_FIRST);
	m->len = (size_t)-1;
	assert_int_equal(outq_append(&q, m, 100), OUTQ_OVER);
	m->len = (size_t)-1 - 40;
	assert_int_equal(outq_append(&q, m, 100), OUTQ_OVER);
	assert_int_equal(outq_bytes(&q), 50);
	free(m);
	outq_free(&q);
}

/* outq_free empties the queue (ASan/LSan see every message freed) and
 * leaves it usable. */
static void
test_free_all(void **state)
{
	struct outq q = { 0 };

	for (int i = 0; i < 50; i++)
		assert_int_not_equal(outq_append(&q, msg(10, 'a'), 1000),
		    OUTQ_OVER);
	assert_int_equal(outq_bytes(&q), 500);
	outq_free(&q);
	assert_true(outq_empty(&q));
	assert_int_equal(outq_bytes(&q), 0);
	assert_null(outq_pop(&q));
	assert_int_equal(outq_append(&q, msg(10, 'a'), 1000), OUTQ_FIRST);
	outq_free(&q);
	outq_free(&q);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_bytes),
		cmocka_unit_test(test_first_after_drain),
		cmocka_unit_test(test_cap),
		cmocka_unit_test(test_too_big_alone),
		cmocka_unit_test(test_free_all),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
