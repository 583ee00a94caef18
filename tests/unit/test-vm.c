/*
 * test-vm.c — the interview screen's view model without a terminal: the
 * state after each kind of push, the countdown from the server's clock,
 * notes from key to acknowledgement and their resend after a reconnect,
 * chat delivery, the keys, and typed input surviving reconnects
 * (test-vm-controls.c: the controls and the session's end).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vm-test.h"

static void
test_match_and_session(void **state)
{
	struct vm vm;

	vm_init(&vm);
	vm.my_id = 1;
	vm.wait = VM_WAIT_QUEUE;
	apply(&vm, "{\"type\":\"queue\",\"position\":2,\"waiting\":3}", 0);
	assert_int_equal(vm.queue_position, 2);
	assert_int_equal(vm.queue_waiting, 3);
	assert_int_equal(vm.session_id, 0);

	apply(&vm, "{\"type\":\"match\",\"session_id\":12,\"role\":"
	    "\"interviewer\",\"peer\":{\"user_id\":2,\"username\":\"bob\"}}",
	    LOCAL_T);
	assert_int_equal(vm.session_id, 12);
	assert_int_equal(vm.role, VM_INTERVIEWER);
	assert_string_equal(vm.peer_name, "bob");
	assert_int_equal(vm.wait, VM_WAIT_NONE);

	apply(&vm, interviewer_session, LOCAL_T);
	assert_int_equal(vm.phase, VM_ANSWER);
	assert_string_equal(vm.q.title, "Own a problem");
	assert_string_equal(vm.q.model_answer, "The invoice job.");
	assert_string_equal(vm.q.quick_answer, "Ownership.");
	assert_int_equal(vm.n_items, 3);
	assert_int_equal(vm.n_flags, 1);
	assert_string_equal(vm.items[1].label, "Action");
	assert_int_equal(vm.items[0].score, 3);
	assert_int_equal(vm.items[1].score, 0);
	assert_int_equal(vm.n_notes, 1);
	assert_int_equal(vm.notes[0].state, VM_SEND_DONE);
	assert_int_equal(vm.n_chat, 1);
	assert_false(vm.chat[0].mine);
	assert_true(vm.peer_connected);
	vm_free(&vm);
}

static void
test_candidate_sees_no_answer(void **state)
{
	struct vm vm;

	vm_init(&vm);
	apply(&vm, "{\"type\":\"session\",\"session_id\":3,\"phase\":\"prep\","
	    "\"phase_ends_at\":1000000060000,\"server_time\":1000000000000,"
	    "\"role\":\"candidate\",\"peer\":{\"user_id\":1,\"username\":"
	    "\"alice\",\"connected\":true},\"question\":{\"id\":\"q1\","
	    "\"title\":\"T\",\"prompt\":\"P\",\"category\":\"C\","
	    "\"difficulty\":\"easy\",\"company\":\"\",\"role\":\"\","
	    "\"round\":\"\"},\"chat\":[]}", LOCAL_T);
	assert_int_equal(vm.role, VM_CANDIDATE);
	assert_null(vm.q.model_answer);
	assert_null(vm.q.quick_answer);
	assert_int_equal(vm.n_items, 0);
	/* The candidate's keys never make notes. */
	assert_int_equal(vm_key(&vm, '3', LOCAL_T), VM_ACT_NONE);
	assert_int_equal(vm_key(&vm, 'n', LOCAL_T), VM_ACT_NONE);
	assert_int_equal(vm.n_notes, 0);
	assert_int_equal(vm.mode, VM_MODE_NORMAL);
	vm_free(&vm);
}

