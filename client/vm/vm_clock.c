/*
 * vm_clock.c — the view model's clock (see vm.h): the server's time as
 * seen here, what is left of the phase, of the swap window and of the
 * debrief, and the clock's voice: a bell and a word at each phase change
 * and when a minute and ten seconds are left.
 */
#include "vm.h"

#include <stdio.h>
#include <string.h>

/* The marks of vm->alerted. */
#define MARK_FIRST	0x1
#define MARK_LAST	0x2

void
vm_set_clock(struct vm *vm, int64_t server_time, int64_t now)
{
	if (server_time <= 0)
		return;
	vm->clock_offset = server_time - now;
	vm->have_clock = 1;
}

int64_t
vm_server_now(const struct vm *vm, int64_t now)
{
	return now + vm->clock_offset;
}

int64_t
vm_remaining_ms(const struct vm *vm, int64_t now)
{
	int64_t left;

	if (vm->phase_ends_at <= 0 || !vm->have_clock ||
	    vm->phase == VM_DONE)
		return -1;
	left = vm->phase_ends_at - vm_server_now(vm, now);
	return left > 0 ? left : 0;
}

int
vm_debrief_open(const struct vm *vm, int64_t now)
{
	return vm->phase == VM_DONE && vm->debrief_ends_at > 0 &&
	    vm->have_clock && vm->debrief_ends_at > vm_server_now(vm, now);
}

int64_t
vm_swap_left_ms(const struct vm *vm, int64_t now)
{
	int64_t left;

	if (vm->swap_closed)
		return 0;
	if (vm->phase != VM_DONE || vm->ended_at <= 0 || !vm->have_clock)
		return -1;
	left = vm->ended_at + VM_SWAP_WINDOW_MS - vm_server_now(vm, now);
	return left > 0 ? left : 0;
}

const char *
vm_phase_purpose(const struct vm *vm)
{
	int iv = vm->role == VM_INTERVIEWER;

	switch (vm->phase) {
	case VM_PREP:
		return iv ? "prep: the candidate reads and plans; answer "
		    "their questions in the chat" : "prep: read and plan; you "
		    "may ask questions in the chat";
	case VM_ANSWER:
		return iv ? "answer: listen, score the checklist (1-4), take "
		    "notes" : "answer: talk it through; the interviewer "
		    "scores as you go";
	case VM_FOLLOWUP:
		return iv ? "followup: ask your follow-up questions" :
		    "followup: the interviewer asks follow-up questions";
	case VM_SCORING:
		return iv ? "scoring: finish the scores; the session ends "
		    "with this phase" : "scoring: the interviewer finishes "
		    "scoring; the results follow";
	default:
		return "";
	}
}

/* "1:00", rounded up as the header's clock is. */
static void
duration(int64_t ms, char *buf, size_t len)
{
	int64_t sec = (ms + 999) / 1000;

	snprintf(buf, len, "%lld:%02lld", (long long)(sec / 60),
	    (long long)(sec % 60));
}

/* Marks already behind at left ms: they stay silent. */
static int
marks_passed(int64_t left)
{
	return (left <= VM_WARN_FIRST_MS ? MARK_FIRST : 0) |
	    (left <= VM_WARN_LAST_MS ? MARK_LAST : 0);
}

/* "1:00 left in answer", with what the end of scoring means. */
static void
warn(struct vm *vm, int64_t left, int64_t now)
{
	char d[32];

	duration(left, d, sizeof d);
	if (vm->phase != VM_SCORING)
		vm_set_status(vm, now, "%s left in %s%s", d,
		    vm_phase_name(vm->phase), vm->role == VM_INTERVIEWER ?
		    " (+ adds 2:00)" : "");
	else if (vm->role == VM_INTERVIEWER)
		vm_set_status(vm, now, "%s left: the session ends then%s", d,
		    vm->mode == VM_MODE_NOTE ? " (Enter saves your note now)" :
		    "; notes close");
	else
		vm_set_status(vm, now, "%s left: the session ends then", d);
}

int
vm_tick(struct vm *vm, int64_t now)
{
	int64_t left = vm_remaining_ms(vm, now);
	int alert = 0, due;

	if (vm->phase != vm->alert_phase) {
		/* The first phase seen is no change (the match rang). */
		if (vm->alert_phase != VM_PHASE_NONE &&
		    vm->phase != VM_PHASE_NONE)
			alert = VM_ALERT_BELL;
		vm->alert_phase = vm->phase;
		vm->alerted = left >= 0 ? marks_passed(left) : 0;
		return alert;
	}
	if (left < 0)
		return 0;
	/* An extension takes the clock back above a mark: re-arm it. */
	vm->alerted &= marks_passed(left);
	due = marks_passed(left) & ~vm->alerted;
	if (due == 0 || left == 0)
		return 0;
	vm->alerted |= due;
	warn(vm, left, now);
	return VM_ALERT_BELL;
}
