/*
 * test-vm-controls.c — the view model's controls and the session's end:
 * focus on the checklist, the clock's alerts, extend and clear, the latest
 * score per item, drafts, chat and keys after the end, the peer's state,
 * the ended and queue texts, what each phase is for.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "vm-test.h"

/* Bug 4: the interviewer starts on the checklist; the chat's Esc goes
 * back there; scoring keys elsewhere say where they work. */
static void
test_focus_opens_on_checklist(void **state)
{
	struct vm vm;

	setup_interviewer(&vm);
	assert_int_equal(vm.focus, VM_PANE_CHECKLIST);
	vm_key(&vm, 'c', LOCAL_T);
	assert_int_equal(vm.focus, VM_PANE_CHAT);
	vm_key(&vm, VM_KEY_ESC, LOCAL_T);
	assert_int_equal(vm.focus, VM_PANE_CHECKLIST);
	/* From the question pane, 3 scores nothing, and says why. */
	vm.focus = VM_PANE_QUESTION;
	vm_key(&vm, 'c', LOCAL_T);
	vm_key(&vm, VM_KEY_ESC, LOCAL_T);
	assert_int_equal(vm.focus, VM_PANE_QUESTION);
	vm_key(&vm, '3', LOCAL_T);
	assert_int_equal(vm.n_notes, 1);
	assert_non_null(strstr(vm.status, "Tab to it"));
	/* The candidate starts on the question. */
	vm_free(&vm);
	vm_init(&vm);
	apply(&vm, "{\"type\":\"match\",\"session_id\":3,\"role\":"
	    "\"candidate\",\"peer\":{\"user_id\":1,\"username\":\"a\"}}",
	    LOCAL_T);
	assert_int_equal(vm.focus, VM_PANE_QUESTION);
	vm_free(&vm);
}

/* The clock rings at a phase change and at 1:00 and 0:10 left, once
 * each; an extension re-arms them. */
static void
test_clock_alerts(void **state)
{
	struct vm vm;

	setup_interviewer(&vm);
	/* The first phase seen arms; 60 s left at LOCAL_T: passed. */
	assert_int_equal(vm_tick(&vm, LOCAL_T), 0);
	assert_int_equal(vm_tick(&vm, LOCAL_T + 1000), 0);
	assert_int_equal(vm_tick(&vm, LOCAL_T + 50000), VM_ALERT_BELL);
	assert_non_null(strstr(vm.status, "0:10 left in answer"));
	assert_int_equal(vm_tick(&vm, LOCAL_T + 50500), 0);
	/* Two more minutes: both marks come again. */
	apply(&vm, "{\"type\":\"phase\",\"session_id\":12,\"phase\":\"answer\","
	    "\"started_at\":999999990000,\"ends_at\":1000000180000,"
	    "\"server_time\":1000000051000}", LOCAL_T + 51000);
	assert_non_null(strstr(vm.status, "answer has 2:00 more"));
	assert_int_equal(vm_tick(&vm, LOCAL_T + 52000), 0);
	assert_int_equal(vm_tick(&vm, LOCAL_T + 120000), VM_ALERT_BELL);
	assert_non_null(strstr(vm.status, "1:00 left in answer"));
	/* A phase change rings. */
	apply(&vm, "{\"type\":\"phase\",\"session_id\":12,\"phase\":"
	    "\"scoring\",\"started_at\":1000000180000,\"ends_at\":"
	    "1000000240000,\"server_time\":1000000180000}", LOCAL_T + 130000);
	assert_int_equal(vm_tick(&vm, LOCAL_T + 130000), VM_ALERT_BELL);
	/* Bug 5: scoring's last seconds warn about an open note. */
	vm_key(&vm, 'g', LOCAL_T);
	type(&vm, "half");
	assert_int_equal(vm_tick(&vm, LOCAL_T + 181000), VM_ALERT_BELL);
	assert_non_null(strstr(vm.status, "the session ends then"));
	assert_non_null(strstr(vm.status, "Enter saves your note"));
	vm_free(&vm);
}

