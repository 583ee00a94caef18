/*
 * vm_keys.c — what each key does on the interview screen (see vm.h):
 * focus and panes, scrolling, the checklist cursor, the scoring keys, the
 * confirmations, and the two input lines (chat, note) which only ever
 * change when the user edits them — never on a push or a reconnect.
 */
#include "vm.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

/* ---- input lines ---- */

static void
line_reserve(struct vm_line *l, size_t more)
{
	if (l->len + more + 1 <= l->cap)
		return;
	l->cap = l->cap ? l->cap : 64;
	while (l->cap < l->len + more + 1)
		l->cap *= 2;
	l->buf = xrealloc(l->buf, l->cap);
}

void
vm_line_insert(struct vm_line *l, uint32_t cp)
{
	char u[4];
	size_t n;

	if (cp < 0x20 || cp == 0x7f || (cp >= 0xd800 && cp <= 0xdfff) ||
	    cp > 0x10ffff)
		return;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xc0 | (cp >> 6));
		u[1] = (char)(0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xe0 | (cp >> 12));
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char)(0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char)(0xf0 | (cp >> 18));
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char)(0x80 | (cp & 0x3f));
		n = 4;
	}
	/* The server takes 4 KiB of text: stop there rather than fail later. */
	if (l->len + n > 4096)
		return;
	line_reserve(l, n);
	memmove(l->buf + l->cur + n, l->buf + l->cur, l->len - l->cur);
	memcpy(l->buf + l->cur, u, n);
	l->len += n;
	l->cur += n;
	l->buf[l->len] = '\0';
}

static size_t
prev_boundary(const struct vm_line *l, size_t at)
{
	if (at == 0)
		return 0;
	at--;
	while (at > 0 && ((unsigned char)l->buf[at] & 0xc0) == 0x80)
		at--;
	return at;
}

static size_t
next_boundary(const struct vm_line *l, size_t at)
{
	if (at >= l->len)
		return l->len;
	at++;
	while (at < l->len && ((unsigned char)l->buf[at] & 0xc0) == 0x80)
		at++;
	return at;
}

static void
line_cut(struct vm_line *l, size_t from, size_t to)
{
	memmove(l->buf + from, l->buf + to, l->len - to);
	l->len -= to - from;
	l->buf[l->len] = '\0';
}

void
vm_line_backspace(struct vm_line *l)
{
	size_t p = prev_boundary(l, l->cur);

	if (l->cur == 0)
		return;
	line_cut(l, p, l->cur);
	l->cur = p;
}

void
vm_line_delete(struct vm_line *l)
{
	if (l->cur < l->len)
		line_cut(l, l->cur, next_boundary(l, l->cur));
}

void
vm_line_left(struct vm_line *l)
{
	l->cur = prev_boundary(l, l->cur);
}

void
vm_line_right(struct vm_line *l)
{
	l->cur = next_boundary(l, l->cur);
}

void
vm_line_clear(struct vm_line *l)
{
	l->len = l->cur = 0;
	if (l->buf != NULL)
		l->buf[0] = '\0';
}

const char *
vm_line_text(const struct vm_line *l)
{
	return l->buf != NULL ? l->buf : "";
}

void
vm_line_free(struct vm_line *l)
{
	free(l->buf);
	memset(l, 0, sizeof *l);
}

/* Whether the line holds something besides spaces. */
static int
line_has_text(const struct vm_line *l)
{
	for (size_t i = 0; i < l->len; i++)
		if (l->buf[i] != ' ')
			return 1;
	return 0;
}

/* ^W: the word before the cursor, and the spaces after it. */
static void
line_cut_word(struct vm_line *l)
{
	size_t p = l->cur;

	while (p > 0 && l->buf[p - 1] == ' ')
		p--;
	while (p > 0 && l->buf[p - 1] != ' ')
		p = prev_boundary(l, p);
	line_cut(l, p, l->cur);
	l->cur = p;
}

