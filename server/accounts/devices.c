/*
 * devices.c — a user's logins as devices: tokens.list (a reader builds
 * the whole reply) and tokens.revoke {token_id} (the writer deletes the
 * token, if it is the user's, and hands its hash back so that the
 * connections that used it are logged out).
 */
#include <string.h>

#include "auth.h"
#include "auth_int.h"
#include "conn.h"
#include "log.h"
#include "readers.h"
#include "store.h"
#include "store_users.h"
#include "token.h"
#include "writer.h"

/* Not "id": that is the request's own id, which the reply carries as
 * "re" (PROTOCOL.md, Messages). token_id is the id tokens.list gives. */
const struct proto_field auth_fields_tokens_revoke[] = {
	{ "token_id", PF_INT, PF_REQUIRED, 1, PROTO_MAX_ID, NULL },
	{ NULL, 0, 0, 0, 0, NULL }
};

struct devices_job {
	struct conn_job cj;
	int64_t id;			/* revoke: the token's */
	int64_t now, born_after;	/* list: the live ones */
	unsigned char th[TOKEN_HASH_BYTES];	/* list: the asker's; revoke:
						 * the revoked one's */
	json_t *list;
};

static int
list_run(struct store *st, struct store_job *w)
{
	struct devices_job *j = (struct devices_job *)w;

	j->list = store_tokens_list(st, j->cj.user, j->now, j->born_after,
	    j->th);
	return j->list == NULL ? -1 : 0;
}

static int
revoke_run(struct store *st, struct store_job *w)
{
	struct devices_job *j = (struct devices_job *)w;
	int rc = store_token_revoke(st, j->cj.user, j->id, j->th);

	return rc < 0 ? -1 : rc == 0 ? STORE_NOT_FOUND : 0;
}

static void
devices_job_free(struct devices_job *j)
{
	json_decref(j->list);
	conn_job_free(j);
}

static void
list_done(struct store_job *w, int status)
{
	struct devices_job *j = (struct devices_job *)w;

	if (!conn_job_failed(&j->cj, status, "database error")) {
		conn_job_ok(&j->cj, json_pack("{s:O}", "tokens", j->list));
	}
	devices_job_free(j);
}

static void
revoke_done(struct store_job *w, int status)
{
	struct devices_job *j = (struct devices_job *)w;

	if (conn_job_failed(&j->cj, status, "could not revoke the token"))
		goto out;
	if (status == STORE_NOT_FOUND) {
		conn_job_error(&j->cj, PROTO_E_NOT_FOUND, "no such token");
		goto out;
	}
	auth_kick(j->cj.user, j->th, NULL, j->cj.c, AUTH_REASON_REVOKED);
	log_info(j->cj.c->id, "user %lld revoked token %lld",
	    (long long)j->cj.user, (long long)j->id);
	conn_job_ok(&j->cj, NULL);
out:
	devices_job_free(j);
}

void
auth_cmd_tokens_list(struct conn *c, const struct request *r)
{
	struct devices_job *j = conn_job_new(sizeof *j, c, r->id, list_run,
	    list_done);

	j->now = proto_now_ms();
	j->born_after = j->now - auth_token_end(0);
	memcpy(j->th, c->token_hash, sizeof j->th);
	readers_submit(&j->cj.job);
}

void
auth_cmd_tokens_revoke(struct conn *c, const struct request *r)
{
	struct devices_job *j = conn_job_new(sizeof *j, c, r->id, revoke_run,
	    revoke_done);

	j->id = json_integer_value(json_object_get(r->body, "token_id"));
	writer_submit(&j->cj.job);
}