static const char *ended_early =
    "{\"type\":\"ended\",\"session_id\":12,\"reason\":\"ended_early\","
    "\"by\":1,\"scores\":{},\"overall\":null,"
    "\"debrief_ends_at\":1000000900000}";

/* Bug 5: a note draft open at the end is kept, and can go to the chat
 * while the debrief is open. */
static void
test_note_draft_at_the_end(void **state)
{
	struct vm vm;

	setup_interviewer(&vm);
	vm_key(&vm, 'g', LOCAL_T);
	type(&vm, "late thought");
	apply(&vm, ended_early, LOCAL_T + 1000);
	assert_int_equal(vm.mode, VM_MODE_NOTE);
	assert_non_null(strstr(vm.status, "it is kept"));
	vm_key(&vm, VM_KEY_ENTER, LOCAL_T + 2000);
	assert_int_equal(vm.n_notes, 1);	/* no note.add in done */
	assert_string_equal(vm_line_text(&vm.chat_line), "late thought");
	assert_int_equal(vm.focus, VM_PANE_CHAT);
	assert_int_equal(vm.mode, VM_MODE_NORMAL);
	vm_free(&vm);
}

/* Bug 9: Enter in a closed chat keeps what was typed; the debrief
 * keeps it open 15 minutes. */
static void
test_chat_after_the_end(void **state)
{
	struct vm vm;

	setup_interviewer(&vm);
	apply(&vm, "{\"type\":\"ended\",\"session_id\":12,\"reason\":"
	    "\"completed\",\"scores\":{},\"overall\":null}", LOCAL_T);
	vm_key(&vm, 'c', LOCAL_T);
	type(&vm, "thanks!");
	vm_key(&vm, VM_KEY_ENTER, LOCAL_T);
	assert_int_equal(vm.n_chat, 1);
	assert_string_equal(vm_line_text(&vm.chat_line), "thanks!");
	assert_non_null(strstr(vm.status, "closed"));
	/* With a debrief: sent, until it ends. */
	vm.debrief_ends_at = SERVER_T + 900000;
	assert_true(vm_debrief_open(&vm, LOCAL_T));
	vm_key(&vm, VM_KEY_ENTER, LOCAL_T);
	assert_int_equal(vm.n_chat, 2);
	assert_int_equal(vm.chat[1].state, VM_SEND_UNSENT);
	assert_false(vm_debrief_open(&vm, LOCAL_T + 900000));
	vm_free(&vm);
}

/* Bug 11: after the end, no key passes silently and s asks first. */
static void
test_keys_after_the_end(void **state)
{
	struct vm vm;

	setup_interviewer(&vm);
	apply(&vm, ended_early, LOCAL_T);
	free(vm.status);
	vm.status = NULL;
	assert_int_equal(vm_key(&vm, 'g', LOCAL_T), VM_ACT_NONE);
	assert_int_equal(vm.mode, VM_MODE_NORMAL);
	assert_non_null(strstr(vm.status, "notes and scores are closed"));
	assert_int_equal(vm_key(&vm, 'w', LOCAL_T), VM_ACT_NONE);
	assert_non_null(strstr(vm.status, "'w' is not a key here"));
	vm_key(&vm, 's', LOCAL_T);
	assert_int_equal(vm.mode, VM_MODE_CONFIRM_SWAP);
	assert_int_equal(vm_key(&vm, 'a', LOCAL_T), VM_ACT_NONE);
	assert_int_equal(vm.mode, VM_MODE_NORMAL);
	/* The swap window is two minutes. */
	assert_true(vm_swap_left_ms(&vm, LOCAL_T) > 0);
	assert_int_equal(vm_swap_left_ms(&vm, LOCAL_T + VM_SWAP_WINDOW_MS), 0);
	vm_key(&vm, 's', LOCAL_T + VM_SWAP_WINDOW_MS);
	assert_int_equal(vm.mode, VM_MODE_NORMAL);
	assert_non_null(strstr(vm.status, "swap window has passed"));
	vm_free(&vm);
}