int
vm_line_key(struct vm_line *l, int key)
{
	switch (key) {
	case VM_KEY_BACKSPACE:
	case 8:
		vm_line_backspace(l);
		return 1;
	case VM_KEY_DELETE:
		vm_line_delete(l);
		return 1;
	case VM_KEY_LEFT:
		vm_line_left(l);
		return 1;
	case VM_KEY_RIGHT:
		vm_line_right(l);
		return 1;
	case VM_KEY_HOME:
	case 1:		/* ^A */
		l->cur = 0;
		return 1;
	case VM_KEY_END:
	case 5:		/* ^E */
		l->cur = l->len;
		return 1;
	case VM_KEY_CTRL_U:
		vm_line_clear(l);
		return 1;
	case VM_KEY_CTRL_W:
		if (l->cur > 0)
			line_cut_word(l);
		return 1;
	default:
		if (key >= 0x20 && key < VM_KEY_BASE && key != 0x7f) {
			vm_line_insert(l, (uint32_t)key);
			return 1;
		}
		return 0;
	}
}

/* ---- panes and scrolling ---- */

int
vm_panes(const struct vm *vm, enum vm_pane out[VM_PANE__COUNT])
{
	int n = 0;

	if (vm->session_id == 0)
		return 0;
	out[n++] = VM_PANE_QUESTION;
	if (vm->role == VM_INTERVIEWER)
		out[n++] = VM_PANE_CHECKLIST;
	out[n++] = VM_PANE_CHAT;
	return n;
}

static void
cycle_focus(struct vm *vm, int dir)
{
	enum vm_pane p[VM_PANE__COUNT];
	int n = vm_panes(vm, p), i;

	if (n == 0)
		return;
	for (i = 0; i < n && p[i] != vm->focus; i++)
		;
	i = i == n ? 0 : (i + dir + n) % n;
	if (p[i] == VM_PANE_CHAT && vm->focus != VM_PANE_CHAT)
		vm->before_chat = vm->focus;
	vm->focus = p[i];
}

void
vm_clamp_scroll(struct vm *vm, enum vm_pane p, int lines, int visible)
{
	int max = lines - visible;

	if (max < 0)
		max = 0;
	if (vm->scroll[p] > max)
		vm->scroll[p] = max;
	if (vm->scroll[p] < 0)
		vm->scroll[p] = 0;
}

/*
 * Scroll a pane by delta lines (down positive). The chat counts from the
 * bottom, so down means towards 0 there. The upper bound is applied by
 * vm_clamp_scroll when the screen knows the pane's height.
 */
static void
scroll_by(struct vm *vm, enum vm_pane p, int delta)
{
	if (p == VM_PANE_CHAT)
		delta = -delta;
	vm->scroll[p] += delta;
	if (vm->scroll[p] < 0)
		vm->scroll[p] = 0;
}

static int
scroll_key(struct vm *vm, enum vm_pane p, int key)
{
	switch (key) {
	case VM_KEY_UP:
		scroll_by(vm, p, -1);
		return 1;
	case VM_KEY_DOWN:
		scroll_by(vm, p, 1);
		return 1;
	case VM_KEY_PGUP:
		scroll_by(vm, p, -10);
		return 1;
	case VM_KEY_PGDN:
		scroll_by(vm, p, 10);
		return 1;
	default:
		return 0;
	}
}

/* ---- the interviewer's console ---- */

static void
cursor_move(struct vm *vm, int delta)
{
	size_t rows = vm_cursor_rows(vm);

	if (rows == 0)
		return;
	if (delta < 0 && vm->cursor > 0)
		vm->cursor--;
	else if (delta > 0 && vm->cursor + 1 < rows)
		vm->cursor++;
}

static void
score_key(struct vm *vm, int score, int64_t now)
{
	int is_flag;
	const struct vm_item *it = vm_cursor_item(vm, &is_flag);

	if (it == NULL)
		return;
	if (is_flag) {
		vm_set_status(vm, now, "that is a red flag: r ticks it");
		return;
	}
	if (score == VM_SCORE_CLEAR && it->score == 0) {
		vm_set_status(vm, now, "%s has no score to clear", it->label);
		return;
	}
	vm_note_add(vm, it->key, "", score, -1);
}

