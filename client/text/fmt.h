/*
 * fmt.h — small text formatting shared by the screen, the plain commands
 * and the exports: times, durations, scores and the Unicode sparkline.
 * Everything writes into a caller's buffer and returns it.
 */
#ifndef MOCKINT_FMT_H
#define MOCKINT_FMT_H

#include <stddef.h>
#include <stdint.h>

/* Local time of server ms as "2025-11-26 19:37" ("-" for 0). */
char *fmt_time(int64_t ms, char *buf, size_t len);
/* The same in UTC, ISO 8601: "2025-11-26T18:37:00Z" (for CSV). */
char *fmt_time_iso(int64_t ms, char *buf, size_t len);
/* Local "19:37". */
char *fmt_clock(int64_t ms, char *buf, size_t len);
/* A duration: "4:05", "1:02:03"; negative as "-". */
char *fmt_duration(int64_t ms, char *buf, size_t len);
/* 1 "not shown", 2 "weak", 3 "good", 4 "strong", else "". */
const char *fmt_score_name(int score);
/* Why a session ended, for people: "completed", "ended early",
 * "abandoned", "no-show"; another reason as it is; NULL as "". */
const char *fmt_reason(const char *reason);
/*
 * A sparkline of n values within [lo, hi], one of ▁▂▃▄▅▆▇█ per value
 * (3 bytes of UTF-8 each); at most len-1 bytes are written.
 */
char *fmt_sparkline(const double *v, size_t n, double lo, double hi,
    char *buf, size_t len);
/* Display columns of a UTF-8 string (wcwidth; needs setlocale). */
int fmt_width(const char *s);
/* Print s padded or cut to exactly cols columns (UTF-8 aware), on one
 * line: controls and escapes removed, breaks made spaces (sanitize.h). */
char *fmt_pad(const char *s, int cols, char *buf, size_t len);
/* The same without the padding: s as it is when it fits in cols, else
 * cut with "…" in the last column. */
char *fmt_cut(const char *s, int cols, char *buf, size_t len);

#endif