/* Bugs 6 and 13: the peer's state is not claimed while we are offline,
 * and reads "left" after the end. */
static void
test_peer_state(void **state)
{
	struct vm vm;

	setup_interviewer(&vm);
	vm_set_link(&vm, VM_LINK_ONLINE, 0, 0);
	assert_string_equal(vm_peer_state(&vm), "● connected");
	vm_set_link(&vm, VM_LINK_RECONNECTING, 1, LOCAL_T);
	assert_string_equal(vm_peer_state(&vm), "◌ unknown");
	vm_set_link(&vm, VM_LINK_ONLINE, 0, 0);
	apply(&vm, ended_early, LOCAL_T);
	vm.peer_connected = 0;
	assert_string_equal(vm_peer_state(&vm), "○ left");
	vm_free(&vm);
}

/* Bug 13: ^W cuts a word, ^Z suspends. */
static void
test_ctrl_w_and_ctrl_z(void **state)
{
	struct vm vm;

	setup_interviewer(&vm);
	vm_key(&vm, 'c', LOCAL_T);
	type(&vm, "one two  three");
	vm_key(&vm, VM_KEY_CTRL_W, LOCAL_T);
	assert_string_equal(vm_line_text(&vm.chat_line), "one two  ");
	vm_key(&vm, VM_KEY_CTRL_W, LOCAL_T);
	assert_string_equal(vm_line_text(&vm.chat_line), "one ");
	assert_int_equal(vm_key(&vm, VM_KEY_CTRL_Z, LOCAL_T), VM_ACT_SUSPEND);
	vm_free(&vm);
}

/* + asks for 2 minutes while the allowance lasts; 0 and x clear the
 * score with a note (score 0 on the wire), only where there is one; N
 * from scoring is phase.next, which ends as completed. */
static void
test_extend_clear_next(void **state)
{
	struct vm vm;

	setup_interviewer(&vm);
	assert_int_equal(vm_key(&vm, '+', LOCAL_T), VM_ACT_EXTEND);
	vm.extended_ms = VM_EXTEND_MAX_MS;
	assert_int_equal(vm_key(&vm, '+', LOCAL_T), VM_ACT_NONE);
	assert_non_null(strstr(vm.status, "used up"));
	assert_int_equal(vm_key(&vm, '0', LOCAL_T), VM_ACT_NONE);
	assert_int_equal(vm.n_notes, 2);
	assert_int_equal(vm.items[0].score, 0);
	{
		json_t *req = vm_note_request(&vm, 1);

		assert_int_equal(json_integer_value(json_object_get(req,
		    "score")), 0);
		assert_true(json_is_integer(json_object_get(req, "score")));
		json_decref(req);
	}
	assert_int_equal(vm_key(&vm, 'x', LOCAL_T), VM_ACT_NONE);
	assert_int_equal(vm.n_notes, 2);
	assert_non_null(strstr(vm.status, "no score to clear"));
	/* The server's note with score 0 reads as a clear. */
	apply(&vm, "{\"type\":\"note\",\"session_id\":12,\"note\":{"
	    "\"note_id\":9,\"item\":\"action\",\"text\":\"\",\"score\":0,"
	    "\"flag\":null,\"at\":1000000002000,\"client_id\":\"q\"}}",
	    LOCAL_T);
	assert_int_equal(vm.notes[2].score, VM_SCORE_CLEAR);
	vm.phase = VM_SCORING;
	vm_key(&vm, 'N', LOCAL_T);
	assert_int_equal(vm.mode, VM_MODE_CONFIRM_NEXT);
	assert_int_equal(vm_key(&vm, 'y', LOCAL_T), VM_ACT_PHASE_NEXT);
	vm_free(&vm);
}

