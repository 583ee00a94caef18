/*
 * fuzz-sanitize.c — the client's terminal-safe text (client/text/
 * sanitize.c) on arbitrary bytes: the input up to its first NUL, with
 * each set of flags, through sanitize_text, sanitize_into (buffers small
 * and large) and sanitize_needed.
 *
 * Invariants checked, beyond "no crash, no leak, no UB":
 *   - the output is valid UTF-8 holding no C0 control (but '\n' and '\t'
 *     when the flags keep them), no DEL, no C1 control: nothing a
 *     terminal acts on;
 *   - it is never longer than the input, and cleaning it again changes
 *     nothing (sanitize_needed says so too);
 *   - sanitize_needed is true exactly when the output differs;
 *   - a smaller buffer gets a prefix of the whole output, cut between
 *     characters.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "sanitize.h"

/* Buffers of 1 to this many bytes are all tried. */
#define SMALL_CAPS 16

static const unsigned flag_sets[] = { 0, SANITIZE_KEEP_NL,
	SANITIZE_KEEP_TAB, SANITIZE_MULTILINE };

/* Bytes of the UTF-8 sequence led by c, 0 when c cannot lead one. */
static size_t
lead_len(unsigned char c)
{
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf)
		return 2;
	if (c >= 0xe0 && c <= 0xef)
		return 3;
	if (c >= 0xf0 && c <= 0xf4)
		return 4;
	return 0;
}

static void
check_clean(const char *s, unsigned flags)
{
	const unsigned char *p = (const unsigned char *)s;

	while (*p != '\0') {
		size_t n = lead_len(*p);

		FUZZ_CHECK(n > 0);
		for (size_t i = 1; i < n; i++)
			FUZZ_CHECK((p[i] & 0xc0) == 0x80);
		if (n == 1) {
			FUZZ_CHECK(*p != 0x7f);
			FUZZ_CHECK(*p >= 0x20 ||
			    (*p == '\n' && (flags & SANITIZE_KEEP_NL)) ||
			    (*p == '\t' && (flags & SANITIZE_KEEP_TAB)));
		}
		/* U+0080 to U+009F are C2 80 to C2 9F. */
		if (n == 2)
			FUZZ_CHECK(!(p[0] == 0xc2 && p[1] <= 0x9f));
		p += n;
	}
}

static void
one(const char *in, size_t len, unsigned flags)
{
	char *out = sanitize_text(in, flags), *again;
	size_t olen = strlen(out);

	check_clean(out, flags);
	FUZZ_CHECK(olen <= len);
	FUZZ_CHECK(sanitize_needed(in, flags) == (strcmp(in, out) != 0));
	FUZZ_CHECK(!sanitize_needed(out, flags));
	again = sanitize_text(out, flags);
	FUZZ_CHECK(strcmp(again, out) == 0);
	free(again);
	/* Every small buffer, then a few up to one too many (cut where
	 * the input's half falls, at its end, past it): linear work. */
	for (size_t k = 0; k < SMALL_CAPS + 3; k++) {
		size_t cap = k < SMALL_CAPS ? k + 1 : k == SMALL_CAPS ?
		    len / 2 + 1 : k == SMALL_CAPS + 1 ? len : len + 1;
		char *buf;
		size_t blen;

		if (cap == 0)
			continue;
		buf = malloc(cap);

		FUZZ_CHECK(buf != NULL);
		sanitize_into(in, flags, buf, cap);
		blen = strlen(buf);
		FUZZ_CHECK(blen < cap);
		FUZZ_CHECK(memcmp(buf, out, blen) == 0);
		/* Cut between characters: what follows starts one. */
		FUZZ_CHECK(blen == olen || lead_len((unsigned char)out[blen])
		    > 0);
		free(buf);
	}
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = malloc(size + 1);
	size_t len;

	if (in == NULL)
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	len = strlen(in);
	for (size_t i = 0; i < sizeof flag_sets / sizeof flag_sets[0]; i++)
		one(in, len, flag_sets[i]);
	free(in);
	return 0;
}
