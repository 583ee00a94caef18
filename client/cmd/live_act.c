/*
 * live_act.c — what the interview screen's keys ask for, and the way in
 * (see live_int.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "live_int.h"
#include "ui.h"
#include "xmalloc.h"

#define LEAVE_TIMEOUT_MS	2000

static void
simple_reply(struct rpc *r, json_t *reply, void *arg)
{
	struct ref *ref = arg;
	struct live *l = ref->l;

	if (reply == NULL || !rpc_is_ok(reply))
		live_status_error(l, ref->what, reply);
	live_ref_free(ref);
	live_redraw(l);
}

static void
swap_reply(struct rpc *r, json_t *reply, void *arg)
{
	struct ref *ref = arg;
	struct live *l = ref->l;

	if (reply != NULL && rpc_is_ok(reply)) {
		if (json_is_true(json_object_get(reply, "pending"))) {
			l->vm.swap_pending = 1;
			vm_set_status(&l->vm, rpc_mono_ms(), "swap proposed: "
			    "waiting for %s", l->vm.peer_name ?
			    l->vm.peer_name : "your peer");
		}
	} else
		live_status_error(l, "swap", reply);
	live_ref_free(ref);
	live_redraw(l);
}

static void
feedback_reply(struct rpc *r, json_t *reply, void *arg)
{
	struct ref *ref = arg;
	struct live *l = ref->l;

	if (reply != NULL && rpc_is_ok(reply)) {
		l->vm.feedback_sent = 1;
		vm_line_clear(&l->vm.note_line);
		vm_set_status(&l->vm, rpc_mono_ms(), "thank you: feedback "
		    "sent");
	} else {
		l->vm.feedback_rating = 0;
		live_status_error(l, "feedback", reply);
	}
	live_ref_free(ref);
	live_redraw(l);
}

static void
extend_reply(struct rpc *r, json_t *reply, void *arg)
{
	struct ref *ref = arg;
	struct live *l = ref->l;
	json_t *ends = json_object_get(reply, "ends_at");
	int64_t used;

	if (reply != NULL && rpc_is_ok(reply)) {
		used = json_integer_value(json_object_get(reply,
		    "extended_ms"));
		l->vm.extended_ms = used;
		if (json_is_integer(ends))
			l->vm.phase_ends_at = json_integer_value(ends);
		vm_set_status(&l->vm, rpc_mono_ms(), "+2:00 for %s: %lld of "
		    "10 extra minutes used", vm_phase_name(l->vm.phase),
		    (long long)(used / 60000));
	} else
		live_status_error(l, "more time", reply);
	live_ref_free(ref);
	live_redraw(l);
}

static void
leave_reply(struct rpc *r, json_t *reply, void *arg)
{
	struct ref *ref = arg;

	live_finish(ref->l, CMD_OK, "Left the queue.");
	live_ref_free(ref);
}

/* From an ended session back into the queue (Enter after a rejoin). */
static void
queue_reply(struct rpc *r, json_t *reply, void *arg)
{
	struct ref *ref = arg;
	struct live *l = ref->l;

	if (reply != NULL && rpc_is_ok(reply)) {
		vm_back_to_queue(&l->vm);
		l->vm.queue_position = (int)json_integer_value(
		    json_object_get(reply, "position"));
	} else
		live_status_error(l, "queue", reply);
	live_ref_free(ref);
	live_redraw(l);
}

static void
quit(struct live *l)
{
	struct vm *vm = &l->vm;

	if (vm->session_id == 0 && vm->wait == VM_WAIT_QUEUE && l->authed) {
		/* Leave the queue politely, but never wait long: the reply,
		 * or its absence, finishes. */
		rpc_call(l->ctx->rpc, "queue.leave", NULL, LEAVE_TIMEOUT_MS,
		    leave_reply, live_ref_new(l));
		return;
	}
	if (vm->session_id == 0)
		live_finish(l, CMD_OK, vm->wait == VM_WAIT_QUEUE ?
		    "Left the queue." : NULL);
	else
		live_finish(l, CMD_OK, NULL);
}