static void
test_countdown_uses_server_clock(void **state)
{
	struct vm vm;

	setup_interviewer(&vm);
	/* 60 s left at receipt, whatever the local wall clock says. */
	assert_int_equal(vm_remaining_ms(&vm, LOCAL_T), 60000);
	assert_int_equal(vm_remaining_ms(&vm, LOCAL_T + 10000), 50000);
	assert_int_equal(vm_remaining_ms(&vm, LOCAL_T + 59999), 1);
	assert_int_equal(vm_remaining_ms(&vm, LOCAL_T + 70000), 0);
	assert_int_equal(vm_server_now(&vm, LOCAL_T + 1), SERVER_T + 1);

	/* A timer push re-bases the clock: the server is 2 s further on. */
	apply(&vm, "{\"type\":\"timer\",\"session_id\":12,\"phase\":"
	    "\"answer\",\"phase_ends_at\":1000000060000,\"remaining_ms\":"
	    "10000,\"server_time\":1000000050000}", LOCAL_T + 48000);
	assert_int_equal(vm_remaining_ms(&vm, LOCAL_T + 48000), 10000);

	/* The next phase, from the timer push alone. */
	apply(&vm, "{\"type\":\"timer\",\"session_id\":12,\"phase\":"
	    "\"followup\",\"phase_ends_at\":1000000360000,\"remaining_ms\":"
	    "300000,\"server_time\":1000000060000}", LOCAL_T + 58000);
	assert_int_equal(vm.phase, VM_FOLLOWUP);
	assert_int_equal(vm_remaining_ms(&vm, LOCAL_T + 58000), 300000);

	/* done has no deadline. */
	apply(&vm, "{\"type\":\"ended\",\"session_id\":12,\"reason\":"
	    "\"completed\",\"scores\":{\"situation\":3,\"action\":2},"
	    "\"overall\":2.5}", LOCAL_T + 60000);
	assert_int_equal(vm_remaining_ms(&vm, LOCAL_T + 60000), -1);
	vm_free(&vm);
}

static void
test_peer_chat_note_ended_swap_pushes(void **state)
{
	struct vm vm;

	setup_interviewer(&vm);
	apply(&vm, "{\"type\":\"peer\",\"session_id\":12,\"status\":"
	    "\"disconnected\"}", LOCAL_T);
	assert_false(vm.peer_connected);
	apply(&vm, "{\"type\":\"peer\",\"session_id\":12,\"status\":"
	    "\"connected\"}", LOCAL_T);
	assert_true(vm.peer_connected);

	apply(&vm, "{\"type\":\"chat\",\"session_id\":12,\"from\":2,"
	    "\"username\":\"bob\",\"text\":\"ready?\",\"at\":1000000001000}",
	    LOCAL_T);
	assert_int_equal(vm.n_chat, 2);
	assert_string_equal(vm.chat[1].text, "ready?");

	/* A note from the interviewer's other terminal. */
	apply(&vm, "{\"type\":\"note\",\"session_id\":12,\"note\":{"
	    "\"note_id\":8,\"item\":\"hero\",\"text\":\"\",\"score\":null,"
	    "\"flag\":true,\"at\":1000000002000,\"client_id\":\"zz\"}}",
	    LOCAL_T);
	assert_int_equal(vm.n_notes, 2);
	assert_true(vm.flags[0].flagged);

	/* A push about another session is stale and ignored. */
	{
		json_t *j = J("{\"type\":\"peer\",\"session_id\":99,"
		    "\"status\":\"disconnected\"}");

		assert_int_equal(vm_apply(&vm, j, LOCAL_T), 0);
		json_decref(j);
		assert_true(vm.peer_connected);
	}

	apply(&vm, "{\"type\":\"ended\",\"session_id\":12,\"reason\":"
	    "\"completed\",\"scores\":{\"situation\":4,\"action\":2},"
	    "\"overall\":3.0}", LOCAL_T);
	assert_int_equal(vm.phase, VM_DONE);
	assert_string_equal(vm.reason, "completed");
	assert_true(vm.has_overall);
	assert_true(vm.overall == 3.0);
	assert_int_equal(vm.items[0].score, 4);
	assert_int_equal(vm.items[1].score, 2);
	assert_int_equal(vm.items[2].score, 0);

	apply(&vm, "{\"type\":\"swap_proposed\",\"session_id\":12,\"by\":2}",
	    LOCAL_T);
	assert_true(vm.swap_offered);
	/* s asks first: text typed by mistake must not swap. */
	assert_int_equal(vm_key(&vm, 's', LOCAL_T), VM_ACT_NONE);
	assert_int_equal(vm.mode, VM_MODE_CONFIRM_SWAP);
	assert_int_equal(vm_key(&vm, 'y', LOCAL_T), VM_ACT_SWAP);

	/* The swap's new session starts clean, roles reversed. */
	apply(&vm, "{\"type\":\"match\",\"session_id\":13,\"role\":"
	    "\"candidate\",\"peer\":{\"user_id\":2,\"username\":\"bob\"}}",
	    LOCAL_T);
	assert_int_equal(vm.session_id, 13);
	assert_int_equal(vm.role, VM_CANDIDATE);
	assert_int_equal(vm.n_notes, 0);
	assert_int_equal(vm.n_chat, 0);
	assert_false(vm.swap_offered);
	assert_int_equal(vm.phase, VM_PHASE_NONE);

	apply(&vm, "{\"type\":\"logged_out\",\"reason\":\"logout\"}", LOCAL_T);
	assert_true(vm.logged_out);
	vm_free(&vm);
}

