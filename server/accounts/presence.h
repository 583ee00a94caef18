/*
 * presence.h — which connections are authenticated as which user. A user
 * may be connected several times (a laptop and a terminal); every push for
 * a user goes to all of them.
 */
#ifndef MOCKINT_PRESENCE_H
#define MOCKINT_PRESENCE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

struct conn;

/* Bind c to user (unbinding it from any previous one). Returns 1 when c
 * is the user's first connection (they came online). */
int presence_bind(struct conn *c, int64_t user_id, const char *username);
/* Make c unauthenticated again. Returns 1 if it was the user's last. */
int presence_unbind(struct conn *c);
/* The user's first connection (follow conn->user_next), or NULL. */
struct conn *presence_first(int64_t user_id);
int presence_online(int64_t user_id);
/* Send msg (consumed) to every connection of the user. */
void presence_send(int64_t user_id, json_t *msg);
/* Users with at least one connection. */
size_t presence_users(void);
void presence_free_all(void);

#endif
