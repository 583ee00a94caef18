/*
 * test-writer.c — the store's threads against their contract (job.h,
 * writer.h, readers.h), on a real SQLite file and a real libuv loop,
 * started and stopped in main.c's order: a failing job rolls back alone
 * and its batch neighbours commit, completions come in submit order, a
 * stop drains the queue, a full queue refuses with STORE_JOB_BUSY, no
 * completion is ever called from inside a submit, and a read sees the
 * writes submitted before it and completes after them.
 *
 * Jobs write to a table of the test's own (t), created in the temporary
 * database before the writer opens it. A "gate" job holds the writer
 * thread until the test lets it go, so that the jobs submitted meanwhile
 * are known to wait in the queue and to form one batch. The tests' jobs
 * are static: when an assertion fails, teardown still stops the store,
 * which runs and completes whatever was queued, and that must not be a
 * stack frame cmocka has already left.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>
#include <pthread.h>
#include <sqlite3.h>

#include "job.h"
#include "log.h"
#include "loop-test.h"
#include "readers.h"
#include "server.h"
#include "store.h"
#include "writer.h"

/* How long a test waits for completions before it fails. */
#define WAIT_MS 10000
/* Jobs in the ordering test: enough for several batches. */
#define MANY 300
/* Jobs submitted together (one batch or a few) in the ordering test. */
#define ORDER_CHUNK 50
/* The bound given to writer_start in the bounded-queue test. */
#define SMALL_QUEUE 4
/* The write a read must wait for sleeps this long in its run(). */
#define SLOW_WRITE_US 50000
/* The sliced-delivery test: completions each taking this long in done(),
 * this many of them (20 ms in all, ten of jobs.c's 2 ms slices). */
#define SLOW_DONE_US 500
#define SLOW_DONES 40

enum what {
	INSERT,		/* insert v; status 0 */
	INSERT_FAIL,	/* insert v, then fail: status -1 */
	MULTI_FAIL,	/* insert v, v+1, v+2, update v-1's row, then fail */
	INSERT_CODE,	/* insert v and return a positive code */
	GATE,		/* wait until the test opens the gate */
	SLOW_INSERT,	/* sleep SLOW_WRITE_US, then insert v */
	COUNT,		/* a read: count the rows (into seen) */
};

struct tjob {
	struct store_job job;	/* first: a tjob is a store_job */
	enum what what;
	int v;
	int seen;		/* rows the job saw (COUNT, INSERT) */
	int order;		/* the position its completion came in */
	int status;		/* what done() was given */
	int completed;
	int iteration;		/* the loop iteration it completed in */
};

static char dir[64], path[96];
static uv_loop_t loop;

/* Completions so far, and whether one ran inside a submit. */
static int ncompleted, submitting, inside_submit;
/* Loop iterations so far (a prepare handle counts them), and how long a
 * done() spins (the sliced-delivery test). */
static int iterations;
static unsigned done_spin_us;

/* The gate a GATE job waits at (writer thread) and the test opens. */
static pthread_mutex_t gate_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t gate_cond = PTHREAD_COND_INITIALIZER;
static int gate_open, gate_reached;

static int
count_rows(struct store *st)
{
	sqlite3_stmt *s = store_prepare(st, "SELECT count(*) FROM t");
	int n = -1;

	if (s == NULL)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	/* Done with it: a reader must not keep its snapshot open. */
	sqlite3_reset(s);
	return n;
}

static int
insert(struct store *st, int v)
{
	return store_exec(st, "INSERT INTO t (v, note) VALUES (?1, 'new')",
	    "i", (int64_t)v);
}

static int
run_multi_fail(struct store *st, struct tjob *j)
{
	for (int i = 0; i < 3; i++)
		if (insert(st, j->v + i) != 0)
			return -1;
	if (store_exec(st, "UPDATE t SET note = 'changed' WHERE v = ?1", "i",
	    (int64_t)(j->v - 1)) != 0)
		return -1;
	return -1;
}

static void
wait_at_gate(void)
{
	pthread_mutex_lock(&gate_lock);
	gate_reached = 1;
	pthread_cond_broadcast(&gate_cond);
	while (!gate_open)
		pthread_cond_wait(&gate_cond, &gate_lock);
	pthread_mutex_unlock(&gate_lock);
}