static void
flag_key(struct vm *vm, int64_t now)
{
	int is_flag;
	const struct vm_item *it = vm_cursor_item(vm, &is_flag);

	if (it == NULL || !is_flag) {
		vm_set_status(vm, now, "move the cursor to a red flag (under "
		    "the checklist) to tick it");
		return;
	}
	vm_note_add(vm, it->key, "", 0, !it->flagged);
}

static void
open_note(struct vm *vm, const char *item)
{
	free(vm->note_item);
	vm->note_item = xstrdup(item);
	vm->mode = VM_MODE_NOTE;
}

/* The keys that act on the item under the checklist's cursor. */
static int
item_key(int key)
{
	return (key >= '0' && key <= '4') || key == 'x' || key == 'n' ||
	    key == 'r';
}

/* Keys of the interviewer while live; 1 when handled. */
static int
console_key(struct vm *vm, int key, int64_t now, enum vm_act *act)
{
	const struct vm_item *it;

	/* Scores go where the cursor is seen: on the checklist. */
	if (item_key(key) && vm->focus != VM_PANE_CHECKLIST) {
		vm_set_status(vm, now, "the checklist is not in focus: Tab "
		    "to it first");
		return 1;
	}
	switch (key) {
	case '1': case '2': case '3': case '4':
		score_key(vm, key - '0', now);
		return 1;
	case '0':
	case 'x':
		/* A note that clears it: history keeps both. */
		score_key(vm, VM_SCORE_CLEAR, now);
		return 1;
	case 'n':
		if ((it = vm_cursor_item(vm, NULL)) != NULL)
			open_note(vm, it->key);
		return 1;
	case 'g':
		open_note(vm, "general");
		return 1;
	case 'r':
		flag_key(vm, now);
		return 1;
	case 'N':
		vm->mode = VM_MODE_CONFIRM_NEXT;
		return 1;
	case '+':
		if (vm_remaining_ms(vm, now) < 0)
			vm_set_status(vm, now, "this phase has no clock to "
			    "extend");
		else if (vm->extended_ms >= VM_EXTEND_MAX_MS)
			vm_set_status(vm, now, "the 10 minutes of extensions "
			    "are used up");
		else
			*act = VM_ACT_EXTEND;
		return 1;
	default:
		(void)act;
		return 0;
	}
}

/* Keys of a session that has ended; 1 when handled. */
static int
done_key(struct vm *vm, int key, int64_t now, enum vm_act *act)
{
	switch (key) {
	case 's':
		if (vm->swap_closed || vm_swap_left_ms(vm, now) == 0)
			vm_set_status(vm, now, "the swap window has passed "
			    "(2 minutes after the end)");
		else if (vm->swap_pending)
			vm_set_status(vm, now, "swap proposed: waiting for %s",
			    vm->peer_name ? vm->peer_name : "your peer");
		else
			vm->mode = VM_MODE_CONFIRM_SWAP;
		return 1;
	case 'f':
		if (vm->role == VM_CANDIDATE && !vm->feedback_sent)
			vm->mode = VM_MODE_RATE;
		else
			vm_set_status(vm, now, vm->role == VM_CANDIDATE ?
			    "feedback sent: thank you" : "f is the candidate's "
			    "(rating the interviewing)");
		return 1;
	case 'g':
	case 'n':
	case 'N':
	case '+':
	case '1': case '2': case '3': case '4':
		if (vm->role == VM_INTERVIEWER) {
			vm_set_status(vm, now, "the session has ended: notes "
			    "and scores are closed%s", vm_debrief_open(vm,
			    now) ? " (c: the debrief chat)" : "");
			return 1;
		}
		return 0;
	case VM_KEY_ENTER:
	case '\r':
		if (vm->rejoined) {
			*act = VM_ACT_QUEUE;
			return 1;
		}
		return 0;
	default:
		return 0;
	}
}

