/*
 * ui_bars.c — the interview screen's rows around the panes (see
 * ui_int.h): the header with the clock, the status or prompt row, the
 * key hints, the help overlay, and the screen before a pairing.
 */
#include <stdio.h>
#include <string.h>

#include "fmt.h"
#include "ui_int.h"

/* The clock in the header: the phase's, or the debrief's once done. */
static int
header_clock(const struct vm *vm, int64_t now, char *buf, size_t len)
{
	int64_t left = vm_remaining_ms(vm, now);
	char d[32];

	if (left >= 0) {
		snprintf(buf, len, " ⏱ %s ", fmt_duration(left, d, sizeof d));
		return left < VM_WARN_FIRST_MS;
	}
	if (vm_debrief_open(vm, now)) {
		snprintf(buf, len, " debrief %s ", fmt_duration(
		    vm->debrief_ends_at - vm_server_now(vm, now), d,
		    sizeof d));
		return 0;
	}
	buf[0] = '\0';
	return 0;
}

void
ui_draw_header(const struct vm *vm, int64_t now, int cols)
{
	char left[512], clock[64], right[256];
	int urgent = header_clock(vm, now, clock, sizeof clock);
	int cw = fmt_width(clock), rw;

	if (vm->session_id == 0)
		snprintf(left, sizeof left, " mockint │ %s",
		    vm->wait == VM_WAIT_ROOM ? "waiting in your room" :
		    "waiting to be paired");
	else
		snprintf(left, sizeof left, " mockint #%lld │ %s │ %s %s │ "
		    "%s", (long long)vm->session_id, vm->phase ==
		    VM_PHASE_NONE ? "…" : vm_phase_name(vm->phase),
		    vm->peer_name ? vm->peer_name : "?", vm_peer_state(vm),
		    vm->role == VM_INTERVIEWER ? "you interview" :
		    "you answer");
	if (vm->link == VM_LINK_RECONNECTING) {
		int64_t in = vm->reconnect_at - now;

		if (in > 0)
			snprintf(right, sizeof right, " ⟳ reconnecting in "
			    "%ds (try %d) ", (int)((in + 999) / 1000),
			    vm->reconnect_attempt);
		else
			snprintf(right, sizeof right, " ⟳ reconnecting… ");
	} else if (vm->link == VM_LINK_CONNECTING)
		snprintf(right, sizeof right, " connecting… ");
	else
		right[0] = '\0';
	/* The clock never gives way: the rest is cut around it. */
	rw = fmt_width(right);
	if (cw + rw > cols) {
		right[0] = '\0';
		rw = 0;
	}
	ui_put(0, 0, cols, "", A_REVERSE);
	ui_put(0, 0, cols - cw - rw, left, A_REVERSE | A_BOLD);
	if (cw > 0)
		ui_put(0, cols - cw - rw, cw, clock, urgent ? (A_BOLD |
		    COLOR_PAIR(C_ALERT)) : (A_BOLD | A_REVERSE));
	if (rw > 0)
		ui_put(0, cols - rw, rw, right, A_BOLD | COLOR_PAIR(C_PENDING) |
		    A_REVERSE);
}

/* "2 candidates, 0 interviewers waiting for System Design". */
static void
who_waits(const struct vm *vm, struct wrap_doc *d)
{
	const char *what = vm->queue_category != NULL ?
	    vm->queue_category : "any question";

	if (!vm->have_waiting_for) {
		if (vm->queue_position > 0)
			wrap_fmt(d, A_NORMAL, 0, "Position %d in the queue, %d "
			    "waiting.", vm->queue_position,
			    vm->queue_waiting);
		return;
	}
	wrap_fmt(d, A_NORMAL, 0, "%d candidate%s, %d interviewer%s%s waiting "
	    "for %s%s%s.", vm->wait_candidates, vm->wait_candidates == 1 ?
	    "" : "s", vm->wait_interviewers, vm->wait_interviewers == 1 ? "" :
	    "s", vm->wait_either > 0 ? " and some who take either side" : "",
	    what, vm->queue_difficulty != NULL ? ", " : "",
	    vm->queue_difficulty != NULL ? vm->queue_difficulty : "");
	if (vm->queue_position > 0)
		wrap_fmt(d, A_DIM, 0, "You are number %d in line.",
		    vm->queue_position);
}