static int
is_hex32(const char *s)
{
	if (s == NULL || strlen(s) != 32)
		return 0;
	for (; *s; s++)
		if (!strchr("0123456789abcdef", *s))
			return 0;
	return 1;
}

static void
test_scoring_keys_make_notes(void **state)
{
	struct vm vm;
	json_t *req;

	setup_interviewer(&vm);
	vm.focus = VM_PANE_CHECKLIST;
	/* Down to "Action", score it 4: shown at once, pending. */
	vm_key(&vm, VM_KEY_DOWN, LOCAL_T);
	assert_int_equal(vm.cursor, 1);
	assert_int_equal(vm_key(&vm, '4', LOCAL_T), VM_ACT_NONE);
	assert_int_equal(vm.n_notes, 2);
	assert_int_equal(vm.items[1].score, 4);
	assert_int_equal(vm.notes[1].state, VM_SEND_UNSENT);
	assert_true(is_hex32(vm.notes[1].client_id));

	req = vm_note_request(&vm, 1);
	assert_int_equal(json_integer_value(json_object_get(req,
	    "session_id")), 12);
	assert_string_equal(json_string_value(json_object_get(req, "item")),
	    "action");
	assert_int_equal(json_integer_value(json_object_get(req, "score")),
	    4);
	assert_string_equal(json_string_value(json_object_get(req,
	    "client_id")), vm.notes[1].client_id);
	assert_null(json_object_get(req, "text"));
	assert_null(json_object_get(req, "flag"));
	json_decref(req);

	/* n: a note on the item under the cursor, Enter saves it. */
	assert_int_equal(vm_key(&vm, 'n', LOCAL_T), VM_ACT_NONE);
	assert_int_equal(vm.mode, VM_MODE_NOTE);
	assert_string_equal(vm.note_item, "action");
	type(&vm, "clear steps, \"numbers\"");
	vm_key(&vm, VM_KEY_ENTER, LOCAL_T);
	assert_int_equal(vm.mode, VM_MODE_NORMAL);
	assert_int_equal(vm.n_notes, 3);
	assert_string_equal(vm.notes[2].text, "clear steps, \"numbers\"");
	assert_string_equal(vm.notes[2].item, "action");
	assert_int_equal(vm.notes[2].score, 0);
	assert_string_equal(vm_line_text(&vm.note_line), "");
	/* Two notes, two different ids. */
	assert_string_not_equal(vm.notes[1].client_id, vm.notes[2].client_id);

	/* g: a general note. */
	vm_key(&vm, 'g', LOCAL_T);
	type(&vm, "good energy");
	vm_key(&vm, VM_KEY_ENTER, LOCAL_T);
	assert_string_equal(vm.notes[3].item, "general");

	/* r only on a red flag; the cursor walks into them. */
	vm_key(&vm, 'r', LOCAL_T);
	assert_int_equal(vm.n_notes, 4);
	vm_key(&vm, VM_KEY_DOWN, LOCAL_T);
	vm_key(&vm, VM_KEY_DOWN, LOCAL_T);
	assert_int_equal(vm.cursor, 3);
	vm_key(&vm, '2', LOCAL_T);	/* a score on a flag: refused */
	assert_int_equal(vm.n_notes, 4);
	vm_key(&vm, 'r', LOCAL_T);
	assert_int_equal(vm.n_notes, 5);
	assert_int_equal(vm.notes[4].flag, 1);
	assert_true(vm.flags[0].flagged);
	vm_key(&vm, 'r', LOCAL_T);
	assert_int_equal(vm.notes[5].flag, 0);
	assert_false(vm.flags[0].flagged);
	/* The cursor stops at the last row. */
	vm_key(&vm, VM_KEY_DOWN, LOCAL_T);
	assert_int_equal(vm.cursor, 3);

	/* Esc cancels a note but keeps the draft. */
	vm_key(&vm, 'g', LOCAL_T);
	type(&vm, "half a tho");
	vm_key(&vm, VM_KEY_ESC, LOCAL_T);
	assert_int_equal(vm.mode, VM_MODE_NORMAL);
	assert_int_equal(vm.n_notes, 6);
	vm_key(&vm, 'g', LOCAL_T);
	assert_string_equal(vm_line_text(&vm.note_line), "half a tho");
	vm_free(&vm);
}

