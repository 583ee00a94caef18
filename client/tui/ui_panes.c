/*
 * ui_panes.c — the interview screen's panes (see ui_int.h): the question
 * (with the results above it once the session is over), the
 * interviewer's checklist and notes, and the chat with its input line.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "ui_int.h"

/* The label of a note's item ("General" for general notes). */
static const char *
item_label(const struct vm *vm, const char *key)
{
	const struct vm_item *it = vm_find_item(vm, key, NULL);

	if (it != NULL)
		return it->label;
	return strcmp(key, "general") == 0 ? "General" : key;
}

/* Swapping roles: who asked, and how long the window stays open. */
static void
swap_doc(struct wrap_doc *d, const struct vm *vm, int64_t now)
{
	const char *peer = vm->peer_name ? vm->peer_name : "your peer";
	int64_t left = vm_swap_left_ms(vm, now);
	char t[32];

	if (vm->swap_closed || left == 0) {
		wrap_text(d, "The swap window has passed.", A_DIM, 0);
		return;
	}
	fmt_duration(left, t, sizeof t);
	if (vm->swap_pending)
		wrap_fmt(d, COLOR_PAIR(C_PENDING), 0, "Swap proposed: waiting "
		    "for %s (%s left)%s", peer, left > 0 ? t : "?",
		    vm->peer_connected ? "." : "; they left, and can come "
		    "back with 'mockint interview'.");
	else if (vm->swap_offered)
		wrap_fmt(d, A_BOLD | COLOR_PAIR(C_PENDING), 0, "%s proposes to "
		    "swap roles: press s to accept (%s left).", peer,
		    left > 0 ? t : "?");
	else
		wrap_fmt(d, A_NORMAL, 0, "Press s to swap roles with %s%s%s%s.",
		    peer, left > 0 ? " (" : "", left > 0 ? t : "",
		    left > 0 ? " left)" : "");
}

static void
results_doc(struct wrap_doc *d, const struct vm *vm, int64_t now)
{
	char how[256], t[32];

	vm_ended_text(vm, how, sizeof how);
	wrap_fmt(d, A_BOLD, 0, "Session over: %s.", how);
	if (vm->has_overall)
		wrap_fmt(d, A_BOLD | COLOR_PAIR(C_OK), 0, "Overall %.2f / 4",
		    vm->overall);
	else
		wrap_text(d, "Overall: not scored", A_BOLD, 0);
	for (size_t i = 0; i < vm->n_items; i++) {
		const struct vm_item *it = &vm->items[i];

		if (it->score > 0)
			wrap_fmt(d, A_NORMAL, 4, " %d  %s (%s)", it->score,
			    it->label, fmt_score_name(it->score));
		else
			wrap_fmt(d, A_DIM, 4, " -  %s", it->label);
	}
	for (size_t i = 0; i < vm->n_flags; i++)
		if (vm->flags[i].flagged)
			wrap_fmt(d, COLOR_PAIR(C_FLAG), 4, " ⚑  %s",
			    vm->flags[i].label);
	if (vm->role == VM_CANDIDATE && vm->n_notes > 0) {
		wrap_text(d, "Notes", A_BOLD, 0);
		for (size_t i = 0; i < vm->n_notes; i++) {
			const struct vm_note *n = &vm->notes[i];

			if (n->text[0] != '\0')
				wrap_fmt(d, A_NORMAL, 3, " • %s: %s",
				    item_label(vm, n->item), n->text);
		}
	}
	if (vm_debrief_open(vm, now))
		wrap_fmt(d, COLOR_PAIR(C_TITLE), 0, "Debrief: the chat stays "
		    "open for %s (c to type).", fmt_duration(
		    vm->debrief_ends_at - vm_server_now(vm, now), t,
		    sizeof t));
	swap_doc(d, vm, now);
	if (vm->role == VM_CANDIDATE && !vm->feedback_sent)
		wrap_text(d, "Press f to rate the interviewing.", A_NORMAL, 0);
	if (vm->rejoined)
		wrap_text(d, "Press Enter to queue for a new interview, q to "
		    "quit.", A_BOLD, 0);
	wrap_blank(d);
}