void
live_act(struct live *l, enum vm_act a)
{
	struct vm *vm = &l->vm;
	json_t *f;

	switch (a) {
	case VM_ACT_PHASE_NEXT:
		live_session_call(l, "phase.next", "next phase", simple_reply,
		    NULL);
		break;
	case VM_ACT_EXTEND:
		live_session_call(l, "phase.extend", "more time", extend_reply,
		    NULL);
		break;
	case VM_ACT_END:
		live_session_call(l, "session.end", "end", simple_reply, NULL);
		break;
	case VM_ACT_SWAP:
		live_session_call(l, "session.swap", "swap", swap_reply, NULL);
		break;
	case VM_ACT_FEEDBACK:
		f = json_pack("{s:i}", "rating", vm->feedback_rating);
		if (vm->note_line.len > 0)
			json_object_set_new(f, "text", json_string(
			    vm_line_text(&vm->note_line)));
		live_session_call(l, "feedback.give", "feedback",
		    feedback_reply, f);
		break;
	case VM_ACT_QUEUE:
		rpc_call(l->ctx->rpc, "queue.join", live_queue_fields(l->o),
		    CMD_REPLY_MS, queue_reply, live_ref_new(l));
		break;
	case VM_ACT_SUSPEND:
		ui_suspend();
		vm->dirty = 1;
		break;
	case VM_ACT_QUIT:
		quit(l);
		break;
	default:
		break;
	}
}

json_t *
live_queue_fields(const struct live_opts *o)
{
	json_t *f = json_pack("{s:s}", "role", o->role ? o->role : "either");

	if (o->category != NULL)
		json_object_set_new(f, "category", json_string(o->category));
	if (o->difficulty != NULL)
		json_object_set_new(f, "difficulty",
		    json_string(o->difficulty));
	return f;
}

/* ---- the way in ---- */

/* ", " between the distinct values of field k in qs, into buf. */
static void
distinct(const json_t *qs, const char *k, char *buf, size_t len)
{
	size_t i, off = 0;
	json_t *q;

	buf[0] = '\0';
	json_array_foreach(qs, i, q) {
		const char *v = json_string_value(json_object_get(q, k));
		size_t j;

		if (v == NULL)
			continue;
		for (j = 0; j < i; j++)
			if (json_equal(json_object_get(json_array_get(qs, j),
			    k), json_object_get(q, k)))
				break;
		if (j < i || off + strlen(v) + 3 >= len)
			continue;
		off += (size_t)snprintf(buf + off, len - off, "%s%s",
		    off ? ", " : "", v);
	}
}

/*
 * --category and --difficulty against the bank (questions.list): an
 * unknown one is a usage error that lists the choices. A server without
 * questions.list is not asked again: the queue takes any category.
 */
int
live_check_prefs(struct live *l)
{
	struct cmd_ctx *ctx = l->ctx;
	const struct live_opts *o = l->o;
	json_t *f = json_object(), *r, *all;
	char choices[1024];

	if (o->category == NULL && o->difficulty == NULL) {
		json_decref(f);
		return CMD_OK;
	}
	if (o->category != NULL)
		json_object_set_new(f, "category", json_string(o->category));
	if (o->difficulty != NULL)
		json_object_set_new(f, "difficulty",
		    json_string(o->difficulty));
	r = cmd_sanitize(rpc_call_sync(ctx->rpc, "questions.list", f,
	    CMD_REPLY_MS, choices, sizeof choices));
	if (r == NULL || !rpc_is_ok(r)) {
		/* An older server: the queue takes any category there. */
		json_decref(r);
		return CMD_OK;
	}
	if (json_array_size(json_object_get(r, "questions")) > 0) {
		/* The bank's spelling, for the waiting screen. */
		const char *name = json_string_value(json_object_get(
		    json_array_get(json_object_get(r, "questions"), 0),
		    "category"));

		if (o->category != NULL && name != NULL) {
			free(l->vm.queue_category);
			l->vm.queue_category = xstrdup(name);
		}
		json_decref(r);
		return CMD_OK;
	}
	json_decref(r);
	all = cmd_request(ctx, "questions.list", o->category != NULL &&
	    o->difficulty != NULL ? json_pack("{s:s}", "category",
	    o->category) : NULL);
	if (all == NULL)
		return CMD_FAIL;
	if (o->difficulty != NULL && o->category != NULL &&
	    json_array_size(json_object_get(all, "questions")) > 0) {
		distinct(json_object_get(all, "questions"), "difficulty",
		    choices, sizeof choices);
		cmd_error("no %s questions in '%s' (it has: %s)",
		    o->difficulty, o->category, choices);
	} else if (o->category != NULL) {
		json_decref(all);
		all = cmd_request(ctx, "questions.list", NULL);
		if (all == NULL)
			return CMD_FAIL;
		distinct(json_object_get(all, "questions"), "category",
		    choices, sizeof choices);
		cmd_error("no questions in category '%s'; the categories are: "
		    "%s ('mockint questions' lists them)", o->category,
		    choices);
	} else
		cmd_error("no %s questions in the bank", o->difficulty);
	json_decref(all);
	return CMD_USAGE;
}