/* Runs on a store thread: no cmocka asserts here, only results. */
static int
run_job(struct store *st, struct store_job *sj)
{
	struct tjob *j = (struct tjob *)sj;

	switch (j->what) {
	case INSERT:
		j->seen = count_rows(st);
		return insert(st, j->v);
	case INSERT_FAIL:
		return insert(st, j->v) == 0 ? -1 : -2;
	case MULTI_FAIL:
		return run_multi_fail(st, j);
	case INSERT_CODE:
		return insert(st, j->v) == 0 ? STORE_CONFLICT : -1;
	case GATE:
		wait_at_gate();
		return 0;
	case SLOW_INSERT:
		usleep(SLOW_WRITE_US);
		return insert(st, j->v);
	case COUNT:
		j->seen = count_rows(st);
		return 0;
	}
	return -1;
}

/* The jobs stay the test's (an array): done() records, it frees nothing. */
static void
done_job(struct store_job *sj, int status)
{
	struct tjob *j = (struct tjob *)sj;

	if (submitting)
		inside_submit++;
	j->status = status;
	j->order = ncompleted++;
	j->completed++;
	j->iteration = iterations;
	if (done_spin_us != 0) {
		uint64_t end = uv_hrtime() + (uint64_t)done_spin_us * 1000;

		while (uv_hrtime() < end)
			;
	}
}

static void
init_job(struct tjob *j, enum what what, int v)
{
	memset(j, 0, sizeof *j);
	j->job.run = run_job;
	j->job.done = done_job;
	j->what = what;
	j->v = v;
	j->order = -1;
}

/* Submit j, checking that its completion did not run inside the call. */
static void
submit(void (*fn)(struct store_job *), struct tjob *j)
{
	int before = ncompleted;

	submitting = 1;
	fn(&j->job);
	submitting = 0;
	assert_int_equal(ncompleted, before);
	assert_int_equal(j->completed, 0);
}

static void
write_job(struct tjob *j, enum what what, int v)
{
	init_job(j, what, v);
	submit(writer_submit, j);
}

static void
read_job(struct tjob *j)
{
	init_job(j, COUNT, 0);
	submit(readers_submit, j);
}

static void
wait_completions(int want)
{
	loop_test_pump(&loop, &ncompleted, want, WAIT_MS);
	assert_int_equal(ncompleted, want);
	assert_int_equal(inside_submit, 0);
}

/* Submit a GATE job and wait until the writer thread sits in it. */
static void
hold_writer(struct tjob *gate)
{
	pthread_mutex_lock(&gate_lock);
	gate_open = gate_reached = 0;
	pthread_mutex_unlock(&gate_lock);
	write_job(gate, GATE, 0);
	pthread_mutex_lock(&gate_lock);
	while (!gate_reached)
		pthread_cond_wait(&gate_cond, &gate_lock);
	pthread_mutex_unlock(&gate_lock);
}

static void
release_writer(void)
{
	pthread_mutex_lock(&gate_lock);
	gate_open = 1;
	pthread_cond_broadcast(&gate_cond);
	pthread_mutex_unlock(&gate_lock);
}

/* Everything main.c starts before serving, with a writer queue bound. */
static void
start_store(size_t max_queued)
{
	char err[512];

	assert_int_equal(writer_start(path, 0, max_queued, err, sizeof err),
	    0);
	assert_int_equal(readers_start(path, 0, err, sizeof err), 0);
	/* As in main.c: from here on no SQL runs on this (the loop)
	 * thread; checked builds abort if a job ran here. */
	store_forbid_this_thread();
}

/* main.c's stop_all, then its free_all for the store. */
static void
stop_store(void)
{
	readers_stop();
	writer_stop();
	store_jobs_stop();
	store_allow_all_threads();
	uv_run(&loop, UV_RUN_DEFAULT);
	store_jobs_free();
}