/* The notes pane shows the latest score per item; text notes all. */
static void
test_notes_latest_score(void **state)
{
	struct vm vm;

	setup_interviewer(&vm);
	vm_note_add(&vm, "action", "", 2, -1);
	vm_note_add(&vm, "action", "a text", 0, -1);
	vm_note_add(&vm, "action", "", 4, -1);
	vm_note_add(&vm, "situation", "", 4, -1);
	/* 0: situation=3 "clear" (text): kept; 1: action=2: replaced. */
	assert_true(vm_note_shown(&vm, 0));
	assert_false(vm_note_shown(&vm, 1));
	assert_true(vm_note_shown(&vm, 2));
	assert_true(vm_note_shown(&vm, 3));
	assert_true(vm_note_shown(&vm, 4));
	assert_int_equal(vm.items[1].score, 4);
	vm_free(&vm);
}

/* Bug 12: who ended it, in words. */
static void
test_ended_text(void **state)
{
	struct vm vm;
	char buf[256];

	setup_interviewer(&vm);
	apply(&vm, ended_early, LOCAL_T);
	vm_ended_text(&vm, buf, sizeof buf);
	assert_string_equal(buf, "you ended the session early");
	assert_int_equal(vm.debrief_ends_at, 1000000900000LL);
	vm.role = VM_CANDIDATE;
	vm.ended_by = 2;
	vm_ended_text(&vm, buf, sizeof buf);
	assert_string_equal(buf, "bob ended the session early");
	free(vm.reason);
	vm.reason = strdup("abandoned");
	vm.role = VM_INTERVIEWER;
	vm_ended_text(&vm, buf, sizeof buf);
	assert_string_equal(buf, "bob left: the session was abandoned");
	free(vm.reason);
	vm.reason = strdup("completed");
	vm.ended_by = 0;
	vm_ended_text(&vm, buf, sizeof buf);
	assert_string_equal(buf, "the session is complete");
	vm_free(&vm);
}

/* The queue says who waits for what, and since when. */
static void
test_queue_waiting_for(void **state)
{
	struct vm vm;

	vm_init(&vm);
	apply(&vm, "{\"type\":\"queue\",\"position\":1,\"waiting\":3,"
	    "\"waiting_for\":{\"candidates\":2,\"interviewers\":0,"
	    "\"either\":1},\"since\":999999990000}", 0);
	assert_true(vm.have_waiting_for);
	assert_int_equal(vm.wait_candidates, 2);
	assert_int_equal(vm.wait_interviewers, 0);
	assert_int_equal(vm.wait_either, 1);
	assert_int_equal(vm.queue_since, 999999990000LL);
	vm_free(&vm);
}

/* The phase's purpose, for each side. */
static void
test_phase_purpose(void **state)
{
	struct vm vm;

	setup_interviewer(&vm);
	assert_non_null(strstr(vm_phase_purpose(&vm), "score"));
	vm.role = VM_CANDIDATE;
	vm.phase = VM_PREP;
	assert_string_equal(vm_phase_purpose(&vm), "prep: read and plan; you "
	    "may ask questions in the chat");
	vm_free(&vm);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_focus_opens_on_checklist),
		cmocka_unit_test(test_clock_alerts),
		cmocka_unit_test(test_note_draft_at_the_end),
		cmocka_unit_test(test_chat_after_the_end),
		cmocka_unit_test(test_keys_after_the_end),
		cmocka_unit_test(test_peer_state),
		cmocka_unit_test(test_ctrl_w_and_ctrl_z),
		cmocka_unit_test(test_extend_clear_next),
		cmocka_unit_test(test_notes_latest_score),
		cmocka_unit_test(test_ended_text),
		cmocka_unit_test(test_queue_waiting_for),
		cmocka_unit_test(test_phase_purpose),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