/*
 * The user's last session, when it ended a moment ago and is still open
 * for something (a swap, the debrief chat): the screen goes back to it
 * rather than to the queue, so that a peer who left can still accept a
 * swap. 1 when it did.
 */
static int
rejoin(struct live *l)
{
	struct cmd_ctx *ctx = l->ctx;
	json_t *h, *e, *g, *s;
	int64_t now = rpc_mono_ms(), id;
	int back = 0;

	h = cmd_sanitize(rpc_call_sync(ctx->rpc, "history.list", json_pack(
	    "{s:i}", "limit", 1), CMD_REPLY_MS, NULL, 0));
	e = json_array_get(json_object_get(h, "sessions"), 0);
	id = json_integer_value(json_object_get(e, "session_id"));
	if (!rpc_is_ok(h) || e == NULL || !json_is_string(json_object_get(e,
	    "reason"))) {
		json_decref(h);
		return 0;
	}
	g = cmd_sanitize(rpc_call_sync(ctx->rpc, "session.get", json_pack(
	    "{s:I}", "session_id", (json_int_t)id), CMD_REPLY_MS, NULL, 0));
	s = json_object_get(g, "session");
	if (rpc_is_ok(g) && json_is_object(s)) {
		vm_apply_session(&l->vm, s, now);
		if (l->vm.phase == VM_DONE && (vm_debrief_open(&l->vm, now) ||
		    vm_swap_left_ms(&l->vm, now) > 0)) {
			l->vm.rejoined = 1;
			back = 1;
		} else
			vm_back_to_queue(&l->vm);
	}
	json_decref(g);
	json_decref(h);
	return back;
}

static int
join_queue(struct live *l)
{
	json_t *r;

	if (rejoin(l))
		return CMD_OK;
	if ((r = cmd_request(l->ctx, "queue.join", live_queue_fields(l->o))) ==
	    NULL)
		return CMD_FAIL;
	l->vm.wait = VM_WAIT_QUEUE;
	if (l->vm.queue_position == 0)
		l->vm.queue_position = (int)json_integer_value(
		    json_object_get(r, "position"));
	json_decref(r);
	return CMD_OK;
}

int
live_join(struct live *l)
{
	struct cmd_ctx *ctx = l->ctx;
	const struct live_opts *o = l->o;
	const char *code;
	json_t *r;

	/* Already in a live session: that is where we go (its session
	 * push follows the auth reply). */
	if (ctx->session != NULL)
		return CMD_OK;
	switch (o->how) {
	case LIVE_QUEUE:
		return join_queue(l);
	case LIVE_ROOM_CREATE:
		if ((r = cmd_request(ctx, "room.create", json_pack("{s:s}",
		    "role", o->role ? o->role : "candidate"))) == NULL)
			return CMD_FAIL;
		l->vm.wait = VM_WAIT_ROOM;
		free(l->vm.room_code);
		code = json_string_value(json_object_get(r, "code"));
		l->vm.room_code = xstrdup(code != NULL ? code : "?");
		printf("Room code: %s\nYour partner runs: mockint room join "
		    "%s\n", l->vm.room_code, l->vm.room_code);
		fflush(stdout);
		break;
	case LIVE_ROOM_JOIN:
		if ((r = cmd_request(ctx, "room.join", json_pack("{s:s}",
		    "code", o->code))) == NULL)
			return CMD_FAIL;
		break;
	default:
		return CMD_FAIL;
	}
	json_decref(r);
	return CMD_OK;
}
