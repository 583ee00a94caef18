/*
 * lobby_queue.c — the waiting queue (see lobby.h).
 *
 * Rules: an interviewer pairs with a candidate, `either` fills whichever
 * side is missing; when both sides name a category (difficulty) they must
 * be equal; a newcomer pairs with the longest-waiting compatible user;
 * never a user with themself. When two `either`s pair, the one who waited
 * longer is the candidate: they came to practise first.
 */
#include "lobby.h"

#include <stdlib.h>
#include <string.h>

#include "bank.h"
#include "conn.h"
#include "idmap.h"
#include "log.h"
#include "presence.h"
#include "questions.h"
#include "server.h"
#include "session.h"
#include "user.h"
#include "xmalloc.h"

enum { Q_INTERVIEWER, Q_CANDIDATE, Q_EITHER, Q__COUNT };

static const char *const role_names[Q__COUNT + 1] = { "interviewer",
	"candidate", "either", NULL };
static const char *const difficulties[] = { "easy", "medium", "hard", NULL };

const struct proto_field lobby_fields_queue_join[] = {
	{ "role", PF_STRING, PF_REQUIRED, 1, 0, role_names },
	{ "category", PF_STRING, PF_NULLABLE, 1, 64, NULL },
	{ "difficulty", PF_STRING, PF_NULLABLE, 1, 0, difficulties },
	{ NULL, 0, 0, 0, 0, NULL }
};

struct entry {
	int64_t user;
	char username[USERNAME_SIZE];
	int role;
	char *category;		/* canonical key, or NULL */
	char *difficulty;	/* or NULL */
	int64_t joined_at;	/* Unix ms */
	int sent_pos, sent_waiting;	/* last `queue` push */
	int sent_for[Q__COUNT];		/* ... and its waiting_for */
	struct entry *prev, *next;
};

static struct entry *head, *tail;
static size_t length;
static struct idmap by_user;	/* user -> their entry */

static struct entry *
find(int64_t user)
{
	return idmap_get(&by_user, user);
}

int
lobby_queue_has(int64_t user)
{
	return find(user) != NULL;
}

void
lobby_queue_gauge(metrics_emit_fn emit, void *ctx)
{
	size_t n[Q__COUNT] = { 0 };

	for (struct entry *e = head; e != NULL; e = e->next)
		n[e->role]++;
	for (int i = 0; i < Q__COUNT; i++)
		emit(role_names[i], (double)n[i], ctx);
}

static void
unlink_entry(struct entry *e)
{
	idmap_del(&by_user, e->user);
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		head = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	else
		tail = e->prev;
	length--;
}

static void
entry_free(struct entry *e)
{
	free(e->category);
	free(e->difficulty);
	free(e);
}

static uv_timer_t positions_timer;
static int positions_armed, timer_ready;

/* Tell everyone waiting whose position or the count changed. */
/*
 * How many wait by role, per category: those without one (they take any)
 * and one count per category named, so that each waiting user learns in
 * O(1) how many they could be paired with. A round of positions costs
 * O(queue) whatever the number of categories.
 */
struct by_category {
	size_t cap;
	const char **key;	/* NULL: empty slot */
	int (*n)[Q__COUNT];
	int any[Q__COUNT];	/* those with no category */
	int all[Q__COUNT];
};

