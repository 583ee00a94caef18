/*
 * ui.c — the interview screen in ncurses (see ui.h). Each frame is drawn
 * whole from the view model onto stdscr and curses sends only what
 * changed. Text is wrapped by display width (wcwidth), so UTF-8 titles,
 * names and chat stay in their panes.
 *
 * Layout (usable from 80x24): a header row, the panes, a status/prompt
 * row and a row of key hints. The candidate has the question above the
 * chat; the interviewer has question and chat on the left and the
 * checklist, red flags and notes on the right.
 */
#include "ui.h"

#include <curses.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "fmt.h"
#include "vm.h"
#include "wrap.h"
#include "xmalloc.h"

enum { C_ALERT = 1, C_OK, C_PENDING, C_TITLE, C_FLAG, C_MINE };

static int started;

struct rect {
	int y, x, h, w;
};

int
ui_start(void)
{
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
		return -1;
	setlocale(LC_ALL, "");
	if (initscr() == NULL)
		return -1;
	started = 1;
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	/* Esc alone cancels: do not wait a second for a sequence. */
	set_escdelay(25);
	if (has_colors()) {
		start_color();
		use_default_colors();
		init_pair(C_ALERT, COLOR_RED, -1);
		init_pair(C_OK, COLOR_GREEN, -1);
		init_pair(C_PENDING, COLOR_YELLOW, -1);
		init_pair(C_TITLE, COLOR_CYAN, -1);
		init_pair(C_FLAG, COLOR_MAGENTA, -1);
		init_pair(C_MINE, COLOR_BLUE, -1);
	}
	curs_set(0);
	return 0;
}

void
ui_stop(void)
{
	if (!started)
		return;
	started = 0;
	curs_set(1);
	endwin();
}

void
ui_resize(void)
{
	struct winsize ws;

	if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 &&
	    ws.ws_col > 0)
		resizeterm(ws.ws_row, ws.ws_col);
	clearok(stdscr, TRUE);
}

void
ui_bell(void)
{
	if (started)
		beep();
}

enum ui_input
ui_read_key(int *key)
{
	wint_t wc;
	int r = get_wch(&wc);

	if (r == ERR)
		return UI_NONE;
	if (r == KEY_CODE_YES) {
		switch (wc) {
		case KEY_RESIZE:	return UI_RESIZE;
		case KEY_UP:		*key = VM_KEY_UP; break;
		case KEY_DOWN:		*key = VM_KEY_DOWN; break;
		case KEY_LEFT:		*key = VM_KEY_LEFT; break;
		case KEY_RIGHT:		*key = VM_KEY_RIGHT; break;
		case KEY_PPAGE:		*key = VM_KEY_PGUP; break;
		case KEY_NPAGE:		*key = VM_KEY_PGDN; break;
		case KEY_HOME:		*key = VM_KEY_HOME; break;
		case KEY_END:		*key = VM_KEY_END; break;
		case KEY_DC:		*key = VM_KEY_DELETE; break;
		case KEY_BTAB:		*key = VM_KEY_BTAB; break;
		case KEY_BACKSPACE:	*key = VM_KEY_BACKSPACE; break;
		case KEY_ENTER:		*key = VM_KEY_ENTER; break;
		default:		return UI_NONE;
		}
		return UI_KEY;
	}
	if (wc == '\r' || wc == '\n')
		*key = VM_KEY_ENTER;
	else if (wc == 8 || wc == 127)
		*key = VM_KEY_BACKSPACE;
	else
		*key = (int)wc;
	return UI_KEY;
}

/* ---- drawing helpers ---- */

/* Put s at (y, x), cut to w columns. */
static void
put(int y, int x, int w, const char *s, attr_t attr)
{
	char buf[2048];

	if (w <= 0)
		return;
	fmt_pad(s, w, buf, sizeof buf);
	attron(attr);
	mvaddstr(y, x, buf);
	attroff(attr);
}

