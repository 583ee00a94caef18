/*
 * loop_lag.c — the loop-lag probe (see loop_lag.h).
 */
#include "loop_lag.h"

#include "metrics.h"
#include "server.h"

static void fired(uv_timer_t *t);

static uv_timer_t timer;
static uint64_t due_ns;		/* when the next firing is due */
static int live;

/* Arm for LOOP_LAG_EVERY_MS from now, by the real clock. */
static void
arm(void)
{
	/* The loop's cached time lags the real one by however long this
	 * iteration has run: refresh it, so the timer is due when due_ns
	 * says. */
	uv_update_time(srv.loop);
	due_ns = uv_hrtime() + (uint64_t)LOOP_LAG_EVERY_MS * 1000000;
	uv_timer_start(&timer, fired, LOOP_LAG_EVERY_MS, 0);
}

static void
fired(uv_timer_t *t)
{
	uint64_t now = uv_hrtime();

	metrics_observe(METRICS_LOOP_LAG, now > due_ns ?
	    (double)(now - due_ns) / 1e9 : 0);
	arm();
}

void
loop_lag_start(void)
{
	uv_timer_init(srv.loop, &timer);
	/* A probe alone must not keep the loop running. */
	uv_unref((uv_handle_t *)&timer);
	arm();
	live = 1;
}

void
loop_lag_stop(void)
{
	if (live)
		uv_close((uv_handle_t *)&timer, NULL);
	live = 0;
}
