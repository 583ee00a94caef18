/*
 * browse.h — the history browser's view model ('mockint history' on a
 * terminal, like tig): the sessions loaded so far (history.list pages),
 * the ones a search keeps, the cursor, and the report open in the pager
 * view; keys in, actions for the controller (cmd/browse.c) out. No
 * curses, no network: tests/unit/test-browse.c drives it.
 */
#ifndef MOCKINT_BROWSE_H
#define MOCKINT_BROWSE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "vm.h"

enum browse_mode { BROWSE_LIST = 0, BROWSE_SEARCH, BROWSE_PAGER,
	BROWSE_EXPORT };

/* What a key asks of the controller. */
enum browse_act { BROWSE_NONE = 0, BROWSE_OPEN, BROWSE_EXPORT_FILE,
	BROWSE_MORE, BROWSE_QUIT };

/* Rows ahead of the cursor that make the next page load. */
#define BROWSE_PREFETCH	5
/* A page of the list or the pager moves this much at least. */
#define BROWSE_PAGE_MIN	5

struct browse {
	json_t		*entries;	/* history.list entries, in order */
	int64_t		 next;		/* the cursor for more; 0: none */
	size_t		*shown;		/* indexes the search keeps */
	size_t		 n_shown;
	size_t		 cursor;	/* into shown */
	size_t		 top;		/* first row drawn */
	int		 page;		/* rows the screen shows (ui sets) */
	char		*search;	/* the search in force, or NULL */
	enum browse_mode mode;
	enum browse_mode back;		/* where Esc in an input returns */
	struct vm_line	 input;		/* search or file name being typed */
	int64_t		 open_id;	/* the session in the pager */
	char		*report;	/* its text (the pager's) */
	int		 report_top;	/* first line drawn */
	char		*status;
	int		 dirty;
};

void browse_init(struct browse *b);
void browse_free(struct browse *b);
/* Add a history.list reply's entries and its next cursor. */
void browse_add_page(struct browse *b, const json_t *reply);
/* The entry under the cursor, or NULL. */
const json_t *browse_current(const struct browse *b);
/* Handle one key (vm_key codes). */
enum browse_act browse_key(struct browse *b, int key);
/* Open the report of session id (its text, copied) in the pager. */
void browse_open(struct browse *b, int64_t id, const char *text);
/* The file name being typed (BROWSE_EXPORT_FILE). */
const char *browse_export_name(const struct browse *b);
void browse_set_status(struct browse *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Whether entry e matches the search s (case-insensitive, in the
 * question's title or the peer's name). */
int browse_matches(const json_t *e, const char *s);

#endif