void
ui_draw_waiting(const struct vm *vm, int64_t now, int rows, int cols)
{
	struct wrap_doc d = { .width = cols - 4 };
	struct rect r = { 2, 2, rows - 4, cols - 4 };
	char t[32];

	if (vm->wait == VM_WAIT_ROOM && vm->room_code != NULL) {
		wrap_fmt(&d, A_BOLD, 0, "Room code: %s", vm->room_code);
		wrap_blank(&d);
		wrap_fmt(&d, A_NORMAL, 0, "Ask your partner to run:  mockint "
		    "room join %s", vm->room_code);
		wrap_text(&d, "The code works once, for 10 minutes.", A_DIM, 0);
	} else {
		wrap_fmt(&d, A_BOLD, 0, "Waiting for a partner%s%s…",
		    vm->queue_role != NULL ? ": you asked to be " : "",
		    vm->queue_role != NULL ? (strcmp(vm->queue_role,
		    "either") == 0 ? "either side" : strcmp(vm->queue_role,
		    "candidate") == 0 ? "the candidate" : "the interviewer") :
		    "");
		wrap_blank(&d);
		who_waits(vm, &d);
		if (vm->queue_since > 0 && vm->have_clock)
			wrap_fmt(&d, A_DIM, 0, "You have waited %s.",
			    fmt_duration(vm_server_now(vm, now) -
			    vm->queue_since, t, sizeof t));
	}
	wrap_blank(&d);
	wrap_text(&d, "The interview screen opens when you are paired. "
	    "q leaves.", A_DIM, 0);
	ui_draw_doc(&r, &d, 0);
	wrap_free(&d);
}

static const char *const help_candidate[] = {
	"Tab / Shift-Tab  move between panes (the focused one is framed ▌)",
	"↑ ↓ PgUp PgDn    scroll the focused pane",
	"c                type in the chat (Enter sends, Esc goes back)",
	"e                end the session early (asks first)",
	"q                leave the screen (the session goes on)",
	"Ctrl-Z           suspend (fg brings it back)",
	"In the chat      Ctrl-W cuts a word, Ctrl-U the line",
	"At the end:  s swap roles · f rate the interviewing · c debrief",
	"             chat · q quit",
	NULL
};

static const char *const help_interviewer[] = {
	"Tab / Shift-Tab  move between panes (the focused one is framed ▌)",
	"↑ ↓ (k j)        move in the checklist / scroll a pane",
	"1 2 3 4          score the item under the cursor (checklist)",
	"                 (1 not shown, 2 weak, 3 good, 4 strong)",
	"0 x              clear the score of the item under the cursor",
	"n                a note on the item under the cursor",
	"g                a general note",
	"r                tick or clear the red flag under the cursor",
	"N                next phase (asks first)",
	"+                2 more minutes for this phase (10 in all)",
	"e                end the session early (asks first)",
	"c                type in the chat (Enter sends, Esc goes back)",
	"q                leave the screen (the session goes on)",
	"Ctrl-Z           suspend · Ctrl-W cuts a word in an input",
	"Notes: ✓ saved by the server · … sending · ✗ refused",
	"At the end:  s swap roles · c debrief chat · q quit",
	NULL
};

void
ui_draw_help(const struct vm *vm, int rows, int cols)
{
	const char *const *lines = vm->role == VM_INTERVIEWER ?
	    help_interviewer : help_candidate;
	int n = 0, w = 0, y, x;

	for (n = 0; lines[n] != NULL; n++)
		if (fmt_width(lines[n]) > w)
			w = fmt_width(lines[n]);
	w += 4;
	if (w > cols)
		w = cols;
	y = (rows - n - 4) / 2;
	x = (cols - w) / 2;
	if (y < 1)
		y = 1;
	ui_put(y, x, w, " Keys — any key closes", A_REVERSE | A_BOLD);
	for (int i = 0; i < n && y + 1 + i < rows - 1; i++) {
		char buf[256];

		snprintf(buf, sizeof buf, "  %s", lines[i]);
		ui_put(y + 1 + i, x, w, buf, A_REVERSE);
	}
	ui_put(y + 1 + n, x, w, "", A_REVERSE);
}

static const char *
done_hints(const struct vm *vm, int64_t now)
{
	int chat = vm_debrief_open(vm, now);

	if (vm->rejoined)
		return " Enter new interview · s swap roles · c chat · q quit";
	if (vm->role == VM_CANDIDATE && !vm->feedback_sent)
		return chat ? " s swap roles · f rate · c debrief chat · "
		    "q quit · ? help" : " s swap roles · f rate · q quit · "
		    "? help";
	return chat ? " s swap roles · c debrief chat · q quit · Tab pane · "
	    "? help" : " s swap roles · q quit · Tab pane · ? help";
}

