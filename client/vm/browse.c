/*
 * browse.c — the history browser's model (see browse.h): the loaded
 * entries, the search, the cursor and the pager, changed by keys only.
 */
#include "browse.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vm_json.h"
#include "xmalloc.h"

void
browse_init(struct browse *b)
{
	memset(b, 0, sizeof *b);
	b->entries = json_array();
	b->page = BROWSE_PAGE_MIN;
	b->dirty = 1;
}

void
browse_free(struct browse *b)
{
	json_decref(b->entries);
	free(b->shown);
	free(b->search);
	free(b->report);
	free(b->status);
	vm_line_free(&b->input);
	memset(b, 0, sizeof *b);
}

void
browse_set_status(struct browse *b, const char *fmt, ...)
{
	va_list ap;
	char buf[512];

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	free(b->status);
	b->status = xstrdup(buf);
	b->dirty = 1;
}

/* Whether needle is in hay, ASCII letters in either case. */
static int
has_text(const char *hay, const char *needle)
{
	size_t n = strlen(needle);

	if (n == 0)
		return 1;
	for (; *hay != '\0'; hay++) {
		size_t i;

		for (i = 0; i < n && hay[i] != '\0' &&
		    tolower((unsigned char)hay[i]) ==
		    tolower((unsigned char)needle[i]); i++)
			;
		if (i == n)
			return 1;
	}
	return 0;
}

int
browse_matches(const json_t *e, const char *s)
{
	return s == NULL || has_text(vm_jstr(json_object_get(e, "question"),
	    "title", ""), s) || has_text(vm_jstr(json_object_get(e, "peer"),
	    "username", ""), s);
}

/* The rows the search keeps, keeping the cursor on its session. */
static void
refilter(struct browse *b, const char *s)
{
	const json_t *cur = browse_current(b);
	size_t i, n = json_array_size(b->entries);
	json_t *e;

	free(b->shown);
	b->shown = xcalloc(n + 1, sizeof *b->shown);
	b->n_shown = 0;
	b->cursor = 0;
	json_array_foreach(b->entries, i, e)
		if (browse_matches(e, s)) {
			if (e == cur)
				b->cursor = b->n_shown;
			b->shown[b->n_shown++] = i;
		}
	if (b->top > b->cursor)
		b->top = b->cursor;
	b->dirty = 1;
}

void
browse_add_page(struct browse *b, const json_t *reply)
{
	json_t *next = json_object_get(reply, "next");
	json_int_t n = json_is_integer(next) ? json_integer_value(next) : 0;

	json_array_extend(b->entries, json_object_get(reply, "sessions"));
	/* A cursor that does not move back would repeat pages, and a search
	 * would load them forever: the end (b->next was this page's). */
	b->next = n > 0 && (b->next == 0 || n < b->next) ? n : 0;
	refilter(b, b->search);
}

const json_t *
browse_current(const struct browse *b)
{
	if (b->cursor >= b->n_shown)
		return NULL;
	return json_array_get(b->entries, b->shown[b->cursor]);
}

void
browse_open(struct browse *b, int64_t id, const char *text)
{
	free(b->report);
	b->report = xstrdup(text);
	b->open_id = id;
	b->report_top = 0;
	b->mode = BROWSE_PAGER;
	b->dirty = 1;
}

const char *
browse_export_name(const struct browse *b)
{
	return vm_line_text(&b->input);
}

static void
move(struct browse *b, long delta)
{
	long c = (long)b->cursor + delta;

	if (c >= (long)b->n_shown)
		c = (long)b->n_shown - 1;
	if (c < 0)
		c = 0;
	b->cursor = (size_t)c;
	if (b->cursor < b->top)
		b->top = b->cursor;
	if (b->page > 0 && b->cursor >= b->top + (size_t)b->page)
		b->top = b->cursor - (size_t)b->page + 1;
}

static void
start_input(struct browse *b, enum browse_mode m, const char *text)
{
	vm_line_clear(&b->input);
	for (; text != NULL && *text != '\0'; text++)
		vm_line_insert(&b->input, (unsigned char)*text);
	b->back = b->mode;
	b->mode = m;
}

static void
start_export(struct browse *b)
{
	const json_t *e = browse_current(b);
	int64_t id = b->mode == BROWSE_PAGER ? b->open_id : e != NULL ?
	    vm_jint(e, "session_id") : 0;
	char name[64];

	if (id <= 0)
		return;
	snprintf(name, sizeof name, "mockint-session-%lld.md", (long long)id);
	start_input(b, BROWSE_EXPORT, name);
	b->open_id = id;
}