static void
title(const struct rect *r, const char *text, int focused)
{
	char buf[256];

	snprintf(buf, sizeof buf, " %s", text);
	put(r->y, r->x, r->w, buf, focused ? A_REVERSE | A_BOLD :
	    A_BOLD | COLOR_PAIR(C_TITLE));
}

/* Draw doc lines [scroll, scroll + h) into r. */
static void
draw_doc(const struct rect *r, const struct wrap_doc *d, int scroll)
{
	for (int i = 0; i < r->h; i++) {
		size_t k = (size_t)(scroll + i);

		put(r->y + i, r->x, r->w, k < d->n ? d->v[k].text : "",
		    k < d->n ? (attr_t)d->v[k].attr : A_NORMAL);
	}
}

/* ---- the header ---- */

static void
draw_header(const struct vm *vm, int64_t now, int cols)
{
	char left[512], clock[32], right[256];
	int64_t left_ms = vm_remaining_ms(vm, now);
	int x;

	put(0, 0, cols, "", A_REVERSE);
	if (vm->session_id == 0)
		snprintf(left, sizeof left, " mockint │ %s",
		    vm->wait == VM_WAIT_ROOM ? "waiting in your room" :
		    "waiting to be paired");
	else
		snprintf(left, sizeof left, " mockint #%lld │ %s │ %s %s │ "
		    "%s", (long long)vm->session_id, vm->phase ==
		    VM_PHASE_NONE ? "…" : vm_phase_name(vm->phase),
		    vm->peer_name ? vm->peer_name : "?", vm->peer_connected ?
		    "● connected" : "○ disconnected", vm->role ==
		    VM_INTERVIEWER ? "you interview" : "you answer");
	put(0, 0, cols, left, A_REVERSE | A_BOLD);
	x = fmt_width(left) + 1;

	/* The countdown, red in the last minute. */
	if (left_ms >= 0 && x + 8 < cols) {
		snprintf(clock, sizeof clock, " ⏱ %s ",
		    fmt_duration(left_ms, right, sizeof right));
		put(0, x, fmt_width(clock), clock, left_ms < 60000 ?
		    (A_BOLD | COLOR_PAIR(C_ALERT)) : (A_BOLD | A_REVERSE));
	}
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
	if (right[0] != '\0' && cols - fmt_width(right) > x)
		put(0, cols - fmt_width(right), fmt_width(right), right,
		    A_BOLD | COLOR_PAIR(C_PENDING) | A_REVERSE);
}

/* ---- the question pane ---- */

/* The label of a note's item ("General" for general notes). */
static const char *
item_label(const struct vm *vm, const char *key)
{
	const struct vm_item *it = vm_find_item(vm, key, NULL);

	if (it != NULL)
		return it->label;
	return strcmp(key, "general") == 0 ? "General" : key;
}

static void
results_doc(struct wrap_doc *d, const struct vm *vm)
{
	wrap_fmt(d, A_BOLD, 0, "Session over%s%s.", vm->reason ? ": " : "",
	    vm->reason ? vm->reason : "");
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
	if (vm->swap_pending)
		wrap_fmt(d, COLOR_PAIR(C_PENDING), 0, "Swap proposed: waiting "
		    "for %s.", vm->peer_name ? vm->peer_name : "your peer");
	else if (vm->swap_offered)
		wrap_fmt(d, A_BOLD | COLOR_PAIR(C_PENDING), 0, "%s proposes to "
		    "swap roles: press s to accept.", vm->peer_name ?
		    vm->peer_name : "Your peer");
	else
		wrap_text(d, "Press s to swap roles, q to quit.", A_NORMAL, 0);
	if (vm->role == VM_CANDIDATE && !vm->feedback_sent)
		wrap_text(d, "Press f to rate the interviewing.", A_NORMAL, 0);
	wrap_blank(d);
}

