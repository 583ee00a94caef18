/*
 * vm.c — the view model's session state, built from the server's pushes
 * (see vm.h): pairing, phase and countdown, peer, question, checklist and
 * results. Nothing here touches the terminal or the network.
 */
#include "vm.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm_json.h"
#include "xmalloc.h"

static const char *const phase_names[] = { "", "prep", "answer",
	"followup", "scoring", "done" };

const char *
vm_phase_name(enum vm_phase p)
{
	if ((size_t)p >= sizeof phase_names / sizeof phase_names[0])
		return "";
	return phase_names[p];
}

enum vm_phase
vm_phase_from_name(const char *name)
{
	if (name == NULL)
		return VM_PHASE_NONE;
	for (size_t i = 1; i < sizeof phase_names / sizeof phase_names[0]; i++)
		if (strcmp(name, phase_names[i]) == 0)
			return (enum vm_phase)i;
	return VM_PHASE_NONE;
}

void
vm_init(struct vm *vm)
{
	memset(vm, 0, sizeof *vm);
	vm->next_chat_id = 1;
	vm->dirty = 1;
}

static void
set_str(char **slot, const char *s)
{
	char *old = *slot;

	*slot = s != NULL ? xstrdup(s) : NULL;
	free(old);
}

static void
items_free(struct vm_item *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].key);
		free(v[i].label);
	}
	free(v);
}

static void
question_free(struct vm_question *q)
{
	free(q->id);
	free(q->title);
	free(q->prompt);
	free(q->category);
	free(q->difficulty);
	free(q->company);
	free(q->role);
	free(q->round);
	free(q->quick_answer);
	free(q->model_answer);
	free(q->approach);
	memset(q, 0, sizeof *q);
}

/* Forget one session: used when another one starts (a swap). */
static void
session_reset(struct vm *vm)
{
	question_free(&vm->q);
	items_free(vm->items, vm->n_items);
	items_free(vm->flags, vm->n_flags);
	vm->items = vm->flags = NULL;
	vm->n_items = vm->n_flags = 0;
	vm_notes_clear(vm);
	vm_chat_clear(vm);
	free(vm->reason);
	vm->reason = NULL;
	vm->has_overall = 0;
	vm->overall = 0;
	vm->swap_pending = vm->swap_offered = 0;
	vm->feedback_rating = vm->feedback_sent = 0;
	vm->phase = VM_PHASE_NONE;
	vm->phase_ends_at = 0;
	vm->ended_by = vm->ended_at = vm->debrief_ends_at = 0;
	vm->extended_ms = 0;
	vm->swap_closed = 0;
	vm->alert_phase = VM_PHASE_NONE;
	vm->alerted = 0;
	vm->cursor = 0;
	memset(vm->scroll, 0, sizeof vm->scroll);
	if (vm->mode != VM_MODE_NOTE)
		vm->mode = VM_MODE_NORMAL;
	/* The role comes with the next session: its focus too. */
	vm->role = VM_ROLE_NONE;
	vm->focus = vm->before_chat = VM_PANE_QUESTION;
}

void
vm_free(struct vm *vm)
{
	session_reset(vm);
	free(vm->my_name);
	free(vm->room_code);
	free(vm->queue_role);
	free(vm->queue_category);
	free(vm->queue_difficulty);
	free(vm->peer_name);
	free(vm->note_item);
	free(vm->status);
	vm_line_free(&vm->chat_line);
	vm_line_free(&vm->note_line);
	memset(vm, 0, sizeof *vm);
}

void
vm_set_status(struct vm *vm, int64_t now, const char *fmt, ...)
{
	va_list ap;
	char buf[512];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	set_str(&vm->status, buf);
	vm->status_at = now;
	vm->dirty = 1;
}

void
vm_set_link(struct vm *vm, enum vm_link link, int attempt, int64_t retry_at)
{
	vm->link = link;
	vm->reconnect_attempt = attempt;
	vm->reconnect_at = retry_at;
	vm->dirty = 1;
}

