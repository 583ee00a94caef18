/*
 * fmt.c — times, durations, scores, sparklines and column padding (see
 * fmt.h).
 */
#include "fmt.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <wchar.h>

#include "sanitize.h"

/* ms as a broken-down time, local or UTC; 0 when ms is not a time. */
static int
fmt_tm(int64_t ms, int utc, struct tm *tm)
{
	time_t t = (time_t)(ms / 1000);

	return ms > 0 && (utc ? gmtime_r(&t, tm) : localtime_r(&t, tm)) !=
	    NULL;
}

char *
fmt_time(int64_t ms, char *buf, size_t len)
{
	struct tm tm;

	if (!fmt_tm(ms, 0, &tm))
		snprintf(buf, len, "-");
	else
		strftime(buf, len, "%Y-%m-%d %H:%M", &tm);
	return buf;
}

char *
fmt_time_iso(int64_t ms, char *buf, size_t len)
{
	struct tm tm;

	if (!fmt_tm(ms, 1, &tm))
		snprintf(buf, len, "%s", "");
	else
		strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
	return buf;
}

char *
fmt_clock(int64_t ms, char *buf, size_t len)
{
	struct tm tm;

	if (!fmt_tm(ms, 0, &tm))
		snprintf(buf, len, "--:--");
	else
		strftime(buf, len, "%H:%M", &tm);
	return buf;
}

char *
fmt_duration(int64_t ms, char *buf, size_t len)
{
	int64_t s;

	if (ms < 0) {
		snprintf(buf, len, "-");
		return buf;
	}
	/* Round up: "0:00" only when the time is really up. */
	s = (ms + 999) / 1000;
	if (s >= 3600)
		snprintf(buf, len, "%d:%02d:%02d", (int)(s / 3600),
		    (int)(s / 60 % 60), (int)(s % 60));
	else
		snprintf(buf, len, "%d:%02d", (int)(s / 60), (int)(s % 60));
	return buf;
}

const char *
fmt_score_name(int score)
{
	static const char *const names[] = { "", "not shown", "weak", "good",
		"strong" };

	return score >= 1 && score <= 4 ? names[score] : "";
}

const char *
fmt_reason(const char *reason)
{
	if (reason == NULL)
		return "";
	if (strcmp(reason, "ended_early") == 0)
		return "ended early";
	if (strcmp(reason, "no_show") == 0)
		return "no-show";
	return reason;
}

char *
fmt_sparkline(const double *v, size_t n, double lo, double hi, char *buf,
    size_t len)
{
	static const char *const bars[] = { "▁", "▂", "▃", "▄", "▅", "▆",
		"▇", "█" };
	size_t off = 0;

	if (len == 0)
		return buf;
	buf[0] = '\0';
	for (size_t i = 0; i < n && off + 4 <= len; i++) {
		double f = hi > lo ? (v[i] - lo) / (hi - lo) : 1;
		int k;

		if (f < 0)
			f = 0;
		if (f > 1)
			f = 1;
		k = (int)(f * 7 + 0.5);
		memcpy(buf + off, bars[k], 3);
		off += 3;
		buf[off] = '\0';
	}
	return buf;
}

int
fmt_width(const char *s)
{
	mbstate_t st;
	int w = 0;

	memset(&st, 0, sizeof st);
	while (*s != '\0') {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s, MB_CUR_MAX, &st);
		int cw;

		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			/* Not valid here: count the byte as one column. */
			memset(&st, 0, sizeof st);
			s++;
			w++;
			continue;
		}
		cw = wcwidth(wc);
		w += cw > 0 ? cw : 0;
		s += n;
	}
	return w;
}

/* Copy s into buf up to cols columns; returns the columns copied. */
static int
copy_cols(const char *s, int cols, char *buf, size_t len, size_t *off)
{
	mbstate_t st;
	int w = 0;

	memset(&st, 0, sizeof st);
	while (*s != '\0') {
		wchar_t wc;
		size_t n = mbrtowc(&wc, s, MB_CUR_MAX, &st);
		int cw;

		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			memset(&st, 0, sizeof st);
			n = 1;
			cw = 1;
		} else
			cw = wcwidth(wc) > 0 ? wcwidth(wc) : 0;
		if (w + cw > cols || *off + n + 1 >= len)
			break;
		memcpy(buf + *off, s, n);
		*off += n;
		w += cw;
		s += n;
	}
	buf[*off] = '\0';
	return w;
}

/* fmt_pad and fmt_cut: s in cols columns, padded to them or not. */
static char *
fit(const char *raw, int cols, int pad, char *buf, size_t len)
{
	size_t off = 0;
	int w;
	/* One line of a table or the screen: no escapes, no breaks. */
	char *s = sanitize_text(raw, 0);

	if (len == 0)
		goto out;
	if (cols > 1 && fmt_width(s) > cols) {
		/* Cut, and say so with an ellipsis in the last column. */
		w = copy_cols(s, cols - 1, buf, len, &off);
		if (off + 4 < len) {
			memcpy(buf + off, "…", 3);
			off += 3;
			w++;
		}
	} else
		w = copy_cols(s, cols, buf, len, &off);
	while (pad && w < cols && off + 2 <= len) {
		buf[off++] = ' ';
		w++;
	}
	buf[off] = '\0';
out:
	free(s);
	return buf;
}

char *
fmt_pad(const char *s, int cols, char *buf, size_t len)
{
	return fit(s, cols, 1, buf, len);
}

char *
fmt_cut(const char *s, int cols, char *buf, size_t len)
{
	return fit(s, cols, 0, buf, len);
}