static void
question_doc(struct wrap_doc *d, const struct vm *vm)
{
	const struct vm_question *q = &vm->q;

	if (vm->phase == VM_DONE)
		results_doc(d, vm);
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

static void
draw_question(struct vm *vm, const struct rect *r)
{
	struct wrap_doc d = { .width = r->w - 1 };
	struct rect body = { r->y + 1, r->x + 1, r->h - 1, r->w - 1 };
	char t[64];

	question_doc(&d, vm);
	vm_clamp_scroll(vm, VM_PANE_QUESTION, (int)d.n, body.h);
	snprintf(t, sizeof t, "%s%s", vm->phase == VM_DONE ? "Results & "
	    "question" : "Question", (int)d.n > body.h ? "  (↑↓ scroll)" :
	    "");
	title(r, t, vm->focus == VM_PANE_QUESTION);
	draw_doc(&body, &d, vm->scroll[VM_PANE_QUESTION]);
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

static void
draw_checklist(struct vm *vm, const struct rect *r)
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
	title(r, t, vm->focus == VM_PANE_CHECKLIST);
	draw_doc(&body, &d, vm->scroll[VM_PANE_CHECKLIST]);
	wrap_free(&d);
}

/* The interviewer's notes, newest first, each marked sent or not. */
static void
draw_notes(const struct vm *vm, const struct rect *r)
{
	struct wrap_doc d = { .width = r->w - 1 };
	struct rect body = { r->y + 1, r->x + 1, r->h - 1, r->w - 1 };
	size_t pending = vm_notes_pending(vm);
	char t[96];

	for (size_t i = vm->n_notes; i-- > 0 && (int)d.n < body.h;) {
		const struct vm_note *n = &vm->notes[i];
		attr_t a;
		const char *mark = note_mark(n, &a);
		char what[64] = "";

		if (n->score > 0)
			snprintf(what, sizeof what, " = %d", n->score);
		else if (n->flag >= 0)
			snprintf(what, sizeof what, " %s", n->flag ?
			    "ticked" : "cleared");
		wrap_fmt(&d, a, 2, "%s %.28s%s%s%s%s", mark,
		    item_label(vm, n->item), what, n->text[0] ? ": " : "",
		    n->text, n->state == VM_SEND_FAILED ? " (not saved)" : "");
	}
	if (vm->n_notes == 0)
		wrap_text(&d, "n: note on the item · g: general", A_DIM, 0);
	snprintf(t, sizeof t, "Notes (%zu)%s", vm->n_notes, pending ?
	    "  … = sending" : "  ✓ = saved");
	title(r, t, 0);
	draw_doc(&body, &d, 0);
	wrap_free(&d);
}

/* ---- the chat pane ---- */

/* Draw the input line l in row y at x, w wide; returns the cursor column. */
static int
draw_input(int y, int x, int w, const char *prompt, const struct vm_line *l,
    attr_t attr)
{
	const char *text = vm_line_text(l);
	char *before = xstrndup(text, l->cur);
	int pw = fmt_width(prompt), room = w - pw - 1, skip = 0, cx;

	/* Scroll the line horizontally so that the cursor stays visible. */
	while (fmt_width(before + skip) > room && before[skip] != '\0') {
		size_t n;

		wrap_char_width(before + skip, &n);
		skip += (int)n;
	}
	put(y, x, pw, prompt, attr | A_BOLD);
	put(y, x + pw, w - pw, text + skip, attr);
	cx = x + pw + fmt_width(before + skip);
	free(before);
	return cx;
}

static int
draw_chat(struct vm *vm, const struct rect *r, int *cur_y, int *cur_x)
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
	title(r, t, focused);
	draw_doc(&body, &d, first);
	*cur_x = draw_input(r->y + r->h - 1, r->x + 1, r->w - 1, "> ",
	    &vm->chat_line, focused ? A_NORMAL : A_DIM);
	*cur_y = r->y + r->h - 1;
	wrap_free(&d);
	return focused;
}

/* ---- waiting, help, status and hints ---- */

