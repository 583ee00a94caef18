/*
 * vm_notes.c — the notes and chat messages of the view model (see vm.h):
 * what was typed here and where it is on its way to the server (unsent,
 * in flight, acknowledged, refused), merged with what the server says.
 *
 * A note carries a random client_id chosen here; the server stores a
 * client_id once per session, so a note whose acknowledgement was lost
 * with the connection is simply sent again. Chat messages have no such
 * id: one is resent only when the next session push does not show it.
 */
#include "vm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "vm_json.h"
#include "xmalloc.h"

static void
note_free(struct vm_note *n)
{
	free(n->client_id);
	free(n->item);
	free(n->text);
	free(n->error);
}

void
vm_notes_clear(struct vm *vm)
{
	for (size_t i = 0; i < vm->n_notes; i++)
		note_free(&vm->notes[i]);
	free(vm->notes);
	vm->notes = NULL;
	vm->n_notes = 0;
}

static void
chat_free(struct vm_chat *c)
{
	free(c->username);
	free(c->text);
	free(c->client_id);
}

void
vm_chat_clear(struct vm *vm)
{
	for (size_t i = 0; i < vm->n_chat; i++)
		chat_free(&vm->chat[i]);
	free(vm->chat);
	vm->chat = NULL;
	vm->n_chat = 0;
}

/* 128 random bits as 32 hex digits: collisions are not a concern. */
static char *
new_client_id(void)
{
	unsigned char r[16];
	char *out = xmalloc(sizeof r * 2 + 1);
	ssize_t n = getrandom(r, sizeof r, 0);

	if (n != (ssize_t)sizeof r) {
		/* No entropy source: time and pid still make it unique here. */
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		snprintf((char *)r, sizeof r, "%08lx%07x", (long)ts.tv_nsec ^
		    (long)ts.tv_sec, (unsigned)getpid() & 0xfffffff);
	}
	for (size_t i = 0; i < sizeof r; i++)
		snprintf(out + 2 * i, 3, "%02x", r[i]);
	return out;
}

static struct vm_note *
note_append(struct vm *vm)
{
	struct vm_note *n;

	vm->notes = xrealloc(vm->notes, (vm->n_notes + 1) * sizeof *n);
	n = &vm->notes[vm->n_notes++];
	memset(n, 0, sizeof *n);
	n->flag = -1;
	return n;
}

/* Show a note's score or flag on its item. */
static void
note_effect(struct vm *vm, const struct vm_note *n)
{
	struct vm_item *it = (struct vm_item *)vm_find_item(vm, n->item, NULL);

	if (it == NULL)
		return;
	if (n->score != 0)
		it->score = n->score > 0 ? n->score : 0;
	if (n->flag >= 0)
		it->flagged = n->flag;
}

size_t
vm_note_add(struct vm *vm, const char *item, const char *text, int score,
    int flag)
{
	struct vm_note *n = note_append(vm);

	n->client_id = new_client_id();
	n->item = xstrdup(item);
	n->text = xstrdup(text != NULL ? text : "");
	n->score = score;
	n->flag = flag;
	n->state = VM_SEND_UNSENT;
	note_effect(vm, n);
	vm->dirty = 1;
	return vm->n_notes - 1;
}

json_t *
vm_note_request(const struct vm *vm, size_t i)
{
	const struct vm_note *n = &vm->notes[i];
	json_t *f = json_object();

	json_object_set_new(f, "session_id", json_integer(vm->session_id));
	json_object_set_new(f, "item", json_string(n->item));
	if (n->text[0] != '\0')
		json_object_set_new(f, "text", json_string(n->text));
	if (n->score != 0)
		json_object_set_new(f, "score", json_integer(n->score > 0 ?
		    n->score : 0));
	if (n->flag >= 0)
		json_object_set_new(f, "flag", json_boolean(n->flag));
	json_object_set_new(f, "client_id", json_string(n->client_id));
	return f;
}

struct vm_note *
vm_note_by_client_id(struct vm *vm, const char *client_id)
{
	for (size_t i = 0; client_id != NULL && i < vm->n_notes; i++)
		if (vm->notes[i].client_id != NULL &&
		    strcmp(vm->notes[i].client_id, client_id) == 0)
			return &vm->notes[i];
	return NULL;
}

void
vm_note_acked(struct vm *vm, const char *client_id, int64_t note_id,
    int64_t at)
{
	struct vm_note *n = vm_note_by_client_id(vm, client_id);

	if (n == NULL)
		return;
	n->state = VM_SEND_DONE;
	n->note_id = note_id;
	n->at = at;
	vm->dirty = 1;
}

void
vm_note_refused(struct vm *vm, const char *client_id, const char *why)
{
	struct vm_note *n = vm_note_by_client_id(vm, client_id);

	if (n == NULL)
		return;
	n->state = VM_SEND_FAILED;
	free(n->error);
	n->error = xstrdup(why != NULL ? why : "refused");
	vm->dirty = 1;
}