static int
setup(void **state)
{
	char err[512];
	struct store *st;

	snprintf(dir, sizeof dir, "/tmp/mockint-writer-XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/test.db", dir);
	st = store_open(path, 0, err, sizeof err);
	assert_non_null(st);
	assert_int_equal(sqlite3_exec(store_db(st), "CREATE TABLE t (v "
	    "INTEGER PRIMARY KEY, note TEXT NOT NULL)", NULL, NULL, NULL),
	    SQLITE_OK);
	store_close(st);
	ncompleted = submitting = inside_submit = iterations = 0;
	assert_int_equal(uv_loop_init(&loop), 0);
	srv.loop = &loop;
	store_jobs_start();
	return 0;
}

static int
teardown(void **state)
{
	char p[128];

	/* A failed test may have left the writer at the gate. */
	release_writer();
	/* Idempotent: a test that stopped the store already is fine. */
	stop_store();
	assert_int_equal(uv_loop_close(&loop), 0);
	srv.loop = NULL;
	snprintf(p, sizeof p, "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof p, "%s-shm", path);
	unlink(p);
	unlink(path);
	rmdir(dir);
	return 0;
}

/* Read the file directly (the store is stopped): how many rows have v,
 * and the note of one row ("" when absent). */
static int
rows_with(int v, char *note, size_t len)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int n = 0;

	if (note != NULL)
		note[0] = '\0';
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT note FROM t WHERE "
	    "v = ?1", -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_int(s, 1, v);
	while (sqlite3_step(s) == SQLITE_ROW) {
		if (note != NULL)
			snprintf(note, len, "%s", sqlite3_column_text(s, 0));
		n++;
	}
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}

static int
total_rows(void)
{
	sqlite3 *db;
	sqlite3_stmt *s;
	int n = -1;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY,
	    NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM t", -1,
	    &s, NULL), SQLITE_OK);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	sqlite3_close(db);
	return n;
}

/* A job of a batch: what it does, and with what value. */
struct step {
	enum what what;
	int v;
};

/*
 * Run steps[0..n) as one batch (the writer held while they are
 * submitted), into jobs[]; wait for all their completions.
 */
static void
run_batch(struct tjob *jobs, const struct step *steps, int n)
{
	static struct tjob gate;

	hold_writer(&gate);
	for (int i = 0; i < n; i++)
		write_job(&jobs[i], steps[i].what, steps[i].v);
	release_writer();
	wait_completions(n + 1);
}

/*
 * One batch of three: the middle job inserts and fails. Its row is gone,
 * its neighbours' rows committed, and each completion has its own status.
 */
static void
test_failure_isolation(void **state)
{
	static const struct step steps[] = { { INSERT, 1 },
		{ INSERT_FAIL, 2 }, { INSERT, 3 } };
	static struct tjob j[3];

	start_store(0);
	run_batch(j, steps, 3);
	assert_int_equal(j[0].status, 0);
	assert_int_equal(j[1].status, STORE_JOB_FAILED);
	assert_int_equal(j[2].status, 0);
	/* The last ran after the middle one's rollback: it saw the first
	 * one's row and not the middle one's. */
	assert_int_equal(j[2].seen, 1);
	stop_store();
	assert_int_equal(rows_with(1, NULL, 0), 1);
	assert_int_equal(rows_with(2, NULL, 0), 0);
	assert_int_equal(rows_with(3, NULL, 0), 1);
}

/*
 * A job of several statements (three inserts and an update of a row its
 * batch neighbour wrote) that fails is undone entirely, back to its own
 * savepoint: the neighbour's row stays as the neighbour wrote it. A job
 * that returns a positive code keeps what it wrote.
 */
static void
test_savepoint_rollback(void **state)
{
	static const struct step steps[] = { { INSERT, 9 },
		{ MULTI_FAIL, 10 }, { INSERT_CODE, 20 }, { INSERT, 21 } };
	static struct tjob j[4];
	char note[32];

	start_store(0);
	run_batch(j, steps, 4);
	assert_int_equal(j[0].status, 0);
	assert_int_equal(j[1].status, STORE_JOB_FAILED);
	assert_int_equal(j[2].status, STORE_CONFLICT);
	assert_int_equal(j[3].status, 0);
	assert_int_equal(j[3].seen, 2);
	stop_store();
	assert_int_equal(rows_with(9, note, sizeof note), 1);
	assert_string_equal(note, "new");
	for (int v = 10; v < 13; v++)
		assert_int_equal(rows_with(v, NULL, 0), 0);
	assert_int_equal(rows_with(20, NULL, 0), 1);
	assert_int_equal(rows_with(21, NULL, 0), 1);
	assert_int_equal(total_rows(), 3);
}

