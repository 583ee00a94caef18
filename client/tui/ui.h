/*
 * ui.h — the screens in ncurses: the interview screen, drawn from the
 * view model (vm.h) and nothing else, and the history browser, drawn
 * from its model (browse.h); and reading keys. The tui files own the
 * terminal: curses mode, colours, layout, word wrapping and the help
 * overlay. They never talk to the network; cmd/ runs them.
 */
#ifndef MOCKINT_UI_H
#define MOCKINT_UI_H

#include <stddef.h>
#include <stdint.h>

struct vm;
struct browse;

/* Enter curses mode (UTF-8 locale, raw keys, colours). -1 when stdin or
 * stdout is not a terminal. */
int ui_start(void);
/* Leave curses mode, restoring the terminal. Safe to call twice. */
void ui_stop(void);
/* ^Z: leave curses mode and stop (SIGTSTP) like any program in a shell;
 * when continued, take the terminal back and redraw everything. */
void ui_suspend(void);
/* The terminal was resized (SIGWINCH): learn the new size. */
void ui_resize(void);
/* Draw the whole screen from vm at now (mono ms). Clamps vm's scrolls. */
void ui_draw(struct vm *vm, int64_t now);
/* The history browser's screen; sets b->page to the rows it shows. */
void ui_draw_browse(struct browse *b);

/* Ring the terminal's bell, or flash the screen when flash is set (a
 * pairing, the end, the clock's alerts). */
void ui_bell(int flash);

/* Key reading result. */
enum ui_input { UI_NONE = 0, UI_KEY, UI_RESIZE };
/* One pending key, without waiting: a vm_key code in *key. */
enum ui_input ui_read_key(int *key);
/* The same, waiting up to ms for one. */
enum ui_input ui_wait_key(int *key, int ms);

#endif
