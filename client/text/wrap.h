/*
 * wrap.h — word wrapping by display width, for the interview screen: text
 * (UTF-8, with '\n' line breaks) becomes lines no wider than a pane,
 * broken at spaces where possible, each carrying the attributes it is to
 * be drawn with. No curses here, so that it can be tested on its own.
 */
#ifndef MOCKINT_WRAP_H
#define MOCKINT_WRAP_H

#include <stddef.h>

struct wrap_line {
	char		*text;
	unsigned long	 attr;		/* curses attributes, opaque here */
};

struct wrap_doc {
	struct wrap_line	*v;
	size_t			 n, cap;
	int			 width;		/* columns; set before adding */
};

/*
 * Add text wrapped to d->width; lines after the first are indented by
 * hang columns (the label of a list item), ignored when over half the
 * width.
 */
void wrap_text(struct wrap_doc *d, const char *text, unsigned long attr,
    int hang);
void wrap_fmt(struct wrap_doc *d, unsigned long attr, int hang,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void wrap_blank(struct wrap_doc *d);
void wrap_free(struct wrap_doc *d);
/* Columns of the character at s (1 for a byte that is not UTF-8, 0 for
 * combining marks); *len gets its length in bytes. Needs setlocale. */
int wrap_char_width(const char *s, size_t *len);

#endif
