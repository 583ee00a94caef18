/*
 * ui_browse.c — the history browser's screen (see ui.h, browse.h): the
 * list of sessions as 'mockint history' prints it, the cursor on one,
 * or one report in the pager view; a status or input row and the key
 * hints at the bottom.
 */
#include <stdio.h>
#include <string.h>

#include "browse.h"
#include "fmt.h"
#include "htable.h"
#include "ui.h"
#include "ui_int.h"

/* The result column: "ended early 3.50" and a little more. */
#define BROWSE_RESULT_W	18

static void
row_text(const json_t *e, int titlew, int resultw, char *buf, size_t len)
{
	char res[64], pad[128];

	htable_row(e, titlew, buf, len);
	htable_result(e, res, sizeof res);
	fmt_pad(res, resultw, pad, sizeof pad);
	if (strlen(buf) + strlen(pad) < len)
		strcat(buf, pad);
}

static void
draw_list(struct browse *b, int rows, int cols)
{
	int resultw = BROWSE_RESULT_W, h = rows - 4;
	int titlew = htable_title_width(cols, resultw);
	char line[2048];

	htable_header(titlew, resultw, line, sizeof line);
	ui_put(1, 0, cols, line, A_BOLD | COLOR_PAIR(C_TITLE));
	b->page = h;
	if (b->cursor < b->top)
		b->top = b->cursor;
	if (h > 0 && b->cursor >= b->top + (size_t)h)
		b->top = b->cursor - (size_t)h + 1;
	for (int i = 0; i < h; i++) {
		size_t k = b->top + (size_t)i;

		if (k >= b->n_shown) {
			ui_put(2 + i, 0, cols, "", A_NORMAL);
			continue;
		}
		row_text(json_array_get(b->entries, b->shown[k]), titlew,
		    resultw, line, sizeof line);
		ui_put(2 + i, 0, cols, line, k == b->cursor ? A_REVERSE :
		    A_NORMAL);
	}
	if (b->n_shown == 0)
		ui_put(3, 2, cols - 2, b->search != NULL ? "No session matches "
		    "the search (Esc clears it)." : "No sessions yet: "
		    "'mockint interview' starts one.", A_DIM);
}

static void
draw_pager(struct browse *b, int rows, int cols)
{
	struct wrap_doc d = { .width = cols - 1 };
	struct rect r = { 1, 0, rows - 3, cols };
	int max;

	wrap_text(&d, b->report != NULL ? b->report : "", A_NORMAL, 0);
	max = (int)d.n - r.h;
	if (max < 0)
		max = 0;
	if (b->report_top > max)
		b->report_top = max;
	b->page = r.h;
	ui_draw_doc(&r, &d, b->report_top);
	wrap_free(&d);
}

void
ui_draw_browse(struct browse *b)
{
	int rows, cols, cx = -1, in_pager = b->mode == BROWSE_PAGER ||
	    (b->mode == BROWSE_EXPORT && b->back == BROWSE_PAGER);
	char head[256];

	getmaxyx(stdscr, rows, cols);
	erase();
	if (rows < 6 || cols < 40) {
		ui_put(0, 0, cols, "mockint: the terminal is too small",
		    A_BOLD);
		refresh();
		return;
	}
	if (in_pager)
		snprintf(head, sizeof head, " mockint history │ session %lld",
		    (long long)b->open_id);
	else
		snprintf(head, sizeof head, " mockint history │ %zu session%s"
		    "%s%s%s%s", b->n_shown, b->n_shown == 1 ? "" : "s",
		    b->search ? " matching '" : "", b->search ? b->search : "",
		    b->search ? "'" : "", b->next ? " (more below)" : "");
	ui_put(0, 0, cols, head, A_REVERSE | A_BOLD);
	if (in_pager)
		draw_pager(b, rows, cols);
	else
		draw_list(b, rows, cols);
	if (b->mode == BROWSE_SEARCH)
		cx = ui_draw_input(rows - 2, 0, cols, "/", &b->input,
		    A_NORMAL);
	else if (b->mode == BROWSE_EXPORT)
		cx = ui_draw_input(rows - 2, 0, cols, "Export to (.md, .json "
		    "or .csv): ", &b->input, A_NORMAL);
	else
		ui_put(rows - 2, 0, cols, b->status ? b->status : "", A_BOLD);
	ui_put(rows - 1, 0, cols, b->mode == BROWSE_PAGER ? " ↑↓ PgUp PgDn "
	    "scroll · e export · q back" : b->mode == BROWSE_LIST ? " ↑↓ "
	    "move · Enter open · e export · / search · Esc clear · q quit" :
	    " Enter done · Esc cancel · ^W cut word", A_REVERSE);
	if (cx >= 0) {
		curs_set(1);
		move(rows - 2, cx < cols ? cx : cols - 1);
	} else
		curs_set(0);
	refresh();
	b->dirty = 0;
}
