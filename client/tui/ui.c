/*
 * ui.c — the terminal in ncurses (see ui.h, ui_int.h): curses mode, keys,
 * suspending, the drawing helpers, and the interview screen's layout.
 * Each frame is drawn whole from the view model onto stdscr and curses
 * sends only what changed. Text is wrapped by display width (wcwidth),
 * so UTF-8 titles, names and chat stay in their panes.
 *
 * Layout (usable from 80x24, readable down to 40x12): a header row, the
 * panes, a status/prompt row and a row of key hints. The candidate has
 * the question above the chat; the interviewer has question and chat on
 * the left and the checklist, red flags and notes on the right.
 */
#include "ui.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "fmt.h"
#include "ui_int.h"
#include "xmalloc.h"

/* Below this the screen says it is too small. */
#define UI_MIN_ROWS	10
#define UI_MIN_COLS	40

static int started;

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
ui_suspend(void)
{
	if (!started)
		return;
	endwin();
	/* Stop as the shell expects; we go on here when continued. */
	kill(getpid(), SIGTSTP);
	ui_resize();
	refresh();
}

void
ui_bell(int flash_it)
{
	if (!started)
		return;
	if (flash_it)
		flash();
	else
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

enum ui_input
ui_wait_key(int *key, int ms)
{
	enum ui_input in;

	timeout(ms);
	in = ui_read_key(key);
	nodelay(stdscr, TRUE);
	return in;
}

/* ---- drawing helpers ---- */

void
ui_put(int y, int x, int w, const char *s, attr_t attr)
{
	char buf[2048];

	if (w <= 0)
		return;
	fmt_pad(s, w, buf, sizeof buf);
	attron(attr);
	mvaddstr(y, x, buf);
	attroff(attr);
}

void
ui_title(const struct rect *r, const char *text, int focused)
{
	char buf[256];

	snprintf(buf, sizeof buf, "%s%s", focused ? "▌" : " ", text);
	ui_put(r->y, r->x, r->w, buf, focused ? A_REVERSE | A_BOLD :
	    A_BOLD | COLOR_PAIR(C_TITLE));
	if (!focused)
		return;
	attron(A_BOLD | COLOR_PAIR(C_TITLE));
	for (int y = r->y + 1; y < r->y + r->h; y++)
		mvaddstr(y, r->x, "▌");
	attroff(A_BOLD | COLOR_PAIR(C_TITLE));
}

void
ui_draw_doc(const struct rect *r, const struct wrap_doc *d, int scroll)
{
	for (int i = 0; i < r->h; i++) {
		size_t k = (size_t)(scroll + i);

		ui_put(r->y + i, r->x, r->w, k < d->n ? d->v[k].text : "",
		    k < d->n ? (attr_t)d->v[k].attr : A_NORMAL);
	}
}

int
ui_draw_input(int y, int x, int w, const char *prompt,
    const struct vm_line *l, attr_t attr)
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
	ui_put(y, x, pw, prompt, attr | A_BOLD);
	ui_put(y, x + pw, w - pw, text + skip, attr);
	cx = x + pw + fmt_width(before + skip);
	free(before);
	return cx;
}

/* The interviewer's four panes: question and chat left, checklist and
 * notes right. */
static int
layout_interviewer(struct vm *vm, int64_t now, int body_h, int cols,
    int *cy, int *cx)
{
	int right = cols * 2 / 5 < 34 ? 34 : cols * 2 / 5;
	int chat_h = body_h / 3 < 6 ? 6 : body_h / 3;
	int notes_h = body_h / 3 < 5 ? 5 : body_h / 3;
	struct rect q, c, k, n;

	/* A narrow terminal: the right side takes what it can. */
	if (right > cols - 12)
		right = cols / 2;
	q = (struct rect){ 1, 0, body_h - chat_h, cols - right - 1 };
	c = (struct rect){ 1 + q.h, 0, chat_h, q.w };
	k = (struct rect){ 1, cols - right, body_h - notes_h, right };
	n = (struct rect){ 1 + k.h, cols - right, notes_h, right };
	for (int y = 1; y < 1 + body_h; y++)
		mvaddstr(y, cols - right - 1, "│");
	ui_draw_question(vm, &q, now);
	ui_draw_checklist(vm, &k);
	ui_draw_notes(vm, &n);
	return ui_draw_chat(vm, &c, cy, cx);
}

void
ui_draw(struct vm *vm, int64_t now)
{
	int rows, cols, cy = -1, cx = -1, body_h, show_cursor = 0;

	getmaxyx(stdscr, rows, cols);
	erase();
	if (rows < UI_MIN_ROWS || cols < UI_MIN_COLS) {
		ui_put(0, 0, cols, "mockint: the terminal is too small "
		    "(80x24 wanted)", A_BOLD);
		refresh();
		return;
	}
	ui_draw_header(vm, now, cols);
	body_h = rows - 3;
	if (vm->session_id == 0)
		ui_draw_waiting(vm, now, rows, cols);
	else if (vm->role == VM_INTERVIEWER)
		show_cursor = layout_interviewer(vm, now, body_h, cols, &cy,
		    &cx);
	else {
		int chat_h = body_h * 2 / 5 < 6 ? 6 : body_h * 2 / 5;
		struct rect q = { 1, 0, body_h - chat_h, cols };
		struct rect c = { 1 + q.h, 0, chat_h, cols };

		ui_draw_question(vm, &q, now);
		show_cursor = ui_draw_chat(vm, &c, &cy, &cx);
	}
	if (ui_draw_status(vm, now, rows - 2, cols, &cx)) {
		cy = rows - 2;
		show_cursor = 1;
	}
	ui_put(rows - 1, 0, cols, ui_hints(vm, now), A_REVERSE);
	if (vm->help)
		ui_draw_help(vm, rows, cols);
	if (show_cursor && !vm->help && cy >= 0) {
		curs_set(1);
		move(cy, cx < cols ? cx : cols - 1);
	} else
		curs_set(0);
	refresh();
	vm->dirty = 0;
}