/* ---- modes ---- */

/* Enter on a note: saved while live; after the end, into the chat. */
static void
note_enter(struct vm *vm, int64_t now)
{
	if (!line_has_text(&vm->note_line))
		return;
	if (vm->phase == VM_DONE) {
		if (!vm_debrief_open(vm, now)) {
			vm_set_status(vm, now, "notes closed at the end of the "
			    "session; your draft is kept (Esc)");
			return;
		}
		for (size_t i = 0; i < vm->note_line.len; i++)
			vm_line_insert(&vm->chat_line,
			    (unsigned char)vm->note_line.buf[i]);
		vm_line_clear(&vm->note_line);
		vm->mode = VM_MODE_NORMAL;
		vm->focus = VM_PANE_CHAT;
		vm_set_status(vm, now, "notes closed at the end: your note is "
		    "in the chat line; Enter sends it to %s", vm->peer_name ?
		    vm->peer_name : "your peer");
		return;
	}
	vm_note_add(vm, vm->note_item, vm_line_text(&vm->note_line), 0, -1);
	vm_line_clear(&vm->note_line);
	vm->mode = VM_MODE_NORMAL;
}

static enum vm_act
mode_key(struct vm *vm, int key, int64_t now)
{
	int yes = key == 'y' || key == 'Y';
	enum vm_mode m = vm->mode;

	switch (m) {
	case VM_MODE_CONFIRM_END:
	case VM_MODE_CONFIRM_QUIT:
	case VM_MODE_CONFIRM_NEXT:
	case VM_MODE_CONFIRM_SWAP:
		vm->mode = VM_MODE_NORMAL;
		if (!yes)
			return VM_ACT_NONE;
		return m == VM_MODE_CONFIRM_END ? VM_ACT_END :
		    m == VM_MODE_CONFIRM_QUIT ? VM_ACT_QUIT :
		    m == VM_MODE_CONFIRM_NEXT ? VM_ACT_PHASE_NEXT :
		    VM_ACT_SWAP;
	case VM_MODE_RATE:
		if (key >= '1' && key <= '4') {
			vm->feedback_rating = key - '0';
			vm->mode = VM_MODE_FEEDBACK;
		} else if (key == VM_KEY_ESC || key == 'q')
			vm->mode = VM_MODE_NORMAL;
		return VM_ACT_NONE;
	case VM_MODE_NOTE:
	case VM_MODE_FEEDBACK:
		if (key == VM_KEY_ESC) {
			/* Cancelled, but the draft stays for next time. */
			vm->mode = VM_MODE_NORMAL;
			if (vm->feedback_rating && !vm->feedback_sent)
				vm->feedback_rating = 0;
			return VM_ACT_NONE;
		}
		if (key == VM_KEY_ENTER || key == '\r') {
			if (vm->mode == VM_MODE_FEEDBACK) {
				vm->mode = VM_MODE_NORMAL;
				return VM_ACT_FEEDBACK;
			}
			note_enter(vm, now);
			return VM_ACT_NONE;
		}
		vm_line_key(&vm->note_line, key);
		return VM_ACT_NONE;
	default:
		return VM_ACT_NONE;
	}
}

static enum vm_act
chat_key(struct vm *vm, int key, int64_t now)
{
	if (key == VM_KEY_ENTER || key == '\r') {
		if (!line_has_text(&vm->chat_line))
			return VM_ACT_NONE;
		/* A message the server would refuse: keep what was typed. */
		if (vm->phase == VM_DONE && !vm_debrief_open(vm, now)) {
			vm_set_status(vm, now, "the chat closed %s; what you "
			    "typed is kept", vm->debrief_ends_at > 0 ?
			    "with the debrief" : "at the end of the session");
			return VM_ACT_NONE;
		}
		vm_chat_add_mine(vm, vm_line_text(&vm->chat_line));
		vm_line_clear(&vm->chat_line);
		return VM_ACT_NONE;
	}
	if (key == VM_KEY_ESC) {
		/* Back where the user came from (the checklist, usually). */
		vm->focus = vm->before_chat;
		return VM_ACT_NONE;
	}
	if (scroll_key(vm, VM_PANE_CHAT, key))
		return VM_ACT_NONE;
	vm_line_key(&vm->chat_line, key);
	return VM_ACT_NONE;
}