static void
test_ack_and_resend_after_reconnect(void **state)
{
	struct vm vm;
	char *a, *b, *c, session[4096];

	setup_interviewer(&vm);
	vm_note_add(&vm, "action", "", 2, -1);
	vm_note_add(&vm, "result", "", 3, -1);
	vm_note_add(&vm, "general", "third", 0, -1);
	a = strdup(vm.notes[1].client_id);
	b = strdup(vm.notes[2].client_id);
	c = strdup(vm.notes[3].client_id);
	assert_int_equal(vm_notes_pending(&vm), 3);

	/* All three go out; a is acknowledged. */
	for (size_t i = 1; i < 4; i++)
		vm.notes[i].state = VM_SEND_INFLIGHT;
	vm_note_acked(&vm, a, 20, 1000000003000);
	assert_int_equal(vm_note_by_client_id(&vm, a)->state, VM_SEND_DONE);
	assert_int_equal(vm_note_by_client_id(&vm, a)->note_id, 20);
	assert_int_equal(vm_notes_pending(&vm), 2);

	/* The connection drops: in flight becomes unsent, to resend. */
	vm_link_lost(&vm);
	assert_int_equal(vm_note_by_client_id(&vm, b)->state, VM_SEND_UNSENT);
	assert_int_equal(vm_note_by_client_id(&vm, c)->state, VM_SEND_UNSENT);
	assert_int_equal(vm_note_by_client_id(&vm, a)->state, VM_SEND_DONE);

	/*
	 * After reconnecting, the session push shows the server stored b
	 * before the drop (its ack was lost) but never saw c; and it lost
	 * track of our score for "result"? No: it has b's score.
	 */
	snprintf(session, sizeof session, "{\"type\":\"session\","
	    "\"session_id\":12,\"phase\":\"answer\",\"phase_ends_at\":"
	    "1000000060000,\"server_time\":1000000010000,\"role\":"
	    "\"interviewer\",\"peer\":{\"user_id\":2,\"username\":\"bob\","
	    "\"connected\":true},\"chat\":[],\"notes\":["
	    "{\"note_id\":7,\"item\":\"situation\",\"text\":\"clear\","
	    "\"score\":3,\"flag\":null,\"at\":1,\"client_id\":\"c-old\"},"
	    "{\"note_id\":20,\"item\":\"action\",\"text\":\"\",\"score\":2,"
	    "\"flag\":null,\"at\":2,\"client_id\":\"%s\"},"
	    "{\"note_id\":21,\"item\":\"result\",\"text\":\"\",\"score\":3,"
	    "\"flag\":null,\"at\":3,\"client_id\":\"%s\"}],"
	    "\"scores\":{\"situation\":3,\"action\":2,\"result\":3},"
	    "\"flags\":{}}", a, b);
	apply(&vm, session, LOCAL_T + 20000);
	assert_int_equal(vm.n_notes, 4);
	assert_int_equal(vm_note_by_client_id(&vm, b)->state, VM_SEND_DONE);
	assert_int_equal(vm_note_by_client_id(&vm, b)->note_id, 21);
	/* Only c is left to send, once. */
	assert_int_equal(vm_notes_pending(&vm), 1);
	assert_int_equal(vm_note_by_client_id(&vm, c)->state, VM_SEND_UNSENT);
	assert_string_equal(vm_note_by_client_id(&vm, c)->text, "third");
	/* The clock followed the new push. */
	assert_int_equal(vm_remaining_ms(&vm, LOCAL_T + 20000), 50000);

	/* A refusal is final and visible. */
	vm_note_refused(&vm, c, "the session has ended");
	assert_int_equal(vm_note_by_client_id(&vm, c)->state, VM_SEND_FAILED);
	assert_int_equal(vm_notes_pending(&vm), 0);
	free(a);
	free(b);
	free(c);
	vm_free(&vm);
}