static void
draw_waiting(const struct vm *vm, int rows, int cols)
{
	struct wrap_doc d = { .width = cols - 4 };
	struct rect r = { 2, 2, rows - 4, cols - 4 };

	if (vm->wait == VM_WAIT_ROOM && vm->room_code != NULL) {
		wrap_fmt(&d, A_BOLD, 0, "Room code: %s", vm->room_code);
		wrap_blank(&d);
		wrap_fmt(&d, A_NORMAL, 0, "Ask your partner to run:  mockint room "
		    "join %s", vm->room_code);
		wrap_text(&d, "The code works once, for 10 minutes.", A_DIM, 0);
	} else {
		wrap_text(&d, "Waiting for a partner…", A_BOLD, 0);
		wrap_blank(&d);
		if (vm->queue_position > 0)
			wrap_fmt(&d, A_NORMAL, 0, "Position %d in the queue, %d "
			    "waiting.", vm->queue_position,
			    vm->queue_waiting);
	}
	wrap_blank(&d);
	wrap_text(&d, "The interview screen opens when you are paired. "
	    "q leaves.", A_DIM, 0);
	draw_doc(&r, &d, 0);
	wrap_free(&d);
}

static const char *const help_candidate[] = {
	"Tab / Shift-Tab  move between panes",
	"↑ ↓ PgUp PgDn    scroll the focused pane",
	"c                type in the chat (Enter sends, Esc leaves)",
	"e                end the session early (asks first)",
	"q                leave the screen (the session goes on)",
	"At the end:  s swap roles · f rate the interviewing · q quit",
	NULL
};

static const char *const help_interviewer[] = {
	"Tab / Shift-Tab  move between panes",
	"↑ ↓ (k j)        move in the checklist / scroll a pane",
	"1 2 3 4          score the item under the cursor",
	"                 (1 not shown, 2 weak, 3 good, 4 strong)",
	"n                a note on the item under the cursor",
	"g                a general note",
	"r                tick or clear the red flag under the cursor",
	"N                next phase",
	"e                end the session (asks first)",
	"c                type in the chat (Enter sends, Esc leaves)",
	"q                leave the screen (the session goes on)",
	"Notes: ✓ saved by the server · … sending · ✗ refused",
	"At the end:  s swap roles · q quit",
	NULL
};

static void
draw_help(const struct vm *vm, int rows, int cols)
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
	put(y, x, w, " Keys — any key closes", A_REVERSE | A_BOLD);
	for (int i = 0; i < n && y + 1 + i < rows - 1; i++) {
		char buf[256];

		snprintf(buf, sizeof buf, "  %s", lines[i]);
		put(y + 1 + i, x, w, buf, A_REVERSE);
	}
	put(y + 1 + n, x, w, "", A_REVERSE);
}

static const char *
hints(const struct vm *vm)
{
	if (vm->session_id == 0)
		return " q leave · ? help";
	if (vm->focus == VM_PANE_CHAT)
		return vm->phase == VM_DONE ? " Enter send · Esc leaves the "
		    "chat (then s swap roles, q quit)" : " Enter send · Esc "
		    "back · Tab pane · PgUp/PgDn scroll";
	if (vm->phase == VM_DONE)
		return vm->role == VM_CANDIDATE ? " s swap roles · f rate · "
		    "q quit · Tab pane · ? help" : " s swap roles · q quit · "
		    "Tab pane · ? help";
	if (vm->role == VM_INTERVIEWER)
		return " ↑↓ move · 1-4 score · n note · g general · r flag · "
		    "N next · e end · ? help";
	return " Tab pane · ↑↓ scroll · c chat · e end · q leave · ? help";
}

