/*
 * history.h — looking back at sessions: history.list (a user's sessions,
 * newest first, keyset-paginated by session id), history.get (one
 * session's whole record) and history.stats (progress over ended
 * sessions). Only the two participants may read a session; while it is
 * live, its notes, scores and flags and the question's answers stay the
 * interviewer's, exactly as in the live `session` push.
 */
#ifndef MOCKINT_HISTORY_H
#define MOCKINT_HISTORY_H

#include "request.h"

/* history.list's page size: the default and the most a request may ask. */
#define HISTORY_PAGE_DEFAULT	20
#define HISTORY_PAGE_MAX	100

extern const struct proto_field history_fields_list[];
extern const struct proto_field history_fields_get[];
extern const struct proto_field history_fields_stats[];

void history_cmd_list(struct conn *c, const struct request *r);
void history_cmd_get(struct conn *c, const struct request *r);
void history_cmd_stats(struct conn *c, const struct request *r);

#endif
