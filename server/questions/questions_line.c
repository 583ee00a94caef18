/*
 * questions_line.c — the lines of a question file as the parser reads
 * them, and the text it joins from them (see questions_int.h).
 */
#include "questions_int.h"

#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

struct line
line_trim(struct line l)
{
	while (l.len > 0 && (l.s[0] == ' ' || l.s[0] == '\t')) {
		l.s++;
		l.len--;
	}
	while (l.len > 0 && (l.s[l.len - 1] == ' ' || l.s[l.len - 1] == '\t'))
		l.len--;
	return l;
}

struct line
line_rest(struct line l, size_t from)
{
	l.s += from;
	l.len -= from;
	return line_trim(l);
}

int
line_prefix_ci(struct line l, const char *pfx)
{
	size_t	n = strlen(pfx);

	if (l.len < n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (lower((unsigned char)l.s[i]) !=
		    lower((unsigned char)pfx[i]))
			return 0;
	return 1;
}

int
line_equal_ci(struct line l, const char *s)
{
	return l.len == strlen(s) && line_prefix_ci(l, s);
}

int
line_is_blank(struct line l)
{
	return line_trim(l).len == 0;
}

char *
line_dup(struct line l)
{
	return xstrndup(l.s, l.len);
}

const char *
line_clip(char *dst, size_t size, struct line l)
{
	static const char ellipsis[] = "...";
	size_t	n = l.len;

	if (n > size - sizeof ellipsis) {
		n = size - sizeof ellipsis;
		while (n > 0 && ((unsigned char)l.s[n] & 0xC0) == 0x80)
			n--;
		memcpy(dst, l.s, n);
		memcpy(dst + n, ellipsis, sizeof ellipsis);
	} else {
		memcpy(dst, l.s, n);
		dst[n] = '\0';
	}
	return dst;
}

static void
buf_add(struct buf *b, const char *s, size_t len)
{
	if (b->len + len + 1 > b->cap) {
		while (b->len + len + 1 > b->cap)
			b->cap = b->cap ? b->cap * 2 : 256;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->len, s, len);
	b->len += len;
	b->s[b->len] = '\0';
}

void
buf_add_line(struct buf *b, struct line l)
{
	if (b->len > 0)
		buf_add(b, "\n", 1);
	buf_add(b, l.s, l.len);
}

char *
buf_finish(struct buf *b)
{
	size_t	start = 0, i = 0, end;
	char	*s;

	if (b->s == NULL)
		return xstrdup("");
	for (; i < b->len && (b->s[i] == ' ' || b->s[i] == '\t' ||
	    b->s[i] == '\n'); i++)
		if (b->s[i] == '\n')
			start = i + 1;
	end = b->len;
	while (end > start && (b->s[end - 1] == ' ' || b->s[end - 1] == '\t' ||
	    b->s[end - 1] == '\n'))
		end--;
	s = xstrndup(b->s + start, end - start);
	free(b->s);
	memset(b, 0, sizeof *b);
	return s;
}