static void
question_doc(struct wrap_doc *d, const struct vm *vm, int64_t now)
{
	const struct vm_question *q = &vm->q;
	const char *purpose = vm_phase_purpose(vm);

	if (vm->phase == VM_DONE)
		results_doc(d, vm, now);
	else if (purpose[0] != '\0') {
		wrap_text(d, purpose, A_BOLD | COLOR_PAIR(C_PENDING), 0);
		wrap_blank(d);
	}
	if (q->title == NULL) {
		wrap_text(d, "(waiting for the question…)", A_DIM, 0);
		return;
	}
	wrap_text(d, q->title, A_BOLD, 0);
	wrap_fmt(d, A_DIM, 0, "%s · %s%s%s%s%s", q->category, q->difficulty,
	    q->company[0] ? " · " : "", q->company, q->round[0] ? " · " : "",
	    q->round);
	wrap_blank(d);
	wrap_text(d, q->prompt, A_NORMAL, 0);
	if (q->quick_answer != NULL && q->quick_answer[0] != '\0') {
		wrap_blank(d);
		wrap_text(d, "Quick answer", A_BOLD | COLOR_PAIR(C_TITLE), 0);
		wrap_text(d, q->quick_answer, A_NORMAL, 0);
	}
	if (q->approach != NULL) {
		wrap_blank(d);
		wrap_text(d, "Approach", A_BOLD | COLOR_PAIR(C_TITLE), 0);
		wrap_text(d, q->approach, A_NORMAL, 0);
	}
	if (q->model_answer != NULL && q->model_answer[0] != '\0') {
		wrap_blank(d);
		wrap_text(d, "Model answer", A_BOLD | COLOR_PAIR(C_TITLE), 0);
		wrap_text(d, q->model_answer, A_NORMAL, 0);
	}
}

void
ui_draw_question(struct vm *vm, const struct rect *r, int64_t now)
{
	struct wrap_doc d = { .width = r->w - 1 };
	struct rect body = { r->y + 1, r->x + 1, r->h - 1, r->w - 1 };
	char t[64];

	question_doc(&d, vm, now);
	vm_clamp_scroll(vm, VM_PANE_QUESTION, (int)d.n, body.h);
	snprintf(t, sizeof t, "%s%s", vm->phase == VM_DONE ? "Results & "
	    "question" : "Question", (int)d.n > body.h ? "  (↑↓ scroll)" :
	    "");
	ui_title(r, t, vm->focus == VM_PANE_QUESTION);
	ui_draw_doc(&body, &d, vm->scroll[VM_PANE_QUESTION]);
	wrap_free(&d);
}

/* ---- the interviewer's checklist and notes ---- */

static const char *
note_mark(const struct vm_note *n, attr_t *attr)
{
	switch (n->state) {
	case VM_SEND_DONE:
		*attr = COLOR_PAIR(C_OK);
		return "✓";
	case VM_SEND_FAILED:
		*attr = COLOR_PAIR(C_ALERT);
		return "✗";
	default:
		*attr = COLOR_PAIR(C_PENDING);
		return "…";
	}
}

void
ui_draw_checklist(struct vm *vm, const struct rect *r)
{
	struct wrap_doc d = { .width = r->w - 1 };
	struct rect body = { r->y + 1, r->x + 1, r->h - 1, r->w - 1 };
	double mean = vm_mean_score(vm);
	int cur_first = -1, cur_last = -1;
	char t[96];

	for (size_t row = 0; row < vm_cursor_rows(vm); row++) {
		int is_flag = row >= vm->n_items;
		const struct vm_item *it = is_flag ?
		    &vm->flags[row - vm->n_items] : &vm->items[row];
		attr_t a = row == vm->cursor ? A_REVERSE : A_NORMAL;
		char mark[8];

		if (row == vm->n_items)
			wrap_text(&d, "Red flags (r ticks)", A_BOLD |
			    COLOR_PAIR(C_FLAG), 0);
		if (is_flag) {
			snprintf(mark, sizeof mark, "%s", it->flagged ? "⚑" :
			    " ");
			if (it->flagged)
				a |= COLOR_PAIR(C_FLAG) | A_BOLD;
		} else
			snprintf(mark, sizeof mark, "%c", it->score ?
			    '0' + it->score : ' ');
		if (row == vm->cursor)
			cur_first = (int)d.n;
		wrap_fmt(&d, a, 5, "%s[%s] %s", row == vm->cursor ? "▶" : " ",
		    mark, it->label);
		if (row == vm->cursor)
			cur_last = (int)d.n - 1;
	}
	/* Keep the whole item under the cursor in view. */
	if (cur_first >= 0) {
		if (cur_last >= vm->scroll[VM_PANE_CHECKLIST] + body.h)
			vm->scroll[VM_PANE_CHECKLIST] = cur_last - body.h + 1;
		if (cur_first < vm->scroll[VM_PANE_CHECKLIST])
			vm->scroll[VM_PANE_CHECKLIST] = cur_first;
	}
	vm_clamp_scroll(vm, VM_PANE_CHECKLIST, (int)d.n, body.h);
	if (mean >= 0)
		snprintf(t, sizeof t, "Checklist  mean %.2f", mean);
	else
		snprintf(t, sizeof t, "Checklist  (1-4 scores)");
	ui_title(r, t, vm->focus == VM_PANE_CHECKLIST);
	ui_draw_doc(&body, &d, vm->scroll[VM_PANE_CHECKLIST]);
	wrap_free(&d);
}