size_t
vm_cursor_rows(const struct vm *vm)
{
	return vm->n_items + vm->n_flags;
}

const struct vm_item *
vm_cursor_item(const struct vm *vm, int *is_flag)
{
	if (vm->cursor < vm->n_items) {
		if (is_flag != NULL)
			*is_flag = 0;
		return &vm->items[vm->cursor];
	}
	if (vm->cursor - vm->n_items < vm->n_flags) {
		if (is_flag != NULL)
			*is_flag = 1;
		return &vm->flags[vm->cursor - vm->n_items];
	}
	return NULL;
}

const struct vm_item *
vm_find_item(const struct vm *vm, const char *key, int *is_flag)
{
	for (size_t i = 0; key != NULL && i < vm->n_items; i++)
		if (strcmp(vm->items[i].key, key) == 0) {
			if (is_flag != NULL)
				*is_flag = 0;
			return &vm->items[i];
		}
	for (size_t i = 0; key != NULL && i < vm->n_flags; i++)
		if (strcmp(vm->flags[i].key, key) == 0) {
			if (is_flag != NULL)
				*is_flag = 1;
			return &vm->flags[i];
		}
	return NULL;
}

double
vm_mean_score(const struct vm *vm)
{
	int sum = 0, n = 0;

	for (size_t i = 0; i < vm->n_items; i++)
		if (vm->items[i].score > 0) {
			sum += vm->items[i].score;
			n++;
		}
	return n > 0 ? (double)sum / n : -1;
}

/* [{key, label}] into a fresh item array. */
static struct vm_item *
items_from(const json_t *arr, size_t *n)
{
	struct vm_item *v;
	size_t i, k = 0;
	json_t *e;

	*n = 0;
	if (!json_is_array(arr) || json_array_size(arr) == 0)
		return NULL;
	v = xcalloc(json_array_size(arr), sizeof *v);
	json_array_foreach(arr, i, e) {
		const char *key = vm_jstr(e, "key", NULL);
		const char *label = vm_jstr(e, "label", key);

		if (key == NULL)
			continue;
		v[k].key = xstrdup(key);
		v[k].label = xstrdup(label);
		k++;
	}
	*n = k;
	return v;
}

/* "Label: text" lines of the approach, for the interviewer's pane. */
static char *
approach_text(const json_t *arr)
{
	size_t i, len = 0;
	json_t *e;
	char *out, *p;

	if (!json_is_array(arr) || json_array_size(arr) == 0)
		return NULL;
	json_array_foreach(arr, i, e)
		len += strlen(vm_jstr(e, "label", "")) +
		    strlen(vm_jstr(e, "text", "")) + 4;
	p = out = xmalloc(len + 1);
	*p = '\0';
	json_array_foreach(arr, i, e)
		p += sprintf(p, "%s%s: %s", i ? "\n" : "",
		    vm_jstr(e, "label", ""), vm_jstr(e, "text", ""));
	return out;
}