void
vm_note_retry(struct vm *vm, const char *client_id)
{
	struct vm_note *n = vm_note_by_client_id(vm, client_id);

	if (n != NULL && n->state == VM_SEND_INFLIGHT) {
		n->state = VM_SEND_UNSENT;
		vm->dirty = 1;
	}
}

static void
note_from_json(struct vm_note *n, const json_t *j)
{
	json_t *score = json_object_get(j, "score");
	json_t *flag = json_object_get(j, "flag");

	n->client_id = vm_jstr(j, "client_id", NULL) != NULL ?
	    xstrdup(vm_jstr(j, "client_id", NULL)) : NULL;
	n->note_id = vm_jint(j, "note_id");
	n->item = xstrdup(vm_jstr(j, "item", "general"));
	n->text = xstrdup(vm_jstr(j, "text", ""));
	n->score = !json_is_integer(score) ? 0 : json_integer_value(score) ==
	    0 ? VM_SCORE_CLEAR : (int)json_integer_value(score);
	n->flag = json_is_boolean(flag) ? json_is_true(flag) : -1;
	n->at = vm_jint(j, "at");
	n->state = VM_SEND_DONE;
}

void
vm_notes_merge(struct vm *vm, const json_t *notes)
{
	struct vm_note *old = vm->notes;
	size_t n_old = vm->n_notes, i;
	json_t *j;

	if (!json_is_array(notes))
		return;
	vm->notes = NULL;
	vm->n_notes = 0;
	json_array_foreach(notes, i, j)
		note_from_json(note_append(vm), j);
	/* Ours that the server has not stored yet stay, in their order. */
	for (i = 0; i < n_old; i++) {
		struct vm_note *o = &old[i];

		if (o->state == VM_SEND_DONE ||
		    vm_note_by_client_id(vm, o->client_id) != NULL) {
			note_free(o);
			continue;
		}
		*note_append(vm) = *o;
	}
	free(old);
	vm->dirty = 1;
}

void
vm_note_pushed(struct vm *vm, const json_t *j)
{
	struct vm_note *n;
	int64_t id = vm_jint(j, "note_id");

	if (!json_is_object(j))
		return;
	for (size_t i = 0; i < vm->n_notes; i++)
		if (id != 0 && vm->notes[i].note_id == id)
			return;
	n = vm_note_by_client_id(vm, vm_jstr(j, "client_id", NULL));
	if (n != NULL) {
		/* Ours, acknowledged by way of another connection. */
		n->state = VM_SEND_DONE;
		n->note_id = id;
		n->at = vm_jint(j, "at");
	} else {
		n = note_append(vm);
		note_from_json(n, j);
	}
	note_effect(vm, n);
	vm->dirty = 1;
}

size_t
vm_notes_pending(const struct vm *vm)
{
	size_t k = 0;

	for (size_t i = 0; i < vm->n_notes; i++)
		if (vm->notes[i].state == VM_SEND_UNSENT ||
		    vm->notes[i].state == VM_SEND_INFLIGHT)
			k++;
	return k;
}

static struct vm_chat *
chat_append(struct vm *vm)
{
	struct vm_chat *c;

	vm->chat = xrealloc(vm->chat, (vm->n_chat + 1) * sizeof *c);
	c = &vm->chat[vm->n_chat++];
	memset(c, 0, sizeof *c);
	return c;
}

size_t
vm_chat_add_mine(struct vm *vm, const char *text)
{
	struct vm_chat *c = chat_append(vm);

	c->from = vm->my_id;
	c->username = xstrdup(vm->my_name != NULL ? vm->my_name : "me");
	c->text = xstrdup(text);
	c->mine = 1;
	c->local_id = vm->next_chat_id++;
	c->client_id = new_client_id();
	c->state = VM_SEND_UNSENT;
	/* A new message of ours: show the end of the conversation. */
	vm->scroll[VM_PANE_CHAT] = 0;
	vm->dirty = 1;
	return vm->n_chat - 1;
}

static void
chat_from_json(struct vm *vm, struct vm_chat *c, const json_t *j)
{
	c->from = vm_jint(j, "from");
	c->username = xstrdup(vm_jstr(j, "username", "?"));
	c->text = xstrdup(vm_jstr(j, "text", ""));
	c->at = vm_jint(j, "at");
	c->client_id = vm_jstr(j, "client_id", NULL) != NULL ?
	    xstrdup(vm_jstr(j, "client_id", NULL)) : NULL;
	c->mine = vm->my_id != 0 && c->from == vm->my_id;
	c->state = VM_SEND_DONE;
}

