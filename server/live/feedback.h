/*
 * feedback.h — the candidate's rating of how useful the interviewing was,
 * once per session, after it ended.
 */
#ifndef MOCKINT_FEEDBACK_H
#define MOCKINT_FEEDBACK_H

#include "request.h"

extern const struct proto_field feedback_fields_give[];
void feedback_cmd_give(struct conn *c, const struct request *r);

#endif