/* The status row: a prompt in a mode, else the latest message. */
static int
draw_status(const struct vm *vm, int64_t now, int y, int cols, int *cx)
{
	char prompt[256];

	switch (vm->mode) {
	case VM_MODE_NOTE: {
		const struct vm_item *it = vm_find_item(vm, vm->note_item,
		    NULL);

		snprintf(prompt, sizeof prompt, "Note on %.40s: ", it ?
		    it->label : "general");
		*cx = draw_input(y, 0, cols, prompt, &vm->note_line,
		    A_NORMAL);
		return 1;
	}
	case VM_MODE_FEEDBACK:
		snprintf(prompt, sizeof prompt, "Rating %d. Comment "
		    "(optional, Enter sends): ", vm->feedback_rating);
		*cx = draw_input(y, 0, cols, prompt, &vm->note_line,
		    A_NORMAL);
		return 1;
	case VM_MODE_CONFIRM_END:
		put(y, 0, cols, vm->role == VM_INTERVIEWER ? " End the "
		    "session now? (y/n)" : " End the session early? It counts "
		    "as abandoned. (y/n)", A_BOLD | COLOR_PAIR(C_ALERT));
		return 0;
	case VM_MODE_CONFIRM_QUIT:
		put(y, 0, cols, " Leave the screen? The session goes on; "
		    "'mockint interview' brings you back. (y/n)", A_BOLD |
		    COLOR_PAIR(C_PENDING));
		return 0;
	case VM_MODE_RATE:
		put(y, 0, cols, " How useful was the interviewing? 1 not, "
		    "2 a bit, 3 useful, 4 very (Esc cancels)", A_BOLD);
		return 0;
	default:
		/* Messages fade after 8 s. */
		put(y, 0, cols, vm->status != NULL && now - vm->status_at <
		    8000 ? vm->status : "", A_DIM);
		return 0;
	}
}

void
ui_draw(struct vm *vm, int64_t now)
{
	int rows, cols, cy = -1, cx = -1, body_h, show_cursor = 0;
	struct rect q, c, k, n;

	getmaxyx(stdscr, rows, cols);
	erase();
	if (rows < 10 || cols < 40) {
		put(0, 0, cols, "mockint: the terminal is too small "
		    "(80x24 wanted)", A_BOLD);
		refresh();
		return;
	}
	draw_header(vm, now, cols);
	body_h = rows - 3;
	if (vm->session_id == 0)
		draw_waiting(vm, rows, cols);
	else if (vm->role == VM_INTERVIEWER) {
		int right = cols * 2 / 5 < 34 ? 34 : cols * 2 / 5;
		int chat_h = body_h / 3 < 6 ? 6 : body_h / 3;

		int notes_h = body_h / 3 < 5 ? 5 : body_h / 3;

		q = (struct rect){ 1, 0, body_h - chat_h, cols - right - 1 };
		c = (struct rect){ 1 + q.h, 0, chat_h, q.w };
		k = (struct rect){ 1, cols - right, body_h - notes_h, right };
		n = (struct rect){ 1 + k.h, cols - right, notes_h, right };
		for (int y = 1; y < 1 + body_h; y++)
			mvaddstr(y, cols - right - 1, "│");
		draw_question(vm, &q);
		draw_checklist(vm, &k);
		draw_notes(vm, &n);
		show_cursor = draw_chat(vm, &c, &cy, &cx);
	} else {
		int chat_h = body_h * 2 / 5 < 6 ? 6 : body_h * 2 / 5;

		q = (struct rect){ 1, 0, body_h - chat_h, cols };
		c = (struct rect){ 1 + q.h, 0, chat_h, cols };
		draw_question(vm, &q);
		show_cursor = draw_chat(vm, &c, &cy, &cx);
	}
	if (draw_status(vm, now, rows - 2, cols, &cx)) {
		cy = rows - 2;
		show_cursor = 1;
	}
	put(rows - 1, 0, cols, hints(vm), A_REVERSE);
	if (vm->help)
		draw_help(vm, rows, cols);
	if (show_cursor && !vm->help && cy >= 0) {
		curs_set(1);
		move(cy, cx < cols ? cx : cols - 1);
	} else
		curs_set(0);
	refresh();
	vm->dirty = 0;
}
