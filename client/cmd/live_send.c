/*
 * live_send.c — the notes and chat messages the user made, on their way
 * to the server (see live_int.h): each sent once it can be, with a
 * client_id that makes a resend after a reconnect safe; sent again
 * later when the server says to slow down; marked refused otherwise.
 */
#include <string.h>

#include "live_int.h"
#include "xmalloc.h"

static void
on_resend(uv_timer_t *t)
{
	struct live *l = t->data;

	live_flush(l);
	live_redraw(l);
}

/*
 * Whether reply is rate_limited: then send again what was refused, when
 * the server said to (retry_after_ms), rather than drop it.
 */
static int
slow_down(struct live *l, const json_t *reply)
{
	const char *code = rpc_error_code(reply);
	json_int_t wait;

	if (code == NULL || strcmp(code, "rate_limited") != 0)
		return 0;
	wait = json_integer_value(json_object_get(reply, "retry_after_ms"));
	if (wait < LIVE_MIN_RESEND_MS)
		wait = LIVE_MIN_RESEND_MS;
	if (!uv_is_active((uv_handle_t *)&l->resend))
		uv_timer_start(&l->resend, on_resend, (uint64_t)wait, 0);
	return 1;
}

static void
note_reply(struct rpc *r, json_t *reply, void *arg)
{
	struct ref *ref = arg;
	struct live *l = ref->l;

	/* No reply: the connection dropped; vm_link_lost requeues it. */
	if (reply != NULL && slow_down(l, reply))
		vm_note_retry(&l->vm, ref->client_id);
	else if (reply != NULL && rpc_is_ok(reply))
		vm_note_acked(&l->vm, ref->client_id, json_integer_value(
		    json_object_get(reply, "note_id")), json_integer_value(
		    json_object_get(reply, "at")));
	else if (reply != NULL) {
		vm_note_refused(&l->vm, ref->client_id,
		    rpc_error_message(reply));
		live_status_error(l, "note not saved", reply);
	}
	live_ref_free(ref);
	live_redraw(l);
}

static void
chat_reply(struct rpc *r, json_t *reply, void *arg)
{
	struct ref *ref = arg;
	struct live *l = ref->l;

	if (reply != NULL && slow_down(l, reply))
		vm_chat_retry(&l->vm, ref->chat_id);
	else if (reply != NULL && rpc_is_ok(reply))
		vm_chat_delivered(&l->vm, ref->chat_id, json_integer_value(
		    json_object_get(reply, "at")));
	else if (reply != NULL) {
		vm_chat_refused(&l->vm, ref->chat_id);
		live_status_error(l, "message not sent", reply);
	}
	live_ref_free(ref);
	live_redraw(l);
}

/*
 * Send everything UNSENT, when we can. Should the connection turn out
 * to be gone after all, the NULL replies change nothing and the link's
 * loss (vm_link_lost) makes the messages UNSENT again.
 */
void
live_flush(struct live *l)
{
	struct vm *vm = &l->vm;

	if (!l->authed || vm->session_id == 0 ||
	    rpc_state(l->ctx->rpc) != RPC_OPEN)
		return;
	for (size_t i = 0; i < vm->n_notes; i++) {
		struct ref *ref;

		if (vm->notes[i].state != VM_SEND_UNSENT)
			continue;
		ref = live_ref_new(l);
		ref->client_id = xstrdup(vm->notes[i].client_id);
		rpc_call(l->ctx->rpc, "note.add", vm_note_request(vm, i), 0,
		    note_reply, ref);
		vm->notes[i].state = VM_SEND_INFLIGHT;
	}
	for (size_t i = 0; i < vm->n_chat; i++) {
		struct ref *ref;

		if (vm->chat[i].state != VM_SEND_UNSENT)
			continue;
		ref = live_ref_new(l);
		ref->chat_id = vm->chat[i].local_id;
		/* The client_id makes a resend after a reconnect safe: the
		 * server stores a message once per client_id. */
		rpc_call(l->ctx->rpc, "chat.send", json_pack("{s:I,s:s,s:s}",
		    "session_id", (json_int_t)vm->session_id, "text",
		    vm->chat[i].text, "client_id", vm->chat[i].client_id), 0,
		    chat_reply, ref);
		vm->chat[i].state = VM_SEND_INFLIGHT;
	}
}
