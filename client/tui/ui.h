/*
 * ui.h — the interview screen in ncurses: drawing from the view model
 * (and nothing else) and reading keys. ui.c owns the terminal: curses
 * mode, colours, layout, word wrapping and the help overlay. It never
 * talks to the network; live.c runs it on the libuv loop.
 */
#ifndef MOCKINT_UI_H
#define MOCKINT_UI_H

#include <stdint.h>

struct vm;

/* Enter curses mode (UTF-8 locale, raw keys, colours). -1 when stdin or
 * stdout is not a terminal. */
int ui_start(void);
/* Leave curses mode, restoring the terminal. Safe to call twice. */
void ui_stop(void);
/* The terminal was resized (SIGWINCH): learn the new size. */
void ui_resize(void);
/* Draw the whole screen from vm at now (mono ms). Clamps vm's scrolls. */
void ui_draw(struct vm *vm, int64_t now);

/* Ring the terminal's bell (a pairing, the end). */
void ui_bell(void);

/* Key reading result. */
enum ui_input { UI_NONE = 0, UI_KEY, UI_RESIZE };
/* One pending key, without waiting: a vm_key code in *key. */
enum ui_input ui_read_key(int *key);

#endif