static void
test_pending_score_survives_session_push(void **state)
{
	struct vm vm;

	setup_interviewer(&vm);
	vm_note_add(&vm, "result", "", 4, -1);
	/* A phase change arrives before the server has the score. */
	apply(&vm, interviewer_session, LOCAL_T + 100);
	assert_int_equal(vm.items[2].score, 4);
	assert_int_equal(vm_notes_pending(&vm), 1);
	vm_free(&vm);
}

static void
test_chat_delivery_and_resend(void **state)
{
	struct vm vm;
	uint64_t id1, id2;

	setup_interviewer(&vm);
	vm.focus = VM_PANE_CHAT;
	type(&vm, "first");
	vm_key(&vm, VM_KEY_ENTER, LOCAL_T);
	type(&vm, "second");
	vm_key(&vm, VM_KEY_ENTER, LOCAL_T);
	assert_int_equal(vm.n_chat, 3);
	assert_true(vm.chat[1].mine);
	assert_int_equal(vm.chat[1].state, VM_SEND_UNSENT);
	assert_string_equal(vm_line_text(&vm.chat_line), "");
	id1 = vm.chat[1].local_id;
	id2 = vm.chat[2].local_id;
	vm.chat[1].state = vm.chat[2].state = VM_SEND_INFLIGHT;
	vm_chat_delivered(&vm, id1, 1000000004000);
	assert_int_equal(vm_chat_by_local_id(&vm, id1)->state, VM_SEND_DONE);

	/* Dropped with "second" in flight; the server did get it. */
	vm_link_lost(&vm);
	assert_int_equal(vm_chat_by_local_id(&vm, id2)->state, VM_SEND_UNSENT);
	apply(&vm, "{\"type\":\"session\",\"session_id\":12,\"phase\":"
	    "\"answer\",\"phase_ends_at\":1000000060000,\"server_time\":"
	    "1000000010000,\"role\":\"interviewer\",\"peer\":{\"user_id\":2,"
	    "\"username\":\"bob\",\"connected\":true},\"chat\":["
	    "{\"from\":2,\"username\":\"bob\",\"text\":\"hi\",\"at\":1},"
	    "{\"from\":1,\"username\":\"alice\",\"text\":\"first\",\"at\":2},"
	    "{\"from\":1,\"username\":\"alice\",\"text\":\"second\",\"at\":3}"
	    "]}", LOCAL_T);
	/* Not shown twice, not sent twice. */
	assert_int_equal(vm.n_chat, 3);
	for (size_t i = 0; i < vm.n_chat; i++)
		assert_int_equal(vm.chat[i].state, VM_SEND_DONE);
	assert_true(vm.chat[2].mine);

	/* One typed while offline and never seen by the server stays. */
	type(&vm, "third");
	vm_key(&vm, VM_KEY_ENTER, LOCAL_T);
	apply(&vm, "{\"type\":\"session\",\"session_id\":12,\"phase\":"
	    "\"answer\",\"server_time\":1000000010000,\"role\":\"interviewer\","
	    "\"chat\":[{\"from\":2,\"username\":\"bob\",\"text\":\"hi\","
	    "\"at\":1}]}", LOCAL_T);
	assert_int_equal(vm.n_chat, 2);
	assert_string_equal(vm.chat[1].text, "third");
	assert_int_equal(vm.chat[1].state, VM_SEND_UNSENT);

	/* With client_ids the match is exact: the server's earlier "third"
	 * of ours (another client_id) is not this one, which stays unsent;
	 * the one with its own client_id is found. */
	{
		char snap[1024], *cid = vm.chat[1].client_id;

		assert_non_null(cid);
		assert_int_equal(strlen(cid), 32);
		snprintf(snap, sizeof snap, "{\"type\":\"session\","
		    "\"session_id\":12,\"phase\":\"answer\",\"server_time\":"
		    "1000000010000,\"role\":\"interviewer\",\"chat\":["
		    "{\"from\":1,\"username\":\"alice\",\"text\":\"third\","
		    "\"at\":4,\"client_id\":\"an-older-one\"}]}");
		apply(&vm, snap, LOCAL_T);
		assert_int_equal(vm.n_chat, 2);
		assert_int_equal(vm.chat[1].state, VM_SEND_UNSENT);
		snprintf(snap, sizeof snap, "{\"type\":\"session\","
		    "\"session_id\":12,\"phase\":\"answer\",\"server_time\":"
		    "1000000010000,\"role\":\"interviewer\",\"chat\":["
		    "{\"from\":1,\"username\":\"alice\",\"text\":\"third\","
		    "\"at\":4,\"client_id\":\"an-older-one\"},"
		    "{\"from\":1,\"username\":\"alice\",\"text\":\"third\","
		    "\"at\":5,\"client_id\":\"%s\"}]}", vm.chat[1].client_id);
		apply(&vm, snap, LOCAL_T);
		assert_int_equal(vm.n_chat, 2);
		for (size_t i = 0; i < vm.n_chat; i++)
			assert_int_equal(vm.chat[i].state, VM_SEND_DONE);
		(void)cid;
	}
	vm_free(&vm);
}