static void
focus_chat(struct vm *vm)
{
	if (vm->focus != VM_PANE_CHAT)
		vm->before_chat = vm->focus;
	vm->focus = VM_PANE_CHAT;
}

/* The keys of the screen before a pairing. */
static enum vm_act
waiting_key(struct vm *vm, int key)
{
	if (key == '?')
		vm->help = 1;
	else if (key == 'q' || key == VM_KEY_ESC)
		return VM_ACT_QUIT;
	return VM_ACT_NONE;
}

/* Keys every pane shares; 1 when handled. */
static int
common_key(struct vm *vm, int key, int live, enum vm_act *act)
{
	switch (key) {
	case 'e':
		if (live)
			vm->mode = VM_MODE_CONFIRM_END;
		return live;
	case 'q':
		if (live)
			vm->mode = VM_MODE_CONFIRM_QUIT;
		else
			*act = VM_ACT_QUIT;
		return 1;
	case 'c':
		/* A shortcut to the chat from anywhere. */
		focus_chat(vm);
		return 1;
	case 'k':
	case VM_KEY_UP:
		if (vm->focus == VM_PANE_CHECKLIST)
			cursor_move(vm, -1);
		else
			scroll_by(vm, vm->focus, -1);
		return 1;
	case 'j':
	case VM_KEY_DOWN:
		if (vm->focus == VM_PANE_CHECKLIST)
			cursor_move(vm, 1);
		else
			scroll_by(vm, vm->focus, 1);
		return 1;
	case ' ':
		scroll_by(vm, VM_PANE_QUESTION, 10);
		return 1;
	case VM_KEY_HOME:
		vm->scroll[vm->focus] = 0;
		return 1;
	default:
		return scroll_key(vm, vm->focus == VM_PANE_CHECKLIST ?
		    VM_PANE_QUESTION : vm->focus, key);
	}
}

enum vm_act
vm_key(struct vm *vm, int key, int64_t now)
{
	enum vm_act act = VM_ACT_NONE;
	int live = vm->session_id != 0 && vm->phase != VM_DONE;

	vm->dirty = 1;
	if (key == VM_KEY_CTRL_C)
		return VM_ACT_QUIT;
	if (key == VM_KEY_CTRL_Z)
		return VM_ACT_SUSPEND;
	if (vm->help) {
		/* Any key closes the help; it does nothing else. */
		vm->help = 0;
		return VM_ACT_NONE;
	}
	if (vm->mode != VM_MODE_NORMAL)
		return mode_key(vm, key, now);
	if (key == VM_KEY_TAB || key == VM_KEY_BTAB) {
		cycle_focus(vm, key == VM_KEY_TAB ? 1 : -1);
		return VM_ACT_NONE;
	}
	if (vm->session_id == 0)
		return waiting_key(vm, key);
	if (vm->focus == VM_PANE_CHAT)
		return chat_key(vm, key, now);
	if (key == '?') {
		vm->help = 1;
		return VM_ACT_NONE;
	}
	if (vm->role == VM_INTERVIEWER && live &&
	    console_key(vm, key, now, &act))
		return act;
	if (!live && done_key(vm, key, now, &act))
		return act;
	if (common_key(vm, key, live, &act))
		return act;
	/* Typed text that is no key must not pass unnoticed. */
	if (key > 0x20 && key < 0x7f) {
		char k[2] = { (char)key, '\0' };

		vm_set_status(vm, now, "'%s' is not a key here (? lists them; "
		    "c types in the chat)", k);
	}
	return act;
}