/* More to load when the cursor nears the end, or a search is on. */
static enum browse_act
maybe_more(const struct browse *b)
{
	if (b->next != 0 && (b->search != NULL ||
	    b->cursor + BROWSE_PREFETCH >= b->n_shown))
		return BROWSE_MORE;
	return BROWSE_NONE;
}

/* Typing a search: the list follows each key; Enter keeps it, Esc
 * goes back to the one before. */
static enum browse_act
search_key(struct browse *b, int key)
{
	if (key == VM_KEY_ESC) {
		refilter(b, b->search);
		b->mode = BROWSE_LIST;
		return BROWSE_NONE;
	}
	if (key == VM_KEY_ENTER || key == '\r') {
		free(b->search);
		b->search = b->input.len > 0 ? xstrdup(vm_line_text(
		    &b->input)) : NULL;
		b->mode = BROWSE_LIST;
		if (b->n_shown == 0 && b->search != NULL)
			browse_set_status(b, "no session matches '%s'%s",
			    b->search, b->next != 0 ? " yet" : "");
		return maybe_more(b);
	}
	vm_line_key(&b->input, key);
	refilter(b, b->input.len > 0 ? vm_line_text(&b->input) : NULL);
	return BROWSE_NONE;
}

static enum browse_act
export_key(struct browse *b, int key)
{
	if (key == VM_KEY_ESC) {
		b->mode = b->back;
		return BROWSE_NONE;
	}
	if (key == VM_KEY_ENTER || key == '\r') {
		b->mode = b->back;
		return b->input.len > 0 ? BROWSE_EXPORT_FILE : BROWSE_NONE;
	}
	vm_line_key(&b->input, key);
	return BROWSE_NONE;
}

static enum browse_act
pager_key(struct browse *b, int key)
{
	int page = b->page > BROWSE_PAGE_MIN ? b->page - 1 : BROWSE_PAGE_MIN;

	switch (key) {
	case 'q':
	case VM_KEY_ESC:
	case VM_KEY_LEFT:
		b->mode = BROWSE_LIST;
		break;
	case 'e':
		start_export(b);
		break;
	case 'k':
	case VM_KEY_UP:
		b->report_top--;
		break;
	case 'j':
	case VM_KEY_DOWN:
	case VM_KEY_ENTER:
		b->report_top++;
		break;
	case 'b':
	case VM_KEY_PGUP:
		b->report_top -= page;
		break;
	case ' ':
	case VM_KEY_PGDN:
		b->report_top += page;
		break;
	case 'g':
	case VM_KEY_HOME:
		b->report_top = 0;
		break;
	case 'G':
	case VM_KEY_END:
		/* The screen clamps it to the last page. */
		b->report_top = 1 << 30;
		break;
	default:
		break;
	}
	if (b->report_top < 0)
		b->report_top = 0;
	return BROWSE_NONE;
}

static enum browse_act
list_key(struct browse *b, int key)
{
	long page = b->page > BROWSE_PAGE_MIN ? b->page - 1 : BROWSE_PAGE_MIN;

	switch (key) {
	case 'q':
		return BROWSE_QUIT;
	case VM_KEY_ESC:
		if (b->search != NULL) {
			free(b->search);
			b->search = NULL;
			refilter(b, NULL);
		}
		return BROWSE_NONE;
	case '/':
		start_input(b, BROWSE_SEARCH, b->search);
		return BROWSE_NONE;
	case 'e':
		start_export(b);
		return BROWSE_NONE;
	case VM_KEY_ENTER:
	case '\r':
	case VM_KEY_RIGHT:
		return browse_current(b) != NULL ? BROWSE_OPEN : BROWSE_NONE;
	case 'k':
	case VM_KEY_UP:
		move(b, -1);
		break;
	case 'j':
	case VM_KEY_DOWN:
		move(b, 1);
		break;
	case VM_KEY_PGUP:
		move(b, -page);
		break;
	case ' ':
	case VM_KEY_PGDN:
		move(b, page);
		break;
	case 'g':
	case VM_KEY_HOME:
		move(b, -(long)b->n_shown);
		break;
	case 'G':
	case VM_KEY_END:
		move(b, (long)b->n_shown);
		break;
	default:
		return BROWSE_NONE;
	}
	return maybe_more(b);
}

enum browse_act
browse_key(struct browse *b, int key)
{
	b->dirty = 1;
	if (key == VM_KEY_CTRL_C)
		return BROWSE_QUIT;
	free(b->status);
	b->status = NULL;
	switch (b->mode) {
	case BROWSE_SEARCH:
		return search_key(b, key);
	case BROWSE_EXPORT:
		return export_key(b, key);
	case BROWSE_PAGER:
		return pager_key(b, key);
	default:
		return list_key(b, key);
	}
}
