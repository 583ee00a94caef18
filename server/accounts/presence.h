/*
 * presence.h — which connections are authenticated as which user. A user
 * may be connected several times (a laptop and a terminal); every push for
 * a user goes to all of them.
 *
 * Presence also tells the layers above when a user comes online or goes
 * offline (live/ puts them back into their session, takes them out of the
 * queue): they subscribe at start-up, so accounts never calls into them.
 */
#ifndef MOCKINT_PRESENCE_H
#define MOCKINT_PRESENCE_H

#include <jansson.h>
#include <stdint.h>

struct conn;

/* What a subscriber hears. Either callback may be NULL. */
struct presence_hooks {
	/* c has just been authenticated (after the reply that said so);
	 * first: it is the user's only connection (they came online). */
	void (*online)(struct conn *c, int first);
	/* The user's last connection stopped being theirs. */
	void (*offline)(int64_t user_id);
};

/* Register the users-online gauge (at start-up). */
void presence_init(void);
/* Subscribe (at start-up; h must outlive the server). */
void presence_subscribe(const struct presence_hooks *h);
/* Tell every subscriber that c came online (see presence_hooks). */
void presence_announce(struct conn *c, int first);

/* Bind c to user (unbinding it from any previous one). Returns 1 when c
 * is the user's first connection (they came online). */
int presence_bind(struct conn *c, int64_t user_id, const char *username);
/* Make c unauthenticated again. Returns 1 if it was the user's last
 * (the subscribers have then heard `offline`). */
int presence_unbind(struct conn *c);
/* The user's first connection (follow conn->user_next), or NULL. */
struct conn *presence_first(int64_t user_id);
int presence_online(int64_t user_id);
/* Send msg (consumed) to every connection of the user. */
void presence_send(int64_t user_id, json_t *msg);
void presence_free_all(void);

#endif
