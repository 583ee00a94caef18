/*
 * wrap.c — word wrapping by display width (see wrap.h).
 */
#include "wrap.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "sanitize.h"
#include "xmalloc.h"

static void
push(struct wrap_doc *d, const char *s, size_t n, unsigned long attr,
    int indent)
{
	struct wrap_line *l;

	if (indent < 0)
		indent = 0;
	if (d->n == d->cap) {
		d->cap = d->cap ? d->cap * 2 : 32;
		d->v = xrealloc(d->v, d->cap * sizeof *d->v);
	}
	l = &d->v[d->n++];
	l->text = xmalloc((size_t)indent + n + 1);
	memset(l->text, ' ', (size_t)indent);
	memcpy(l->text + indent, s, n);
	l->text[indent + n] = '\0';
	l->attr = attr;
}

void
wrap_free(struct wrap_doc *d)
{
	for (size_t i = 0; i < d->n; i++)
		free(d->v[i].text);
	free(d->v);
	d->v = NULL;
	d->n = d->cap = 0;
}

int
wrap_char_width(const char *s, size_t *len)
{
	wchar_t wc;
	mbstate_t st;
	size_t n;
	int w;

	memset(&st, 0, sizeof st);
	n = mbrtowc(&wc, s, MB_CUR_MAX, &st);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		*len = 1;
		return 1;
	}
	*len = n;
	w = wcwidth(wc);
	/* Control characters would move the cursor: count them as one. */
	return w < 0 ? 1 : w;
}

void
wrap_text(struct wrap_doc *d, const char *text, unsigned long attr, int hang)
{
	/* Whatever a peer wrote: no escape reaches the screen, and a tab
	 * (of unknown width) is a space. */
	char *clean = sanitize_text(text != NULL ? text : "", SANITIZE_KEEP_NL);
	const char *p = clean;

	if (hang < 0 || hang > d->width / 2)
		hang = 0;
	for (int first = 1;; first = 0) {
		const char *start = p, *brk = NULL;
		int indent = first ? 0 : hang, w = 0;
		int width = d->width - indent > 1 ? d->width - indent : 1;

		while (*p != '\0' && *p != '\n') {
			size_t n;
			int cw = wrap_char_width(p, &n);

			/* At least one character a line, however narrow. */
			if (w + cw > width && p > start) {
				/* A space that does not fit ends the line. */
				if (*p == ' ')
					brk = p;
				break;
			}
			if (*p == ' ')
				brk = p;
			w += cw;
			p += n;
		}
		if (*p != '\0' && *p != '\n' && brk != NULL && brk > start) {
			/* Break at the last space; the space is not shown. */
			push(d, start, (size_t)(brk - start), attr, indent);
			p = brk + 1;
			continue;
		}
		push(d, start, (size_t)(p - start), attr, indent);
		if (*p == '\0')
			break;
		if (*p == '\n')
			p++;
	}
	free(clean);
}

void
wrap_fmt(struct wrap_doc *d, unsigned long attr, int hang, const char *fmt,
    ...)
{
	va_list ap;
	char buf[8192];	/* notes and chat are at most 4 KiB */

	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	wrap_text(d, buf, attr, hang);
}

void
wrap_blank(struct wrap_doc *d)
{
	push(d, "", 0, 0, 0);
}