static void
test_input_survives_reconnect(void **state)
{
	struct vm vm;

	setup_interviewer(&vm);
	vm.focus = VM_PANE_CHAT;
	type(&vm, "half a sent");
	vm_key(&vm, VM_KEY_BACKSPACE, LOCAL_T);
	vm_key(&vm, VM_KEY_BACKSPACE, LOCAL_T);
	vm_key(&vm, VM_KEY_BACKSPACE, LOCAL_T);
	vm_key(&vm, VM_KEY_BACKSPACE, LOCAL_T);
	type(&vm, "thought");
	vm.focus = VM_PANE_CHECKLIST;
	vm_key(&vm, 'g', LOCAL_T);
	type(&vm, "draft note");

	/* Drop, reconnecting, a fresh session push: nothing typed is lost. */
	vm_link_lost(&vm);
	vm_set_link(&vm, VM_LINK_RECONNECTING, 2, LOCAL_T + 2000);
	apply(&vm, interviewer_session, LOCAL_T + 3000);
	vm_set_link(&vm, VM_LINK_ONLINE, 0, 0);
	assert_string_equal(vm_line_text(&vm.chat_line), "half a thought");
	assert_string_equal(vm_line_text(&vm.note_line), "draft note");
	assert_int_equal(vm.mode, VM_MODE_NOTE);
	vm_free(&vm);
}

