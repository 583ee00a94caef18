/*
 * sanitize.c — terminal-safe text (see sanitize.h).
 *
 * The input is read one unit at a time: a character, kept or replaced,
 * or a control with everything a terminal would take as its arguments,
 * dropped. ECMA-48 gives the shapes of the sequences.
 */
#include "sanitize.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

#define ESC 0x1b
#define BEL 0x07
#define DEL 0x7f
/* C1 controls that open a sequence, as their ESC forms' second bytes. */
#define C1_DCS 0x90	/* ESC P */
#define C1_SOS 0x98	/* ESC X */
#define C1_CSI 0x9b	/* ESC [ */
#define C1_ST 0x9c	/* ESC \ */
#define C1_OSC 0x9d	/* ESC ] */
#define C1_PM 0x9e	/* ESC ^ */
#define C1_APC 0x9f	/* ESC _ */

/* What one unit of input becomes. */
struct piece {
	const unsigned char *keep;	/* bytes to copy, or NULL */
	size_t len;
	char repl;			/* else this byte, or none ('\0') */
};

/* Length of the valid UTF-8 character at s (1 to 4), 0 if invalid;
 * its code point in *cp. */
static size_t
utf8_char(const unsigned char *s, uint32_t *cp)
{
	size_t n;
	uint32_t min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2, min = 0x80, *cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3, min = 0x800, *cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4, min = 0x10000, *cp = s[0] & 0x07;
	} else
		return 0;
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;	/* the NUL included */
		*cp = *cp << 6 | (s[i] & 0x3f);
	}
	if (*cp < min || *cp > 0x10ffff || (*cp >= 0xd800 && *cp <= 0xdfff))
		return 0;
	return n;
}

/* The string of an OSC, DCS, SOS, PM or APC, from p: past its end. */
static const unsigned char *
skip_string(const unsigned char *p)
{
	uint32_t cp;
	size_t n;

	while (*p != '\0') {
		if (*p == BEL)
			return p + 1;
		if (*p == ESC && p[1] == '\\')
			return p + 2;
		if ((n = utf8_char(p, &cp)) == 2 && cp == C1_ST)
			return p + 2;
		p += n > 0 ? n : 1;
	}
	return p;
}

/* Bytes in [lo, hi], then one final byte in [flo, fhi]: the shape of
 * a CSI (parameters, intermediates, final) and of an nF escape. */
static const unsigned char *
skip_run(const unsigned char *p, int lo, int hi, int flo, int fhi)
{
	while (*p >= lo && *p <= hi)
		p++;
	if (*p >= flo && *p <= fhi)
		p++;
	return p;
}

static const unsigned char *
skip_csi(const unsigned char *p)
{
	return skip_run(p, 0x20, 0x3f, 0x40, 0x7e);
}

/* What follows an ESC at p - 1. */
static const unsigned char *
skip_escape(const unsigned char *p)
{
	switch (*p) {
	case '[':
		return skip_csi(p + 1);
	case ']':
	case 'P':
	case 'X':
	case '^':
	case '_':
		return skip_string(p + 1);
	default:
		break;
	}
	/* nF: intermediates, then a final byte; Fp, Fe, Fs: one byte. */
	return skip_run(p, 0x20, 0x2f, 0x30, 0x7e);
}

/* A C1 control (code point cp) at p, len bytes long: past what it takes. */
static const unsigned char *
skip_c1(const unsigned char *p, size_t len, uint32_t cp)
{
	switch (cp) {
	case C1_CSI:
		return skip_csi(p + len);
	case C1_OSC:
	case C1_DCS:
	case C1_SOS:
	case C1_PM:
	case C1_APC:
		return skip_string(p + len);
	default:
		return p + len;
	}
}

/* The unit at *pp, and *pp moved past it. */
static void
next_piece(const unsigned char **pp, unsigned flags, struct piece *pc)
{
	const unsigned char *p = *pp;
	uint32_t cp;
	size_t n = utf8_char(p, &cp);

	pc->keep = NULL;
	pc->len = 0;
	pc->repl = '\0';
	if (n == 0) {
		pc->repl = '?';
		*pp = p + 1;
		return;
	}
	*pp = p + n;
	if (cp == '\n' || cp == '\t') {
		if ((flags & (cp == '\n' ? SANITIZE_KEEP_NL :
		    SANITIZE_KEEP_TAB)) != 0) {
			pc->keep = p;
			pc->len = 1;
		} else
			pc->repl = ' ';
	} else if (cp == ESC)
		*pp = skip_escape(p + 1);
	else if (cp >= 0x80 && cp <= 0x9f)
		*pp = skip_c1(p, n, cp);
	else if (cp >= 0x20 && cp != DEL) {
		pc->keep = p;
		pc->len = n;
	}
	/* Any other C0 control, and DEL: dropped. */
}

char *
sanitize_into(const char *s, unsigned flags, char *out, size_t outlen)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t off = 0;
	struct piece pc;

	if (outlen == 0)
		return out;
	while (*p != '\0') {
		next_piece(&p, flags, &pc);
		if (pc.keep != NULL) {
			if (off + pc.len >= outlen)
				break;
			memcpy(out + off, pc.keep, pc.len);
			off += pc.len;
		} else if (pc.repl != '\0') {
			if (off + 1 >= outlen)
				break;
			out[off++] = pc.repl;
		}
	}
	out[off] = '\0';
	return out;
}

char *
sanitize_text(const char *s, unsigned flags)
{
	size_t len = strlen(s) + 1;

	return sanitize_into(s, flags, xmalloc(len), len);
}

int
sanitize_needed(const char *s, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s;
	struct piece pc;

	while (*p != '\0') {
		const unsigned char *at = p;

		next_piece(&p, flags, &pc);
		if (pc.keep != at || pc.len != (size_t)(p - at))
			return 1;
	}
	return 0;
}
