/*
 * phase.h — the vocabulary of an interview that every layer shares: the
 * phases a session goes through and the two roles in it. Their wire names
 * are part of mockint.v1 (proto/PROTOCOL.md) and of the database's CHECK
 * constraints (schema/0004_sessions.sql): never rename one.
 */
#ifndef MOCKINT_PHASE_H
#define MOCKINT_PHASE_H

#include <stdint.h>

/* The timed phases in order, then done (which has no clock). */
enum phase_id { PHASE_PREP, PHASE_ANSWER, PHASE_FOLLOWUP, PHASE_SCORING,
	PHASE__TIMED, PHASE_DONE = PHASE__TIMED };

/* The two sides of a session; also the index of a session's user[]. */
enum role_id { ROLE_INTERVIEWER = 0, ROLE_CANDIDATE = 1 };

/* "prep", ..., "done"; "?" for a number that is none of them. */
const char *phase_name(int phase);
/* The phase of a wire name, or -1. */
int phase_parse(const char *name);
/* "interviewer" or "candidate". */
const char *role_name(int role);

/*
 * The reason a client is told a session ended: as stored, except that a
 * session the interviewer ended (session.end; stored "completed" with
 * ended_by) reads "ended_early". ended_by is 0 when the clock or the
 * server ended it.
 */
const char *phase_reason_shown(const char *stored, int64_t ended_by,
    int64_t interviewer);

#endif
