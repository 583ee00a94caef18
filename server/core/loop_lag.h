/*
 * loop_lag.h — how late the event loop runs: a timer repeating every
 * LOOP_LAG_EVERY_MS records how much later than asked it fired into the
 * loop-lag histogram (mockint_loop_lag_seconds). Any work that holds the
 * loop thread (a long computation, a blocking call) shows there.
 */
#ifndef MOCKINT_LOOP_LAG_H
#define MOCKINT_LOOP_LAG_H

#define LOOP_LAG_EVERY_MS 10

void loop_lag_start(void);
void loop_lag_stop(void);

#endif
