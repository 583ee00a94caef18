/*
 * ansi.h — colour for the plain commands' output (history, show, stats,
 * questions): SGR escapes when colour is on, empty strings when off, so
 * that callers write the same printf either way. Off by default; the
 * commands turn it on for --color always, or for auto when stdout is a
 * terminal and $NO_COLOR is unset (https://no-color.org). The escapes are
 * ours: what peers wrote is sanitized before it is printed between them.
 */
#ifndef MOCKINT_ANSI_H
#define MOCKINT_ANSI_H

enum ansi_style { ANSI_RESET = 0, ANSI_BOLD, ANSI_DIM, ANSI_RED,
	ANSI_GREEN, ANSI_YELLOW, ANSI_BLUE, ANSI_MAGENTA, ANSI_CYAN,
	ANSI__COUNT };

/* auto, always, never: 0 and the choice in *mode; -1 for anything else. */
enum ansi_when { ANSI_AUTO = 0, ANSI_ALWAYS, ANSI_NEVER };
int ansi_parse_when(const char *s, enum ansi_when *when);
/* Whether colour goes to fd under when (auto: a terminal, no $NO_COLOR,
 * $TERM not "dumb"). */
int ansi_resolve(enum ansi_when when, int fd);
void ansi_enable(int on);
int ansi_enabled(void);
/* The escape for s, or "" when colour is off. */
const char *ansi(enum ansi_style s);
/* The colour of a score 1-4: red, yellow, green, bold green. */
const char *ansi_score(int score);

#endif
