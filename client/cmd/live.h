/*
 * live.h — the interview screen's controller: joins the queue or a room
 * (or resumes a live session), then runs the ncurses screen, the
 * connection and the keyboard on one libuv loop, turning pushes and keys
 * into view-model changes and requests. It reconnects by itself with
 * backoff, authenticates again with the saved token, resends what was
 * not acknowledged, and never drops what the user typed.
 */
#ifndef MOCKINT_LIVE_H
#define MOCKINT_LIVE_H

struct cmd_ctx;

enum live_how { LIVE_QUEUE, LIVE_ROOM_CREATE, LIVE_ROOM_JOIN };

struct live_opts {
	enum live_how	 how;
	const char	*role;		/* queue: candidate|interviewer|either;
					   room create: candidate|interviewer */
	const char	*category;	/* queue only; NULL: any */
	const char	*difficulty;	/* queue only; NULL: any */
	const char	*code;		/* room join */
	int		 quiet;		/* --quiet: no bell at all */
	int		 flash;		/* --flash: flash, not the bell */
};

/* Run the whole thing; returns the exit status. */
int live_run(struct cmd_ctx *ctx, const struct live_opts *o);

#endif