static void
question_set(struct vm *vm, const json_t *q)
{
	struct vm_question *d = &vm->q;
	struct vm_item *oldi = vm->items, *oldf = vm->flags;
	size_t oldni = vm->n_items, oldnf = vm->n_flags;

	if (!json_is_object(q))
		return;
	question_free(d);
	d->id = xstrdup(vm_jstr(q, "id", ""));
	d->title = xstrdup(vm_jstr(q, "title", ""));
	d->prompt = xstrdup(vm_jstr(q, "prompt", ""));
	d->category = xstrdup(vm_jstr(q, "category", ""));
	d->difficulty = xstrdup(vm_jstr(q, "difficulty", ""));
	d->company = xstrdup(vm_jstr(q, "company", ""));
	d->role = xstrdup(vm_jstr(q, "role", ""));
	d->round = xstrdup(vm_jstr(q, "round", ""));
	if (vm_jstr(q, "quick_answer", NULL) != NULL)
		d->quick_answer = xstrdup(vm_jstr(q, "quick_answer", NULL));
	if (vm_jstr(q, "model_answer", NULL) != NULL)
		d->model_answer = xstrdup(vm_jstr(q, "model_answer", NULL));
	d->approach = approach_text(json_object_get(q, "approach"));

	/* The checklist is the question's: rebuilt, keeping known scores. */
	vm->items = items_from(json_object_get(q, "checklist"), &vm->n_items);
	vm->flags = items_from(json_object_get(q, "red_flags"), &vm->n_flags);
	for (size_t i = 0; i < vm->n_items; i++)
		for (size_t j = 0; j < oldni; j++)
			if (strcmp(vm->items[i].key, oldi[j].key) == 0)
				vm->items[i].score = oldi[j].score;
	for (size_t i = 0; i < vm->n_flags; i++)
		for (size_t j = 0; j < oldnf; j++)
			if (strcmp(vm->flags[i].key, oldf[j].key) == 0)
				vm->flags[i].flagged = oldf[j].flagged;
	items_free(oldi, oldni);
	items_free(oldf, oldnf);
	if (vm->cursor >= vm_cursor_rows(vm))
		vm->cursor = 0;
}

/* {KEY: 1..4} and {KEY: bool}: the server's latest word. */
static void
scores_set(struct vm *vm, const json_t *scores, const json_t *flags)
{
	const char *key;
	json_t *v;

	if (json_is_object(scores)) {
		for (size_t i = 0; i < vm->n_items; i++)
			vm->items[i].score = 0;
		json_object_foreach((json_t *)scores, key, v) {
			struct vm_item *it = (struct vm_item *)vm_find_item(vm,
			    key, NULL);

			if (it != NULL && json_is_integer(v))
				it->score = (int)json_integer_value(v);
		}
	}
	if (json_is_object(flags)) {
		for (size_t i = 0; i < vm->n_flags; i++)
			vm->flags[i].flagged = 0;
		json_object_foreach((json_t *)flags, key, v) {
			struct vm_item *it = (struct vm_item *)vm_find_item(vm,
			    key, NULL);

			if (it != NULL)
				it->flagged = json_is_true(v);
		}
	}
}

static void
overall_set(struct vm *vm, const json_t *overall)
{
	if (json_is_number(overall)) {
		vm->overall = json_number_value(overall);
		vm->has_overall = 1;
	} else
		vm->has_overall = 0;
}

static void
peer_set(struct vm *vm, const json_t *peer)
{
	if (!json_is_object(peer))
		return;
	vm->peer_id = vm_jint(peer, "user_id");
	set_str(&vm->peer_name, vm_jstr(peer, "username", NULL));
	if (json_is_boolean(json_object_get(peer, "connected")))
		vm->peer_connected = json_is_true(json_object_get(peer,
		    "connected"));
}

static void
role_set(struct vm *vm, const char *role)
{
	enum vm_role old = vm->role;

	if (role == NULL)
		return;
	vm->role = strcmp(role, "interviewer") == 0 ? VM_INTERVIEWER :
	    strcmp(role, "candidate") == 0 ? VM_CANDIDATE : VM_ROLE_NONE;
	/* The interviewer starts where the scoring keys work. */
	if (old != vm->role)
		vm->focus = vm->before_chat = vm->role == VM_INTERVIEWER ?
		    VM_PANE_CHECKLIST : VM_PANE_QUESTION;
}

/* A pairing: a new session starts from nothing but the typed input. */
static void
session_start(struct vm *vm, int64_t session_id)
{
	if (vm->session_id == session_id)
		return;
	session_reset(vm);
	vm->session_id = session_id;
	vm->wait = VM_WAIT_NONE;
	vm->rejoined = 0;
	vm->peer_connected = 1;
}