/*
 * Completions arrive in submit order; every job sees the rows of the
 * jobs submitted before it (failures excepted). The jobs go in chunks,
 * each submitted once the previous one is finished, so there are several
 * batches; and the loop runs only at the end, so the completions of all
 * of them are queued together when they are delivered.
 */
static void
test_ordering(void **state)
{
	static struct tjob jobs[MANY];
	int kept = 0;

	start_store(0);
	for (int i = 0; i < MANY; i++) {
		write_job(&jobs[i], i % 7 == 3 ? INSERT_FAIL : INSERT, i);
		if (i % ORDER_CHUNK == ORDER_CHUNK - 1)
			writer_wait(writer_seq());
	}
	wait_completions(MANY);
	for (int i = 0; i < MANY; i++) {
		assert_int_equal(jobs[i].order, i);
		assert_int_equal(jobs[i].completed, 1);
		if (jobs[i].what == INSERT_FAIL) {
			assert_int_equal(jobs[i].status, STORE_JOB_FAILED);
			continue;
		}
		assert_int_equal(jobs[i].status, 0);
		assert_int_equal(jobs[i].seen, kept);
		kept++;
	}
	stop_store();
	assert_int_equal(total_rows(), kept);
}

static void
count_iteration(uv_prepare_t *p)
{
	iterations++;
}

/*
 * A burst of completions is delivered in slices: in order, but over
 * several loop iterations, so that the loop reads sockets and fires
 * timers between them (none holds it much past jobs.c's 2 ms).
 */
static void
test_sliced_delivery(void **state)
{
	static struct tjob jobs[SLOW_DONES];
	uv_prepare_t prep;
	int per[SLOW_DONES] = { 0 }, first, most = 0;

	start_store(0);
	for (int i = 0; i < SLOW_DONES; i++)
		write_job(&jobs[i], INSERT, i);
	/* All finished and queued before the loop delivers any. */
	writer_wait(writer_seq());
	uv_prepare_init(&loop, &prep);
	uv_prepare_start(&prep, count_iteration);
	done_spin_us = SLOW_DONE_US;
	loop_test_pump(&loop, &ncompleted, SLOW_DONES, WAIT_MS);
	done_spin_us = 0;
	/* Closed before any assert, which would leave it to the teardown. */
	uv_close((uv_handle_t *)&prep, NULL);
	uv_run(&loop, UV_RUN_NOWAIT);
	assert_int_equal(ncompleted, SLOW_DONES);
	first = jobs[0].iteration;
	for (int i = 0; i < SLOW_DONES; i++) {
		assert_int_equal(jobs[i].order, i);
		assert_in_range(jobs[i].iteration - first, 0, SLOW_DONES - 1);
		per[jobs[i].iteration - first]++;
	}
	for (int i = 0; i < SLOW_DONES; i++)
		if (per[i] > most)
			most = per[i];
	/* 2 ms of 0.5 ms each is 4, and the one that crosses the line. */
	assert_in_range(most, 1, 5);
	assert_true(jobs[SLOW_DONES - 1].iteration - first >= 7);
	stop_store();
}

/*
 * Jobs still queued when writer_stop is called all run and complete with
 * their own status (the gate, opened by a thread of the test while
 * writer_stop waits, keeps them queued until then).
 */
static void *
open_gate_later(void *arg)
{
	usleep(100000);
	release_writer();
	return NULL;
}

