/*
 * sanitize.h — text from the server (whatever a peer wrote: chat, notes,
 * feedback, usernames; and the server's own strings, treated the same)
 * made safe to print on a terminal. A peer's "\e]0;...\a" or "\e[2J"
 * would otherwise retitle, clear or reprogram the reader's terminal.
 *
 * Removed: C0 controls (but '\n' and '\t' where the caller keeps them),
 * DEL, C1 controls (U+0080 to U+009F), and escape sequences whole, so
 * that no half of one is left to print: CSI ("\e[" or U+009B, then
 * parameters and one final byte), OSC, DCS, SOS, PM and APC strings (up
 * to BEL, "\e\\" or U+009C, or the end), and the other two- and
 * three-byte escapes. A byte that is not UTF-8 becomes '?'. Everything
 * else, UTF-8 of any script, is kept as it is. The result is never
 * longer than the input.
 *
 * Used wherever the client prints what came from the server: fmt_pad and
 * wrap_text (the screen, the tables) call it; the commands clean each
 * reply before reading it, and the exports their copy.
 */
#ifndef MOCKINT_SANITIZE_H
#define MOCKINT_SANITIZE_H

#include <stddef.h>

#define SANITIZE_KEEP_NL	0x1	/* keep '\n' (else a space) */
#define SANITIZE_KEEP_TAB	0x2	/* keep '\t' (else a space) */
#define SANITIZE_MULTILINE	(SANITIZE_KEEP_NL | SANITIZE_KEEP_TAB)

/* The cleaned text of s (malloc'd). */
char *sanitize_text(const char *s, unsigned flags);
/* Clean s into out (outlen bytes; cut there, never mid-character);
 * returns out. */
char *sanitize_into(const char *s, unsigned flags, char *out, size_t outlen);
/* Whether sanitize_text would change s. */
int sanitize_needed(const char *s, unsigned flags);

#endif
