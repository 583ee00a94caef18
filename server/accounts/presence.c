/*
 * presence.c — user id → that user's open, authenticated connections (see
 * presence.h): the map holds the head of each user's list, linked through
 * conn->user_next.
 */
#include "presence.h"

#include <stdio.h>

#include "conn.h"
#include "idmap.h"
#include "metrics.h"

static struct idmap users;

#define SUBSCRIBERS_MAX 4
static const struct presence_hooks *subs[SUBSCRIBERS_MAX];
static size_t nsubs;

static void
users_gauge(metrics_emit_fn emit, void *ctx)
{
	emit(NULL, (double)users.n, ctx);
}

static const struct metrics_gauge users_online = { "mockint_users_online",
	"Authenticated users with at least one connection.", NULL,
	users_gauge };

void
presence_init(void)
{
	metrics_gauge_register(&users_online);
}

void
presence_subscribe(const struct presence_hooks *h)
{
	if (nsubs < SUBSCRIBERS_MAX)
		subs[nsubs++] = h;
}

void
presence_announce(struct conn *c, int first)
{
	for (size_t i = 0; i < nsubs; i++)
		if (subs[i]->online != NULL)
			subs[i]->online(c, first);
}

int
presence_bind(struct conn *c, int64_t user_id, const char *username)
{
	struct conn *head;

	if (c->user_id != 0)
		presence_unbind(c);
	head = idmap_get(&users, user_id);
	c->user_id = user_id;
	snprintf(c->username, sizeof c->username, "%s", username);
	c->user_next = head;
	idmap_put(&users, user_id, c);
	return head == NULL;
}

int
presence_unbind(struct conn *c)
{
	struct conn *head, **cp;
	int64_t user_id;
	int last = 0;

	if (c->user_id == 0)
		return 0;
	head = idmap_get(&users, c->user_id);
	for (cp = &head; *cp != NULL; cp = &(*cp)->user_next) {
		if (*cp == c) {
			*cp = c->user_next;
			break;
		}
	}
	if (head == NULL) {
		idmap_del(&users, c->user_id);
		last = 1;
	} else
		idmap_put(&users, c->user_id, head);
	user_id = c->user_id;
	c->user_id = 0;
	c->username[0] = '\0';
	c->user_next = NULL;
	c->has_token = 0;
	for (size_t i = 0; last && i < nsubs; i++)
		if (subs[i]->offline != NULL)
			subs[i]->offline(user_id);
	return last;
}

struct conn *
presence_first(int64_t user_id)
{
	return idmap_get(&users, user_id);
}

int
presence_online(int64_t user_id)
{
	return presence_first(user_id) != NULL;
}

void
presence_send(int64_t user_id, json_t *msg)
{
	struct conn *c = presence_first(user_id);
	struct outdata *d;

	if (c == NULL) {
		json_decref(msg);
		return;
	}
	/* Serialised once, whatever the number of the user's screens. */
	d = conn_serialise(msg);
	for (; c != NULL; c = c->user_next)
		conn_send_data(c, d);
	outdata_unref(d);
}

void
presence_free_all(void)
{
	idmap_free(&users);
	nsubs = 0;
}
