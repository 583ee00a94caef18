/*
 * queue.h — the waiting queue: users who asked for an interview, in the
 * order they asked, paired interviewer-with-candidate as soon as a
 * compatible pair exists (see queue.c for the rules).
 */
#ifndef MOCKINT_QUEUE_H
#define MOCKINT_QUEUE_H

#include <jansson.h>
#include <stdint.h>

#include "dispatch.h"

extern const struct proto_field queue_fields_join[];

void queue_cmd_join(struct conn *c, const struct request *r);
void queue_cmd_leave(struct conn *c, const struct request *r);

int queue_has(int64_t user);
/* The user's last connection went away: drop them from the queue. */
void queue_user_gone(int64_t user);
/* Put a user back at the head of the queue with their preferences
 * ({role, category?, difficulty?}); used after a no-show. */
void queue_requeue(int64_t user, const char *username, const json_t *prefs);
/* Waiting users by the role they asked for: interviewer, candidate,
 * either (for /metrics). */
void queue_counts(size_t out[3]);
void queue_shutdown(void);

#endif
