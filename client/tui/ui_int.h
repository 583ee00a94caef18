/*
 * ui_int.h — inside the screen (tui/ only): the colour pairs, the
 * drawing helpers ui.c gives the other ui_*.c files, and what each of
 * them draws. ui.c owns the terminal and lays the panes out; ui_panes.c
 * draws the question, checklist, notes and chat; ui_bars.c the header,
 * the status row, the key hints, the help and the waiting screen;
 * ui_browse.c the history browser.
 */
#ifndef MOCKINT_UI_INT_H
#define MOCKINT_UI_INT_H

#include <curses.h>
#include <stddef.h>
#include <stdint.h>

#include "vm.h"
#include "wrap.h"

enum { C_ALERT = 1, C_OK, C_PENDING, C_TITLE, C_FLAG, C_MINE };

struct rect {
	int y, x, h, w;
};

/* Put s at (y, x), cut (with "…") or padded to w columns. */
void ui_put(int y, int x, int w, const char *s, attr_t attr);
/*
 * A pane's title row, and its frame when focused: the title reversed
 * and a bar down the pane's left column, so that the focus shows in any
 * terminal, colours or not.
 */
void ui_title(const struct rect *r, const char *text, int focused);
/* Draw doc lines [scroll, scroll + h) into r. */
void ui_draw_doc(const struct rect *r, const struct wrap_doc *d,
    int scroll);
/* The input line l in row y at x, w wide; returns the cursor column. */
int ui_draw_input(int y, int x, int w, const char *prompt,
    const struct vm_line *l, attr_t attr);

/* ui_panes.c */
void ui_draw_question(struct vm *vm, const struct rect *r, int64_t now);
void ui_draw_checklist(struct vm *vm, const struct rect *r);
void ui_draw_notes(const struct vm *vm, const struct rect *r);
/* One line of the notes pane, without its mark: the item's label cut to
 * labelw columns (with "…"), the score or flag, the text. */
void ui_note_text(const struct vm *vm, const struct vm_note *n, int labelw,
    char *buf, size_t len);
/* Returns whether the chat has the focus (the cursor is in its line). */
int ui_draw_chat(struct vm *vm, const struct rect *r, int *cur_y,
    int *cur_x);

/* ui_bars.c */
void ui_draw_header(const struct vm *vm, int64_t now, int cols);
void ui_draw_waiting(const struct vm *vm, int64_t now, int rows, int cols);
void ui_draw_help(const struct vm *vm, int rows, int cols);
/* The status row: a prompt in a mode (1: the cursor is at *cx), else
 * the latest message. */
int ui_draw_status(const struct vm *vm, int64_t now, int y, int cols,
    int *cx);
const char *ui_hints(const struct vm *vm, int64_t now);

#endif
