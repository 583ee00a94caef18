/*
 * export.h — one session's history (the history.get reply) written out:
 * as a Markdown report to send to a friend, as JSON (the reply itself),
 * as CSV (one row per note, RFC 4180), or as the plain-text report that
 * 'mockint history show' prints.
 */
#ifndef MOCKINT_EXPORT_H
#define MOCKINT_EXPORT_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

enum export_format { EXPORT_MD, EXPORT_JSON, EXPORT_CSV, EXPORT_TEXT };

/* "md" (or "markdown"), "json", "csv", "text"; -1 when unknown. */
int export_format_parse(const char *name, enum export_format *f);

/*
 * Write h (the history.get reply, ok envelope or not) to out. Returns 0,
 * or -1 when writing failed (errno set by stdio).
 */
int export_write(FILE *out, const json_t *h, enum export_format f);

/*
 * Write h to the file named file, whole or not at all (a temporary file
 * beside it, renamed). -1 with why filled ("cannot write FILE: why").
 */
int export_file(const char *file, const json_t *h, enum export_format f,
    char *why, size_t whylen);

/* One CSV field, quoted when it holds a comma, quote, CR or LF. */
void export_csv_field(FILE *out, const char *s);

#endif