static void
test_drain_on_stop(void **state)
{
	static struct tjob jobs[50];
	static struct tjob gate;
	pthread_t opener;

	start_store(0);
	hold_writer(&gate);
	for (int i = 0; i < 50; i++)
		write_job(&jobs[i], i % 5 == 0 ? INSERT_FAIL : INSERT, i);
	assert_int_equal(pthread_create(&opener, NULL, open_gate_later, NULL),
	    0);
	readers_stop();
	writer_stop();
	pthread_join(opener, NULL);
	/* Nothing is delivered inside writer_stop either. */
	assert_int_equal(ncompleted, 0);
	wait_completions(51);
	for (int i = 0; i < 50; i++) {
		assert_int_equal(jobs[i].completed, 1);
		assert_int_equal(jobs[i].order, i + 1);
		assert_int_equal(jobs[i].status, i % 5 == 0 ?
		    STORE_JOB_FAILED : 0);
	}
	stop_store();
	assert_int_equal(total_rows(), 40);
}

/*
 * A queue of SMALL_QUEUE: with the writer held, the jobs past the bound
 * are refused with STORE_JOB_BUSY — later, on the loop — and never run;
 * the queued ones run once the writer is free, and the queue takes jobs
 * again after it drained.
 */
static void
test_bounded_queue(void **state)
{
	static struct tjob gate, jobs[SMALL_QUEUE + 3], again;
	struct writer_status ws;

	start_store(SMALL_QUEUE);
	hold_writer(&gate);
	for (int i = 0; i < SMALL_QUEUE + 3; i++)
		write_job(&jobs[i], INSERT, 100 + i);
	writer_status(&ws);
	assert_int_equal(ws.queued, SMALL_QUEUE);
	assert_int_equal(ws.limit, SMALL_QUEUE);
	/* The refusals come while the writer is still held. */
	wait_completions(3);
	for (int i = 0; i < SMALL_QUEUE + 3; i++)
		assert_int_equal(jobs[i].completed, i >= SMALL_QUEUE);
	for (int i = SMALL_QUEUE; i < SMALL_QUEUE + 3; i++)
		assert_int_equal(jobs[i].status, STORE_JOB_BUSY);
	release_writer();
	wait_completions(3 + 1 + SMALL_QUEUE);
	for (int i = 0; i < SMALL_QUEUE; i++)
		assert_int_equal(jobs[i].status, 0);
	write_job(&again, INSERT, 200);
	wait_completions(3 + 1 + SMALL_QUEUE + 1);
	assert_int_equal(again.status, 0);
	stop_store();
	assert_int_equal(total_rows(), SMALL_QUEUE + 1);
	for (int i = SMALL_QUEUE; i < SMALL_QUEUE + 3; i++)
		assert_int_equal(rows_with(100 + i, NULL, 0), 0);
}

/* Once stopped, a submit is refused with STORE_JOB_FAILED, delivered
 * later on the loop, never inside the submit; the job never runs. */
static void
test_refused_after_stop(void **state)
{
	static struct tjob w, r;

	start_store(0);
	readers_stop();
	writer_stop();
	write_job(&w, INSERT, 1);
	read_job(&r);
	wait_completions(2);
	assert_int_equal(w.status, STORE_JOB_FAILED);
	assert_int_equal(r.status, STORE_JOB_FAILED);
	assert_int_equal(r.seen, 0);
	stop_store();
	assert_int_equal(total_rows(), 0);
}

/*
 * A read submitted right after a (slow) write sees it, and completes
 * after it; with several readers, every read does. (It may also see a
 * later write that committed before it ran: hence "at least".)
 */
static void
test_read_after_write(void **state)
{
	static struct tjob w[3], r[3][2];

	start_store(0);
	for (int i = 0; i < 3; i++) {
		write_job(&w[i], SLOW_INSERT, i);
		read_job(&r[i][0]);
		read_job(&r[i][1]);
	}
	wait_completions(9);
	for (int i = 0; i < 3; i++) {
		assert_int_equal(w[i].status, 0);
		for (int k = 0; k < 2; k++) {
			assert_int_equal(r[i][k].status, 0);
			assert_true(r[i][k].seen >= i + 1);
			assert_true(r[i][k].order > w[i].order);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_failure_isolation, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_savepoint_rollback, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_ordering, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sliced_delivery, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_drain_on_stop, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_bounded_queue, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_refused_after_stop, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_read_after_write, setup,
		    teardown),
	};

	/* The migrations' log lines are noise here; failures still show. */
	log_set_level(LOG_WARN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}