static void
test_line_editing_utf8(void **state)
{
	struct vm_line l = { 0 };

	vm_line_insert(&l, 'a');
	vm_line_insert(&l, 0xe9);	/* é: 2 bytes */
	vm_line_insert(&l, 0x2192);	/* →: 3 bytes */
	vm_line_insert(&l, 0x1f600);	/* 😀: 4 bytes */
	assert_string_equal(vm_line_text(&l), "a\xc3\xa9\xe2\x86\x92"
	    "\xf0\x9f\x98\x80");
	vm_line_backspace(&l);
	assert_string_equal(vm_line_text(&l), "a\xc3\xa9\xe2\x86\x92");
	vm_line_left(&l);
	vm_line_left(&l);
	vm_line_insert(&l, 'b');
	assert_string_equal(vm_line_text(&l), "ab\xc3\xa9\xe2\x86\x92");
	vm_line_delete(&l);
	assert_string_equal(vm_line_text(&l), "ab\xe2\x86\x92");
	/* Control characters and surrogates are not text. */
	vm_line_insert(&l, 7);
	vm_line_insert(&l, 0xd800);
	assert_string_equal(vm_line_text(&l), "ab\xe2\x86\x92");
	vm_line_clear(&l);
	assert_string_equal(vm_line_text(&l), "");
	vm_line_free(&l);
}

static void
test_confirmations_and_focus(void **state)
{
	struct vm vm;
	enum vm_pane panes[VM_PANE__COUNT];

	setup_interviewer(&vm);
	assert_int_equal(vm_panes(&vm, panes), 3);
	assert_int_equal(vm.focus, VM_PANE_CHECKLIST);
	vm_key(&vm, VM_KEY_TAB, LOCAL_T);
	assert_int_equal(vm.focus, VM_PANE_CHAT);
	vm_key(&vm, VM_KEY_TAB, LOCAL_T);
	assert_int_equal(vm.focus, VM_PANE_QUESTION);
	vm_key(&vm, VM_KEY_TAB, LOCAL_T);
	assert_int_equal(vm.focus, VM_PANE_CHECKLIST);

	/* ? shows help; any key closes it and does nothing else. */
	vm_key(&vm, '?', LOCAL_T);
	assert_true(vm.help);
	assert_int_equal(vm_key(&vm, 'e', LOCAL_T), VM_ACT_NONE);
	assert_false(vm.help);
	assert_int_equal(vm.mode, VM_MODE_NORMAL);

	/* e asks first. */
	assert_int_equal(vm_key(&vm, 'e', LOCAL_T), VM_ACT_NONE);
	assert_int_equal(vm.mode, VM_MODE_CONFIRM_END);
	assert_int_equal(vm_key(&vm, 'n', LOCAL_T), VM_ACT_NONE);
	assert_int_equal(vm.mode, VM_MODE_NORMAL);
	assert_int_equal(vm.n_notes, 1);	/* 'n' answered, not a note */
	vm_key(&vm, 'e', LOCAL_T);
	assert_int_equal(vm_key(&vm, 'y', LOCAL_T), VM_ACT_END);

	/* N asks too, like e. */
	assert_int_equal(vm_key(&vm, 'N', LOCAL_T), VM_ACT_NONE);
	assert_int_equal(vm.mode, VM_MODE_CONFIRM_NEXT);
	assert_int_equal(vm_key(&vm, 'y', LOCAL_T), VM_ACT_PHASE_NEXT);
	/* q while live asks; at done it quits. */
	vm_key(&vm, 'q', LOCAL_T);
	assert_int_equal(vm.mode, VM_MODE_CONFIRM_QUIT);
	assert_int_equal(vm_key(&vm, 'y', LOCAL_T), VM_ACT_QUIT);
	apply(&vm, "{\"type\":\"ended\",\"session_id\":12,\"reason\":"
	    "\"abandoned\",\"scores\":{},\"overall\":null}", LOCAL_T);
	assert_false(vm.has_overall);
	assert_int_equal(vm_key(&vm, '3', LOCAL_T), VM_ACT_NONE);
	assert_int_equal(vm.n_notes, 1);	/* no scoring after the end */
	assert_int_equal(vm_key(&vm, 'q', LOCAL_T), VM_ACT_QUIT);
	vm_free(&vm);
}