static int (*category_counts(struct by_category *b, const char *key,
    int add))[Q__COUNT]
{
	uint64_t h = 14695981039346656037ULL;
	size_t i;

	for (const char *p = key; *p != '\0'; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	for (i = h % b->cap; b->key[i] != NULL; i = (i + 1) % b->cap)
		if (strcmp(b->key[i], key) == 0)
			return &b->n[i];
	if (!add)
		return NULL;
	b->key[i] = key;
	return &b->n[i];
}

static void
count_waiting(struct by_category *b)
{
	b->cap = 2 * length + 1;
	b->key = xcalloc(b->cap, sizeof *b->key);
	b->n = xcalloc(b->cap, sizeof *b->n);
	memset(b->any, 0, sizeof b->any);
	memset(b->all, 0, sizeof b->all);
	for (struct entry *e = head; e != NULL; e = e->next) {
		b->all[e->role]++;
		if (e->category == NULL)
			b->any[e->role]++;
		else
			(*category_counts(b, e->category, 1))[e->role]++;
	}
}

/* Who waits that e could be paired with by category (not e), by role. */
static void
waiting_for(struct by_category *b, const struct entry *e, int out[Q__COUNT])
{
	int (*same)[Q__COUNT] = e->category != NULL ?
	    category_counts(b, e->category, 0) : NULL;

	for (int r = 0; r < Q__COUNT; r++)
		out[r] = e->category == NULL ? b->all[r] :
		    b->any[r] + (same != NULL ? (*same)[r] : 0);
	out[e->role]--;
}

/* Tell everyone waiting whose position or counts changed. */
static void
send_positions(void)
{
	struct by_category b;
	int pos = 1, wf[Q__COUNT];

	count_waiting(&b);
	for (struct entry *e = head; e != NULL; e = e->next, pos++) {
		waiting_for(&b, e, wf);
		if (e->sent_pos == pos && e->sent_waiting == (int)length &&
		    memcmp(e->sent_for, wf, sizeof wf) == 0)
			continue;
		e->sent_pos = pos;
		e->sent_waiting = (int)length;
		memcpy(e->sent_for, wf, sizeof wf);
		presence_send(e->user, proto_push("queue", json_pack(
		    "{s:i,s:i,s:{s:i,s:i,s:i},s:I}", "position", pos,
		    "waiting", (int)length, "waiting_for", "candidates",
		    wf[Q_CANDIDATE], "interviewers", wf[Q_INTERVIEWER],
		    "either", wf[Q_EITHER], "since", (json_int_t)e->joined_at)));
	}
	free(b.key);
	free(b.n);
}

static void
positions_due(uv_timer_t *t)
{
	positions_armed = 0;
	send_positions();
}

/*
 * The positions changed: push them within LOBBY_POSITIONS_MS, once for
 * however many changes come meanwhile, so that joins and leaves cost one
 * round of pushes to the queue, not one each.
 */
static void
push_positions(void)
{
	if (!timer_ready) {
		uv_timer_init(srv.loop, &positions_timer);
		timer_ready = 1;
	}
	if (positions_armed)
		return;
	positions_armed = 1;
	uv_timer_start(&positions_timer, positions_due, LOBBY_POSITIONS_MS,
	    0);
}

void
lobby_queue_stop(void)
{
	if (timer_ready)
		uv_close((uv_handle_t *)&positions_timer, NULL);
	timer_ready = positions_armed = 0;
}

static int
same_or_unset(const char *a, const char *b)
{
	return a == NULL || b == NULL || strcmp(a, b) == 0;
}

static int
compatible(const struct entry *a, const struct entry *b)
{
	if (a->user == b->user)
		return 0;
	if (a->role != Q_EITHER && a->role == b->role)
		return 0;
	return same_or_unset(a->category, b->category) &&
	    same_or_unset(a->difficulty, b->difficulty);
}

static json_t *
prefs_json(const struct entry *e)
{
	json_t *p = json_pack("{s:s}", "role", role_names[e->role]);

	if (e->category != NULL)
		json_object_set_new(p, "category", json_string(e->category));
	if (e->difficulty != NULL)
		json_object_set_new(p, "difficulty",
		    json_string(e->difficulty));
	return p;
}

/*
 * Pair `waiting` (in the queue, longer there) with `newer`: their session
 * starts (session_start puts them back at the head if it cannot).
 */
static void
pair(struct entry *waiting, struct entry *newer)
{
	struct entry *iv, *cd;
	struct bank_prefs bp;
	json_t *prefs;

	if (waiting->role == Q_INTERVIEWER ||
	    (waiting->role == Q_EITHER && newer->role == Q_CANDIDATE)) {
		iv = waiting;
		cd = newer;
	} else {
		iv = newer;
		cd = waiting;
	}
	memset(&bp, 0, sizeof bp);
	bp.category = iv->category ? iv->category : cd->category;
	bp.difficulty = iv->difficulty ? iv->difficulty : cd->difficulty;
	prefs = json_pack("{s:o,s:o}", "interviewer", prefs_json(iv),
	    "candidate", prefs_json(cd));
	lobby_charge_sessions(iv->user, cd->user);
	session_start(iv->user, iv->username, cd->user, cd->username,
	    ORIGIN_QUEUE, 0, &bp, prefs, NULL, 0, NULL);
	json_decref(prefs);
}

/* The longest-waiting user e can pair with, or NULL. */
static struct entry *
partner(const struct entry *e)
{
	for (struct entry *w = head; w != NULL; w = w->next)
		if (compatible(w, e))
			return w;
	return NULL;
}

static void
insert(struct entry *e, int front)
{
	if (front) {
		e->next = head;
		if (head != NULL)
			head->prev = e;
		head = e;
		if (tail == NULL)
			tail = e;
	} else {
		e->prev = tail;
		if (tail != NULL)
			tail->next = e;
		tail = e;
		if (head == NULL)
			head = e;
	}
	idmap_put(&by_user, e->user, e);
	length++;
}

/*
 * Pair e with w when there is one; otherwise e waits, at the head or the
 * tail. Returns 1 when e waits.
 */
static int
place(struct entry *e, struct entry *w, int front)
{
	int waits = 0;

	if (w != NULL) {
		unlink_entry(w);
		pair(w, e);
		entry_free(w);
		entry_free(e);
	} else {
		insert(e, front);
		waits = 1;
	}
	push_positions();
	return waits;
}

static struct entry *
entry_new(int64_t user, const char *username, int role, const char *category,
    const char *difficulty)
{
	struct entry *e = xcalloc(1, sizeof *e);

	e->user = user;
	snprintf(e->username, sizeof e->username, "%s", username);
	e->role = role;
	e->joined_at = proto_now_ms();
	if (category != NULL)
		e->category = questions_category_key(category);
	if (difficulty != NULL)
		e->difficulty = xstrdup(difficulty);
	return e;
}

static int
role_index(const char *name)
{
	for (int i = 0; role_names[i] != NULL; i++)
		if (strcmp(role_names[i], name) == 0)
			return i;
	return Q_EITHER;
}

void
lobby_cmd_queue_join(struct conn *c, const struct request *r)
{
	struct entry *e, *w;

	if (lobby_reply_busy(c, r, 0) || lobby_reply_quota(c, r) ||
	    lobby_reply_pushes(c, r))
		return;
	if (bank_count(bank_current()) == 0) {
		conn_reply_error(c, r->id, 1, PROTO_E_INVALID_STATE,
		    "the question bank is empty");
		return;
	}
	e = entry_new(c->user_id, c->username,
	    role_index(proto_str(r->body, "role")),
	    proto_str(r->body, "category"), proto_str(r->body, "difficulty"));
	w = partner(e);
	/* The reply comes first; the match and session pushes follow it. */
	conn_reply_ok(c, r->id, json_pack("{s:i}", "position",
	    w != NULL ? 0 : (int)length + 1));
	if (place(e, w, 0))
		log_info(c->id, "queued as %s", role_names[e->role]);
}

void
lobby_cmd_queue_leave(struct conn *c, const struct request *r)
{
	struct entry *e = find(c->user_id);

	if (e == NULL) {
		conn_reply_error(c, r->id, 1, PROTO_E_NOT_FOUND,
		    "not in the queue");
		return;
	}
	if (lobby_reply_pushes(c, r))
		return;
	unlink_entry(e);
	entry_free(e);
	conn_reply_ok(c, r->id, NULL);
	push_positions();
}

void
lobby_queue_gone(int64_t user)
{
	struct entry *e = find(user);

	if (e == NULL)
		return;
	unlink_entry(e);
	entry_free(e);
	push_positions();
}

void
lobby_queue_requeue(int64_t user, const char *username, const json_t *prefs)
{
	struct entry *e;
	const char *role;

	if (lobby_state(user) != LOBBY_IDLE || !presence_online(user))
		return;
	role = json_string_value(json_object_get(prefs, "role"));
	e = entry_new(user, username,
	    role_index(role != NULL ? role : "either"), json_string_value(json_object_get(prefs, "category")),
	    json_string_value(json_object_get(prefs, "difficulty")));
	place(e, partner(e), 1);
}

void
lobby_queue_free(void)
{
	struct entry *e, *next;

	for (e = head; e != NULL; e = next) {
		next = e->next;
		entry_free(e);
	}
	head = tail = NULL;
	length = 0;
	idmap_free(&by_user);
}
