/*
 * catalog.c — questions.list (see catalog.h).
 */
#include "catalog.h"

#include <stdlib.h>
#include <string.h>

#include "bank.h"
#include "conn.h"
#include "questions.h"

static const char *const difficulties[] = { "easy", "medium", "hard", NULL };

const struct proto_field catalog_fields_list[] = {
	{ "category", PF_STRING, PF_NULLABLE, 1, 64, NULL },
	{ "difficulty", PF_STRING, PF_NULLABLE, 1, 0, difficulties },
	{ NULL, 0, 0, 0, 0, NULL }
};

/* Whether q matches the filters (NULL: any). */
static int
matches(const struct question *q, const char *key, const char *difficulty)
{
	return (key == NULL || strcmp(q->category_key, key) == 0) &&
	    (difficulty == NULL || strcmp(questions_difficulty_name(
	    q->difficulty), difficulty) == 0);
}

static json_t *
entry(const struct question *q)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s?}", "id", q->id, "title",
	    q->title, "category", q->category, "category_key",
	    q->category_key, "difficulty",
	    questions_difficulty_name(q->difficulty), "round", q->round);
}

void
catalog_cmd_list(struct conn *c, const struct request *r)
{
	const char *category = proto_str(r->body, "category");
	const char *difficulty = proto_str(r->body, "difficulty");
	const struct bank *b = bank_current();
	const struct question *q;
	char *key = category != NULL ? questions_category_key(category) : NULL;
	json_t *list = json_array(), *e;
	size_t bytes = 0;
	int more = 0;

	/* In file order; the bank is the operator's, its size theirs, but
	 * a reply stays within what a client takes. */
	for (size_t i = 0; (q = bank_at(b, i)) != NULL; i++) {
		if (!matches(q, key, difficulty))
			continue;
		e = entry(q);
		bytes += json_dumpb(e, NULL, 0, JSON_COMPACT);
		if (json_array_size(list) == CATALOG_MAX ||
		    bytes > PROTO_PAGE_BYTES) {
			json_decref(e);
			more = 1;
			break;
		}
		json_array_append_new(list, e);
	}
	free(key);
	conn_reply_ok(c, r->id, json_pack("{s:o,s:b}", "questions", list,
	    "more", more));
}
