/*
 * chat.h — chat between the two participants of a live session, kept with
 * the session for history.
 */
#ifndef MOCKINT_CHAT_H
#define MOCKINT_CHAT_H

#include "request.h"

extern const struct proto_field chat_fields_send[];
void chat_cmd_send(struct conn *c, const struct request *r);

#endif