void
vm_chat_pushed(struct vm *vm, const json_t *j)
{
	chat_from_json(vm, chat_append(vm), j);
	/* Keep the view where the reader put it, unless at the bottom. */
	if (vm->scroll[VM_PANE_CHAT] > 0)
		vm->scroll[VM_PANE_CHAT]++;
	vm->dirty = 1;
}

/* Is our undelivered c among the server's messages already? */
static int
chat_listed(const struct vm *vm, size_t from, const struct vm_chat *c)
{
	for (size_t i = from; i < vm->n_chat; i++) {
		const struct vm_chat *s = &vm->chat[i];

		if (s->state != VM_SEND_DONE || !s->mine)
			continue;
		/* By its client_id when the server gave one back (exact);
		 * else by its text (a server that keeps none). */
		if (s->client_id != NULL && c->client_id != NULL) {
			if (strcmp(s->client_id, c->client_id) == 0)
				return 1;
		} else if (strcmp(s->text, c->text) == 0)
			return 1;
	}
	return 0;
}

void
vm_chat_merge(struct vm *vm, const json_t *chat)
{
	struct vm_chat *old = vm->chat;
	size_t n_old = vm->n_chat, i, n_delivered_old = 0;
	json_t *j;

	if (!json_is_array(chat))
		return;
	vm->chat = NULL;
	vm->n_chat = 0;
	json_array_foreach(chat, i, j)
		chat_from_json(vm, chat_append(vm), j);
	for (i = 0; i < n_old; i++)
		if (old[i].state == VM_SEND_DONE)
			n_delivered_old++;
	for (i = 0; i < n_old; i++) {
		struct vm_chat *o = &old[i];

		/*
		 * Undelivered ones stay unless the server has them now: it
		 * has them when it lists one of ours with the same text
		 * beyond what we had already seen delivered.
		 */
		if (o->state == VM_SEND_DONE || (o->state !=
		    VM_SEND_FAILED && chat_listed(vm, n_delivered_old, o))) {
			chat_free(o);
			continue;
		}
		*chat_append(vm) = *o;
	}
	free(old);
	vm->dirty = 1;
}

struct vm_chat *
vm_chat_by_local_id(struct vm *vm, uint64_t id)
{
	for (size_t i = 0; i < vm->n_chat; i++)
		if (vm->chat[i].mine && vm->chat[i].local_id == id)
			return &vm->chat[i];
	return NULL;
}

void
vm_chat_delivered(struct vm *vm, uint64_t local_id, int64_t at)
{
	struct vm_chat *c = vm_chat_by_local_id(vm, local_id);

	if (c == NULL)
		return;
	c->state = VM_SEND_DONE;
	c->at = at;
	/*
	 * Messages the peer sent while ours was on its way are older or
	 * newer by the server's clock: keep the delivered ones in its order.
	 */
	for (size_t i = (size_t)(c - vm->chat); i > 0 &&
	    vm->chat[i - 1].state == VM_SEND_DONE &&
	    vm->chat[i - 1].at > at; i--) {
		struct vm_chat t = vm->chat[i - 1];

		vm->chat[i - 1] = vm->chat[i];
		vm->chat[i] = t;
	}
	vm->dirty = 1;
}

void
vm_chat_refused(struct vm *vm, uint64_t local_id)
{
	struct vm_chat *c = vm_chat_by_local_id(vm, local_id);

	if (c == NULL)
		return;
	c->state = VM_SEND_FAILED;
	vm->dirty = 1;
}

void
vm_chat_retry(struct vm *vm, uint64_t local_id)
{
	struct vm_chat *c = vm_chat_by_local_id(vm, local_id);

	if (c != NULL && c->state == VM_SEND_INFLIGHT) {
		c->state = VM_SEND_UNSENT;
		vm->dirty = 1;
	}
}

void
vm_link_lost(struct vm *vm)
{
	for (size_t i = 0; i < vm->n_notes; i++)
		if (vm->notes[i].state == VM_SEND_INFLIGHT)
			vm->notes[i].state = VM_SEND_UNSENT;
	for (size_t i = 0; i < vm->n_chat; i++)
		if (vm->chat[i].state == VM_SEND_INFLIGHT)
			vm->chat[i].state = VM_SEND_UNSENT;
	vm->dirty = 1;
}

int
vm_note_shown(const struct vm *vm, size_t i)
{
	const struct vm_note *n = &vm->notes[i];

	if (n->text[0] != '\0' || n->state == VM_SEND_FAILED)
		return 1;
	/* A later score (flag) on the same item replaces this one. */
	for (size_t j = i + 1; j < vm->n_notes; j++) {
		const struct vm_note *m = &vm->notes[j];

		if (strcmp(m->item, n->item) != 0 ||
		    m->state == VM_SEND_FAILED)
			continue;
		if ((n->score != 0 && m->score != 0) || (n->flag >= 0 &&
		    m->flag >= 0))
			return 0;
	}
	return 1;
}
