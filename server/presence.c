/*
 * presence.c — user id → that user's open, authenticated connections, in
 * a chained hash table sized for tens of thousands of users (see
 * presence.h).
 */
#include "presence.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conn.h"
#include "xmalloc.h"

#define NBUCKETS 16384

struct user {
	int64_t id;
	struct conn *conns;
	struct user *next;
};

static struct user *buckets[NBUCKETS];
static size_t nusers;

static struct user **
find(int64_t id)
{
	struct user **pp = &buckets[(uint64_t)id % NBUCKETS];

	while (*pp != NULL && (*pp)->id != id)
		pp = &(*pp)->next;
	return pp;
}

int
presence_bind(struct conn *c, int64_t user_id, const char *username)
{
	struct user **pp, *u;
	int first = 0;

	if (c->user_id != 0)
		presence_unbind(c);
	pp = find(user_id);
	if ((u = *pp) == NULL) {
		u = xcalloc(1, sizeof *u);
		u->id = user_id;
		*pp = u;
		nusers++;
		first = 1;
	}
	c->user_id = user_id;
	snprintf(c->username, sizeof c->username, "%s", username);
	c->user_next = u->conns;
	u->conns = c;
	return first;
}

int
presence_unbind(struct conn *c)
{
	struct user **pp, *u;
	struct conn **cp;
	int last = 0;

	if (c->user_id == 0)
		return 0;
	pp = find(c->user_id);
	if ((u = *pp) != NULL) {
		for (cp = &u->conns; *cp != NULL; cp = &(*cp)->user_next) {
			if (*cp == c) {
				*cp = c->user_next;
				break;
			}
		}
		if (u->conns == NULL) {
			*pp = u->next;
			free(u);
			nusers--;
			last = 1;
		}
	}
	c->user_id = 0;
	c->username[0] = '\0';
	c->user_next = NULL;
	c->has_token = 0;
	return last;
}

struct conn *
presence_first(int64_t user_id)
{
	struct user *u = *find(user_id);

	return u != NULL ? u->conns : NULL;
}

int
presence_online(int64_t user_id)
{
	return presence_first(user_id) != NULL;
}

void
presence_send(int64_t user_id, json_t *msg)
{
	struct conn *c;

	for (c = presence_first(user_id); c != NULL; c = c->user_next)
		conn_send(c, json_incref(msg));
	json_decref(msg);
}

size_t
presence_users(void)
{
	return nusers;
}

void
presence_free_all(void)
{
	for (int i = 0; i < NBUCKETS; i++) {
		struct user *u, *next;

		for (u = buckets[i]; u != NULL; u = next) {
			next = u->next;
			free(u);
		}
		buckets[i] = NULL;
	}
	nusers = 0;
}
