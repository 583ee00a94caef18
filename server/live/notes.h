/*
 * notes.h — the interviewer's notes, scores and red flags against the
 * question's checklist. A note is acknowledged only once committed.
 */
#ifndef MOCKINT_NOTES_H
#define MOCKINT_NOTES_H

#include "request.h"

extern const struct proto_field notes_fields_add[];
void notes_cmd_add(struct conn *c, const struct request *r);

#endif