static void
phase_set(struct vm *vm, enum vm_phase p, int64_t now)
{
	if (p == VM_PHASE_NONE || p == vm->phase)
		return;
	vm->phase = p;
	vm_set_status(vm, now, "phase: %s", vm_phase_name(p));
	if (p == VM_DONE) {
		vm->phase_ends_at = 0;
		/* Nothing left to confirm; the results are what matters. */
		if (vm->mode != VM_MODE_NORMAL && vm->mode != VM_MODE_NOTE)
			vm->mode = VM_MODE_NORMAL;
		if (vm->focus == VM_PANE_CHECKLIST && vm->role != VM_INTERVIEWER)
			vm->focus = VM_PANE_QUESTION;
		vm->scroll[VM_PANE_QUESTION] = 0;
		if (vm->mode == VM_MODE_NOTE && vm->note_line.len > 0)
			vm_set_status(vm, now, "the session ended before your "
			    "note was saved: it is kept (Enter puts it in the "
			    "chat line)");
	}
}

int
vm_apply_session(struct vm *vm, const json_t *s, int64_t now)
{
	int64_t sid = vm_jint(s, "session_id");
	json_t *ends = json_object_get(s, "phase_ends_at");

	if (sid <= 0)
		return 0;
	session_start(vm, sid);
	role_set(vm, vm_jstr(s, "role", NULL));
	peer_set(vm, json_object_get(s, "peer"));
	vm_set_clock(vm, vm_jint(s, "server_time"), now);
	question_set(vm, json_object_get(s, "question"));
	phase_set(vm, vm_phase_from_name(vm_jstr(s, "phase", NULL)), now);
	vm->phase_ends_at = json_is_integer(ends) ? json_integer_value(ends) :
	    0;
	if (json_object_get(s, "chat") != NULL)
		vm_chat_merge(vm, json_object_get(s, "chat"));
	if (json_object_get(s, "notes") != NULL)
		vm_notes_merge(vm, json_object_get(s, "notes"));
	/* The server's scores, then what we sent and it has not seen yet. */
	scores_set(vm, json_object_get(s, "scores"), json_object_get(s,
	    "flags"));
	for (size_t i = 0; i < vm->n_notes; i++) {
		struct vm_note *n = &vm->notes[i];
		struct vm_item *it;

		if (n->state != VM_SEND_UNSENT && n->state != VM_SEND_INFLIGHT)
			continue;
		it = (struct vm_item *)vm_find_item(vm, n->item, NULL);
		if (it != NULL && n->score != 0)
			it->score = n->score > 0 ? n->score : 0;
		if (it != NULL && n->flag >= 0)
			it->flagged = n->flag;
	}
	if (json_object_get(s, "reason") != NULL)
		set_str(&vm->reason, vm_jstr(s, "reason", NULL));
	if (vm->phase == VM_DONE) {
		/* In done, the phase started when the session ended. */
		if (vm_jint(s, "phase_started_at") > 0)
			vm->ended_at = vm_jint(s, "phase_started_at");
		vm->debrief_ends_at = vm_jint(s, "debrief_ends_at");
	}
	if (json_object_get(s, "overall") != NULL)
		overall_set(vm, json_object_get(s, "overall"));
	vm->dirty = 1;
	return 1;
}

static int
apply_match(struct vm *vm, const json_t *m, int64_t now)
{
	int64_t sid = vm_jint(m, "session_id");

	if (sid <= 0)
		return 0;
	session_start(vm, sid);
	role_set(vm, vm_jstr(m, "role", NULL));
	peer_set(vm, json_object_get(m, "peer"));
	vm->peer_connected = 1;
	vm_set_status(vm, now, "paired with %s: you are the %s",
	    vm->peer_name ? vm->peer_name : "?", vm_jstr(m, "role", "?"));
	return 1;
}

