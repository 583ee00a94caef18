/*
 * history.h — what the history commands share (cmd-history.c) with the
 * interactive browser (browse.c): the table's width and reading one
 * whole session record (htable.h has the columns).
 */
#ifndef MOCKINT_HISTORY_H
#define MOCKINT_HISTORY_H

#include <jansson.h>
#include <stddef.h>

struct cmd_ctx;

#define HISTORY_COLUMNS_PIPED	100	/* without a terminal or $COLUMNS */
#define HISTORY_COLUMNS_MIN	40
#define HISTORY_COLUMNS_MAX	400

/* The width to fill: the terminal's, else $COLUMNS, else 100. */
int history_columns(void);

/*
 * history.get for session id, with every page of its notes and chat:
 * the whole record (new reference), or NULL after printing why with
 * *rc the exit status.
 */
json_t *history_get(struct cmd_ctx *ctx, long long id, int *rc);
/* Same, not printing: NULL with why filled (for the browser). */
json_t *history_get_quiet(struct cmd_ctx *ctx, long long id, char *why,
    size_t whylen);

/* The interactive browser on the connected ctx, listing with fields
 * (history.list's, consumed). Returns the exit status. */
int browse_run(struct cmd_ctx *ctx, json_t *fields);

#endif