static void
test_candidate_feedback_keys(void **state)
{
	struct vm vm;

	vm_init(&vm);
	apply(&vm, "{\"type\":\"session\",\"session_id\":5,\"phase\":\"done\","
	    "\"phase_ends_at\":null,\"server_time\":1000000000000,\"role\":"
	    "\"candidate\",\"peer\":{\"user_id\":1,\"username\":\"alice\","
	    "\"connected\":true},\"chat\":[],\"notes\":[],\"scores\":{},"
	    "\"flags\":{},\"reason\":\"completed\",\"overall\":null}",
	    LOCAL_T);
	assert_int_equal(vm.phase, VM_DONE);
	vm_key(&vm, 'f', LOCAL_T);
	assert_int_equal(vm.mode, VM_MODE_RATE);
	vm_key(&vm, '9', LOCAL_T);
	assert_int_equal(vm.mode, VM_MODE_RATE);
	vm_key(&vm, '3', LOCAL_T);
	assert_int_equal(vm.feedback_rating, 3);
	assert_int_equal(vm.mode, VM_MODE_FEEDBACK);
	type(&vm, "useful");
	assert_int_equal(vm_key(&vm, VM_KEY_ENTER, LOCAL_T), VM_ACT_FEEDBACK);
	assert_string_equal(vm_line_text(&vm.note_line), "useful");
	vm_free(&vm);
}

static void
test_scroll_clamps(void **state)
{
	struct vm vm;

	setup_interviewer(&vm);
	vm.focus = VM_PANE_QUESTION;
	for (int i = 0; i < 50; i++)
		vm_key(&vm, VM_KEY_DOWN, LOCAL_T);
	assert_int_equal(vm.scroll[VM_PANE_QUESTION], 50);
	vm_clamp_scroll(&vm, VM_PANE_QUESTION, 30, 10);
	assert_int_equal(vm.scroll[VM_PANE_QUESTION], 20);
	vm_key(&vm, VM_KEY_PGUP, LOCAL_T);
	vm_key(&vm, VM_KEY_PGUP, LOCAL_T);
	vm_key(&vm, VM_KEY_PGUP, LOCAL_T);
	assert_int_equal(vm.scroll[VM_PANE_QUESTION], 0);
	vm_free(&vm);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_match_and_session),
		cmocka_unit_test(test_candidate_sees_no_answer),
		cmocka_unit_test(test_countdown_uses_server_clock),
		cmocka_unit_test(test_peer_chat_note_ended_swap_pushes),
		cmocka_unit_test(test_scoring_keys_make_notes),
		cmocka_unit_test(test_ack_and_resend_after_reconnect),
		cmocka_unit_test(test_pending_score_survives_session_push),
		cmocka_unit_test(test_chat_delivery_and_resend),
		cmocka_unit_test(test_input_survives_reconnect),
		cmocka_unit_test(test_line_editing_utf8),
		cmocka_unit_test(test_confirmations_and_focus),
		cmocka_unit_test(test_candidate_feedback_keys),
		cmocka_unit_test(test_scroll_clamps),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