static int
apply_timer(struct vm *vm, const json_t *m, int64_t now)
{
	json_t *ends = json_object_get(m, "phase_ends_at");

	vm_set_clock(vm, vm_jint(m, "server_time"), now);
	phase_set(vm, vm_phase_from_name(vm_jstr(m, "phase", NULL)), now);
	if (json_is_integer(ends))
		vm->phase_ends_at = json_integer_value(ends);
	else if (json_is_integer(json_object_get(m, "remaining_ms")))
		/* No deadline given: derive one from what is left. */
		vm->phase_ends_at = vm_server_now(vm, now) + vm_jint(m,
		    "remaining_ms");
	return 1;
}

/* A phase change: the new phase and its times (the rest stays). */
static int
apply_phase(struct vm *vm, const json_t *m, int64_t now)
{
	json_t *ends = json_object_get(m, "ends_at");
	enum vm_phase p = vm_phase_from_name(vm_jstr(m, "phase", NULL));
	int64_t before = vm->phase_ends_at;
	char d[32];

	vm_set_clock(vm, vm_jint(m, "server_time"), now);
	phase_set(vm, p, now);
	vm->phase_ends_at = json_is_integer(ends) ? json_integer_value(ends) :
	    0;
	/* The same phase, later: phase.extend (either side's screen). */
	if (p == vm->phase && before > 0 && vm->phase_ends_at > before) {
		int64_t add = vm->phase_ends_at - before;

		snprintf(d, sizeof d, "%lld:%02lld", (long long)(add / 60000),
		    (long long)(add / 1000 % 60));
		vm_set_status(vm, now, "%s has %s more", vm_phase_name(p), d);
	}
	return 1;
}

static int
apply_ended(struct vm *vm, const json_t *m, int64_t now)
{
	char how[256];
	int draft = vm->mode == VM_MODE_NOTE && vm->note_line.len > 0;

	phase_set(vm, VM_DONE, now);
	set_str(&vm->reason, vm_jstr(m, "reason", NULL));
	scores_set(vm, json_object_get(m, "scores"), NULL);
	overall_set(vm, json_object_get(m, "overall"));
	vm->phase_ends_at = 0;
	vm->ended_by = vm_jint(m, "by");
	if (vm->ended_at == 0 && vm->have_clock)
		vm->ended_at = vm_server_now(vm, now);
	vm->debrief_ends_at = vm_jint(m, "debrief_ends_at");
	if (draft)
		return 1;	/* phase_set said what became of the note */
	vm_ended_text(vm, how, sizeof how);
	if (vm->has_overall)
		vm_set_status(vm, now, "%s: overall %.2f / 4", how,
		    vm->overall);
	else
		vm_set_status(vm, now, "%s", how);
	return 1;
}

void
vm_ended_text(const struct vm *vm, char *buf, size_t len)
{
	const char *r = vm->reason != NULL ? vm->reason : "";
	const char *peer = vm->peer_name != NULL ? vm->peer_name :
	    "your peer";
	int mine = vm->ended_by != 0 && vm->ended_by == vm->my_id;
	int theirs = vm->ended_by != 0 && !mine;

	if (strcmp(r, "ended_early") == 0)
		snprintf(buf, len, "%s ended the session early", mine ? "you" :
		    vm->role == VM_CANDIDATE ? peer : "someone");
	else if (strcmp(r, "abandoned") == 0 && (mine || theirs))
		snprintf(buf, len, "%s left: the session was abandoned",
		    mine ? "you" : peer);
	else if (strcmp(r, "abandoned") == 0)
		snprintf(buf, len, "the session was abandoned%s",
		    vm->role == VM_CANDIDATE ? ": the interviewer was away "
		    "too long" : "");
	else if (strcmp(r, "no_show") == 0)
		snprintf(buf, len, "%s did not show up", peer);
	else if (strcmp(r, "completed") == 0)
		/* By the clock, or phase.next past scoring: by is null. */
		snprintf(buf, len, "the session is complete");
	else
		snprintf(buf, len, "the session is over (%s)", r[0] ? r :
		    "ended");
}