const char *
ui_hints(const struct vm *vm, int64_t now)
{
	if (vm->session_id == 0)
		return " q leave · ? help";
	if (vm->focus == VM_PANE_CHAT) {
		if (vm->phase != VM_DONE)
			return " Enter send · Esc back · Tab pane · PgUp/PgDn "
			    "scroll · ^W cut word";
		return vm_debrief_open(vm, now) ? " Enter send (debrief) · "
		    "Esc back (then s swap roles, q quit)" : " the chat is "
		    "closed · Esc back (then s swap roles, q quit)";
	}
	if (vm->phase == VM_DONE)
		return done_hints(vm, now);
	if (vm->role == VM_INTERVIEWER && vm->focus == VM_PANE_CHECKLIST)
		return " ↑↓ move · 1-4 score · n/g note · r flag · N next · "
		    "+ time · e end · ? help";
	if (vm->role == VM_INTERVIEWER)
		return " ↑↓ scroll · Tab: checklist, to score · c chat · N next "
		    "· ? help";
	return " Tab pane · ↑↓ scroll · c chat · e end · q leave · ? help";
}

/* The question a confirmation asks, in the status row. */
static void
confirm_text(const struct vm *vm, char *buf, size_t len)
{
	const char *peer = vm->peer_name ? vm->peer_name : "your peer";

	switch (vm->mode) {
	case VM_MODE_CONFIRM_END:
		snprintf(buf, len, "%s", vm->role == VM_INTERVIEWER ? " End "
		    "the session now, before its time? It is recorded as "
		    "ended early. (y/n)" : " End the session early? It counts "
		    "as abandoned. (y/n)");
		break;
	case VM_MODE_CONFIRM_NEXT:
		if (vm->phase == VM_SCORING || vm->phase == VM_PHASE_NONE)
			snprintf(buf, len, " Finish scoring and end the "
			    "session? (y/n)");
		else
			snprintf(buf, len, " Move on to %s now? (y/n)",
			    vm_phase_name((enum vm_phase)(vm->phase + 1)));
		break;
	case VM_MODE_CONFIRM_SWAP:
		snprintf(buf, len, " Swap roles with %s: you %s next? (y/n)",
		    peer, vm->role == VM_INTERVIEWER ? "answer" :
		    "interview");
		break;
	default:
		snprintf(buf, len, " Leave the screen? The session goes on; "
		    "'mockint interview' brings you back. (y/n)");
		break;
	}
}

int
ui_draw_status(const struct vm *vm, int64_t now, int y, int cols, int *cx)
{
	char prompt[256];

	switch (vm->mode) {
	case VM_MODE_NOTE: {
		const struct vm_item *it = vm_find_item(vm, vm->note_item,
		    NULL);
		char label[128];

		snprintf(prompt, sizeof prompt, "Note on %s: ", fmt_cut(it ?
		    it->label : "general", cols / 3, label, sizeof label));
		*cx = ui_draw_input(y, 0, cols, prompt, &vm->note_line,
		    A_NORMAL);
		return 1;
	}
	case VM_MODE_FEEDBACK:
		snprintf(prompt, sizeof prompt, "Rating %d. Comment "
		    "(optional, Enter sends): ", vm->feedback_rating);
		*cx = ui_draw_input(y, 0, cols, prompt, &vm->note_line,
		    A_NORMAL);
		return 1;
	case VM_MODE_CONFIRM_END:
	case VM_MODE_CONFIRM_NEXT:
	case VM_MODE_CONFIRM_SWAP:
	case VM_MODE_CONFIRM_QUIT:
		confirm_text(vm, prompt, sizeof prompt);
		ui_put(y, 0, cols, prompt, A_BOLD | COLOR_PAIR(
		    vm->mode == VM_MODE_CONFIRM_QUIT ? C_PENDING : C_ALERT));
		return 0;
	case VM_MODE_RATE:
		ui_put(y, 0, cols, " How useful was the interviewing? 1 not, "
		    "2 a bit, 3 useful, 4 very (Esc cancels)", A_BOLD);
		return 0;
	default:
		/* Messages fade after 8 s. */
		ui_put(y, 0, cols, vm->status != NULL && now - vm->status_at <
		    8000 ? vm->status : "", A_DIM);
		return 0;
	}
}
