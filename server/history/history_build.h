/*
 * history_build.h — the replies of the history requests, built on a
 * reader thread from that thread's connection (history.c submits the
 * jobs). Each function fills *out with the reply's fields and returns 0,
 * -1 when the database failed, or HISTORY_NOT_FOUND.
 */
#ifndef MOCKINT_HISTORY_BUILD_H
#define MOCKINT_HISTORY_BUILD_H

#include <jansson.h>
#include <stdint.h>

struct store;
struct qcache;

/* A history.list page ends early past this many bytes of entries. */
#define HISTORY_LIST_BYTES (256 * 1024)

/* The session is not there, or the user took no part in it. */
#define HISTORY_NOT_FOUND 1
/* The candidate asked for notes before the session is done. */
#define HISTORY_FORBIDDEN 2

/* What one reply reads with: the connection and the questions read. */
struct build {
	struct store *st;
	struct qcache *questions;
};

void history_build_init(struct build *b, struct store *st);
void history_build_free(struct build *b);

int history_build_list(struct build *b, int64_t user, int64_t before,
    int limit, json_t **out);
/* The record of session id, its newest pages of notes and chat; or, with
 * a cursor (> 0), only the page(s) before it. */
int history_build_get(struct build *b, int64_t user, int64_t id,
    int64_t notes_before, int64_t chat_before, json_t **out);
int history_build_stats(struct build *b, int64_t user, json_t **out);

#endif
