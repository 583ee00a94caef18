/*
 * questions_text.c — what counts as clean text in a question file: strict
 * UTF-8 without control characters. Kept apart from the parser because it
 * is the one rule any text shown on a terminal must pass.
 */
#include "questions.h"

#include <stdint.h>

/*
 * Decode one UTF-8 sequence at s[*i], strictly (no overlong forms, no
 * surrogates, nothing above U+10FFFF). -1 when invalid.
 */
static int
utf8_next(const unsigned char *s, size_t len, size_t *i, uint32_t *cp)
{
	unsigned char	c = s[*i];
	size_t		need;
	unsigned char	lo = 0x80, hi = 0xBF;

	if (c < 0x80) {
		*cp = c;
		(*i)++;
		return 0;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		need = 1;
		*cp = c & 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		need = 2;
		*cp = c & 0x0F;
		if (c == 0xE0)
			lo = 0xA0;
		else if (c == 0xED)
			hi = 0x9F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		need = 3;
		*cp = c & 0x07;
		if (c == 0xF0)
			lo = 0x90;
		else if (c == 0xF4)
			hi = 0x8F;
	} else
		return -1;
	if (len - *i <= need)
		return -1;
	for (size_t k = 1; k <= need; k++) {
		unsigned char d = s[*i + k];

		if (k == 1 ? (d < lo || d > hi) : (d & 0xC0) != 0x80)
			return -1;
		*cp = (*cp << 6) | (d & 0x3F);
	}
	*i += need + 1;
	return 0;
}

int
questions_text_check(const char *text, size_t len, size_t *at, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t	i = 0;

	while (i < len) {
		*at = i;
		if (utf8_next(s, len, &i, cp) == -1)
			return QUESTIONS_TEXT_UTF8;
		if (*cp == 0)
			return QUESTIONS_TEXT_NUL;
		/*
		 * The text ends up on interviewers' and candidates'
		 * terminals: an escape sequence is refused, not passed on.
		 */
		if ((*cp < 0x20 && *cp != '\t') || (*cp >= 0x7F && *cp <= 0x9F))
			return QUESTIONS_TEXT_CONTROL;
	}
	return QUESTIONS_TEXT_OK;
}
