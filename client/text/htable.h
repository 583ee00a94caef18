/*
 * htable.h — the history table's columns, shared by 'mockint history'
 * piped (a table) and on a terminal (the browser): ID 6, date 16, role
 * 11, peer 12, two spaces after each and after the question, whose
 * title takes what the result leaves. Names and titles are cut with
 * "…" and made printable (fmt_pad).
 */
#ifndef MOCKINT_HTABLE_H
#define MOCKINT_HTABLE_H

#include <jansson.h>
#include <stddef.h>

#define HTABLE_ROLE_W		11
#define HTABLE_PEER_W		12
#define HTABLE_FIXED_W		(6 + 2 + 16 + 2 + HTABLE_ROLE_W + 2 + \
	HTABLE_PEER_W + 2 + 2)
#define HTABLE_TITLE_MIN	8

/* The title's width in a line of columns (one spare) whose results
 * take resultw. */
int htable_title_width(int columns, int resultw);
/* The header line. */
void htable_header(int titlew, int resultw, char *buf, size_t len);
/* One history.list entry's line up to (not with) its result. */
void htable_row(const json_t *entry, int titlew, char *buf, size_t len);
/* Its result: "completed 3.50", "ended early", "answer" (live). */
void htable_result(const json_t *entry, char *buf, size_t len);

#endif