void
ui_note_text(const struct vm *vm, const struct vm_note *n, int labelw,
    char *buf, size_t len)
{
	char label[256], what[64] = "";

	/* A long label is cut where it says so, never silently. */
	fmt_cut(item_label(vm, n->item), labelw, label, sizeof label);
	if (n->score > 0)
		snprintf(what, sizeof what, " = %d", n->score);
	else if (n->score == VM_SCORE_CLEAR)
		snprintf(what, sizeof what, " score cleared");
	else if (n->flag >= 0)
		snprintf(what, sizeof what, " %s", n->flag ? "ticked" :
		    "cleared");
	snprintf(buf, len, "%s%s%s%s%s", label, what, n->text[0] ? ": " : "",
	    n->text, n->state == VM_SEND_FAILED ? " (not saved)" : "");
}

/* The notes that count, newest first, each marked sent or not. */
void
ui_draw_notes(const struct vm *vm, const struct rect *r)
{
	struct wrap_doc d = { .width = r->w - 1 };
	struct rect body = { r->y + 1, r->x + 1, r->h - 1, r->w - 1 };
	size_t pending = vm_notes_pending(vm), shown = 0;
	char t[96], line[5120];

	for (size_t i = vm->n_notes; i-- > 0;) {
		const struct vm_note *n = &vm->notes[i];
		attr_t a;
		const char *mark;

		if (!vm_note_shown(vm, i))
			continue;
		shown++;
		if ((int)d.n >= body.h)
			continue;
		mark = note_mark(n, &a);
		ui_note_text(vm, n, (r->w - 4) * 2 / 3, line, sizeof line);
		wrap_fmt(&d, a, 2, "%s %s", mark, line);
	}
	if (vm->n_notes == 0)
		wrap_text(&d, "n: note on the item · g: general", A_DIM, 0);
	snprintf(t, sizeof t, "Notes (%zu)%s", shown, pending ?
	    "  … = sending" : "  ✓ = saved");
	ui_title(r, t, 0);
	ui_draw_doc(&body, &d, 0);
	wrap_free(&d);
}

/* ---- the chat pane ---- */

int
ui_draw_chat(struct vm *vm, const struct rect *r, int *cur_y, int *cur_x)
{
	struct wrap_doc d = { .width = r->w - 1 };
	struct rect body = { r->y + 1, r->x + 1, r->h - 2, r->w - 1 };
	int first, focused = vm->focus == VM_PANE_CHAT;
	char t[64];

	for (size_t i = 0; i < vm->n_chat; i++) {
		const struct vm_chat *c = &vm->chat[i];
		char when[16];
		attr_t a = c->mine ? COLOR_PAIR(C_MINE) : A_NORMAL;
		const char *st = c->state == VM_SEND_DONE ? "" :
		    c->state == VM_SEND_FAILED ? " ✗ not sent" : " …";

		wrap_fmt(&d, a, 6, "%s %s: %s%s", c->at ? fmt_clock(c->at, when,
		    sizeof when) : "     ", c->username, c->text, st);
	}
	if (d.n == 0)
		wrap_text(&d, "(no messages yet)", A_DIM, 0);
	vm_clamp_scroll(vm, VM_PANE_CHAT, (int)d.n, body.h);
	first = (int)d.n - body.h - vm->scroll[VM_PANE_CHAT];
	if (first < 0)
		first = 0;
	snprintf(t, sizeof t, "Chat%s", vm->scroll[VM_PANE_CHAT] > 0 ?
	    "  (scrolled back)" : focused ? "" : "  (c to type)");
	ui_title(r, t, focused);
	ui_draw_doc(&body, &d, first);
	*cur_x = ui_draw_input(r->y + r->h - 1, r->x + 1, r->w - 1, "> ",
	    &vm->chat_line, focused ? A_NORMAL : A_DIM);
	*cur_y = r->y + r->h - 1;
	wrap_free(&d);
	return focused;
}