const char *
vm_peer_state(const struct vm *vm)
{
	/* What we last heard is not news while we cannot hear. */
	if (vm->link != VM_LINK_ONLINE)
		return "◌ unknown";
	if (vm->peer_connected)
		return "● connected";
	return vm->phase == VM_DONE ? "○ left" : "○ disconnected";
}

void
vm_back_to_queue(struct vm *vm)
{
	session_reset(vm);
	vm->session_id = 0;
	vm->rejoined = 0;
	vm->wait = VM_WAIT_QUEUE;
	vm->queue_position = vm->queue_waiting = 0;
	vm->have_waiting_for = 0;
	vm->queue_since = 0;
	free(vm->status);
	vm->status = NULL;
	vm->dirty = 1;
}

int
vm_apply(struct vm *vm, const json_t *msg, int64_t now)
{
	const char *type = vm_jstr(msg, "type", NULL);
	json_t *sid = json_object_get(msg, "session_id");
	int r = 0;

	if (type == NULL)
		return 0;
	/* Pushes about a session other than ours (an old one) are stale. */
	if (json_is_integer(sid) && vm->session_id != 0 &&
	    json_integer_value(sid) != vm->session_id &&
	    strcmp(type, "match") != 0 && strcmp(type, "session") != 0)
		return 0;
	if (strcmp(type, "match") == 0)
		r = apply_match(vm, msg, now);
	else if (strcmp(type, "session") == 0) {
		/* session.get wraps it: {session: {...}}; the push does not. */
		json_t *inner = json_object_get(msg, "session");

		r = vm_apply_session(vm, json_is_object(inner) ? inner : msg,
		    now);
	} else if (strcmp(type, "timer") == 0)
		r = apply_timer(vm, msg, now);
	else if (strcmp(type, "phase") == 0)
		r = apply_phase(vm, msg, now);
	else if (strcmp(type, "peer") == 0) {
		const char *st = vm_jstr(msg, "status", NULL);

		vm->peer_connected = st != NULL &&
		    strcmp(st, "connected") == 0;
		vm_set_status(vm, now, "%s %s", vm->peer_name ?
		    vm->peer_name : "your peer", vm->peer_connected ?
		    "is back" : "disconnected");
		r = 1;
	} else if (strcmp(type, "chat") == 0) {
		vm_chat_pushed(vm, msg);
		r = 1;
	} else if (strcmp(type, "note") == 0) {
		vm_note_pushed(vm, json_object_get(msg, "note"));
		r = 1;
	} else if (strcmp(type, "ended") == 0)
		r = apply_ended(vm, msg, now);
	else if (strcmp(type, "swap_proposed") == 0) {
		if (vm_jint(msg, "by") != vm->my_id || vm->my_id == 0) {
			vm->swap_offered = 1;
			vm_set_status(vm, now, "%s proposes to swap roles: "
			    "press s to accept", vm->peer_name ?
			    vm->peer_name : "your peer");
		}
		r = 1;
	} else if (strcmp(type, "queue") == 0) {
		json_t *wf = json_object_get(msg, "waiting_for");

		vm->queue_position = (int)vm_jint(msg, "position");
		vm->queue_waiting = (int)vm_jint(msg, "waiting");
		if (json_is_object(wf)) {
			vm->have_waiting_for = 1;
			vm->wait_candidates = (int)vm_jint(wf, "candidates");
			vm->wait_interviewers = (int)vm_jint(wf,
			    "interviewers");
			vm->wait_either = (int)vm_jint(wf, "either");
		}
		if (vm_jint(msg, "since") > 0)
			vm->queue_since = vm_jint(msg, "since");
		r = 1;
	} else if (strcmp(type, "logged_out") == 0) {
		vm->logged_out = 1;
		r = 1;
	}
	if (r)
		vm->dirty = 1;
	return r;
}
