/*
 * vm.h — the interview screen's view model: everything the screen shows
 * and everything the user has typed, kept apart from ncurses so that it
 * can be tested without a terminal. The live controller (live.c) feeds it
 * pushes and keys and performs the network side effects it asks for; the
 * drawing code (ui.c) only reads it.
 *
 * vm.c owns the state built from pushes (session, phase, clock, peer,
 * question, checklist, results); vm_notes.c the notes and chat messages
 * with their pending/acknowledged life cycle; vm_keys.c the keys, the
 * input lines, focus, modes and scrolling.
 *
 * Times: "now" arguments are the local monotonic clock in ms
 * (rpc_mono_ms); every time from the server is server Unix ms.
 */
#ifndef MOCKINT_VM_H
#define MOCKINT_VM_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

enum vm_phase { VM_PHASE_NONE = 0, VM_PREP, VM_ANSWER, VM_FOLLOWUP,
	VM_SCORING, VM_DONE };
enum vm_role { VM_ROLE_NONE = 0, VM_CANDIDATE, VM_INTERVIEWER };
/* How the user got here, for the waiting screen and for re-joining. */
enum vm_wait { VM_WAIT_NONE = 0, VM_WAIT_QUEUE, VM_WAIT_ROOM };
enum vm_link { VM_LINK_CONNECTING = 0, VM_LINK_ONLINE, VM_LINK_RECONNECTING };
enum vm_pane { VM_PANE_QUESTION = 0, VM_PANE_CHECKLIST, VM_PANE_CHAT,
	VM_PANE__COUNT };
enum vm_mode {
	VM_MODE_NORMAL = 0,
	VM_MODE_NOTE,		/* typing a note (note_line) */
	VM_MODE_CONFIRM_END,	/* "end the session? y/n" */
	VM_MODE_CONFIRM_NEXT,	/* "move on to PHASE? y/n" */
	VM_MODE_CONFIRM_SWAP,	/* "swap roles? y/n" */
	VM_MODE_CONFIRM_QUIT,	/* "leave the screen? y/n" */
	VM_MODE_RATE,		/* candidate: press 1-4 */
	VM_MODE_FEEDBACK	/* candidate: feedback comment (note_line) */
};

/* Delivery state of a note or chat message typed here. */
enum vm_send { VM_SEND_DONE = 0, VM_SEND_UNSENT, VM_SEND_INFLIGHT,
	VM_SEND_FAILED };

/* Keys: Unicode code points as themselves, and these. */
enum vm_key {
	VM_KEY_ENTER = '\n',
	VM_KEY_TAB = '\t',
	VM_KEY_ESC = 27,
	VM_KEY_BACKSPACE = 127,
	VM_KEY_CTRL_U = 21,
	VM_KEY_CTRL_W = 23,
	VM_KEY_CTRL_Z = 26,
	VM_KEY_CTRL_C = 3,
	VM_KEY_BASE = 0x110000,	/* above every code point */
	VM_KEY_UP, VM_KEY_DOWN, VM_KEY_LEFT, VM_KEY_RIGHT,
	VM_KEY_PGUP, VM_KEY_PGDN, VM_KEY_HOME, VM_KEY_END,
	VM_KEY_DELETE, VM_KEY_BTAB
};

/* What a key asks the controller to do (mostly over the network). */
enum vm_act { VM_ACT_NONE = 0, VM_ACT_PHASE_NEXT, VM_ACT_END, VM_ACT_SWAP,
	VM_ACT_FEEDBACK, VM_ACT_QUIT, VM_ACT_EXTEND, VM_ACT_SUSPEND,
	VM_ACT_QUEUE };

/* What vm_tick asks of the terminal: a bell (or a flash). */
#define VM_ALERT_BELL	0x1

/* PROTOCOL.md: a swap must be asked for within 2 minutes of the end;
 * phase.extend adds 2 minutes, 10 in all. */
#define VM_SWAP_WINDOW_MS	(2 * 60 * 1000)
#define VM_EXTEND_MS		(2 * 60 * 1000)
#define VM_EXTEND_MAX_MS	(10 * 60 * 1000)
/* The clock speaks up this long before a phase ends. */
#define VM_WARN_FIRST_MS	60000
#define VM_WARN_LAST_MS		10000

struct vm_item {
	char	*key;
	char	*label;
	int	 score;		/* 0: not scored; 1-4 */
	int	 flagged;	/* red flags */
};

/* A note's score that clears its item's score (note.add's score 0). */
#define VM_SCORE_CLEAR	(-1)

struct vm_note {
	char		*client_id;	/* NULL for notes from elsewhere */
	int64_t		 note_id;	/* 0 until acknowledged */
	char		*item;		/* checklist key, red-flag key, "general" */
	char		*text;		/* "" when the note is only a score/flag */
	int		 score;		/* 0: none; VM_SCORE_CLEAR */
	int		 flag;		/* -1: none, 0 cleared, 1 ticked */
	int64_t		 at;		/* server ms; 0 until acknowledged */
	enum vm_send	 state;
	char		*error;		/* why the server refused it */
};

struct vm_chat {
	int64_t		 from;
	char		*username;
	char		*text;
	int64_t		 at;		/* 0 until delivered */
	int		 mine;
	uint64_t	 local_id;	/* ours: matches the chat.send reply */
	char		*client_id;	/* ours: sent with it, so resent once */
	enum vm_send	 state;
};

struct vm_question {
	char	*id, *title, *prompt, *category, *difficulty;
	char	*company, *role, *round;
	char	*quick_answer, *model_answer;	/* NULL: not visible to us */
	char	*approach;	/* "Label: text" lines, NULL when not visible */
};

/* A line being typed: UTF-8, the cursor a byte offset on a boundary. */
struct vm_line {
	char	*buf;
	size_t	 len, cap, cur;
};

struct vm {
	/* Who we are and how we got here. */
	int64_t		 my_id;
	char		*my_name;
	enum vm_wait	 wait;
	char		*room_code;
	int		 queue_position, queue_waiting;
	int		 have_waiting_for;	/* the push said who waits */
	int		 wait_candidates, wait_interviewers, wait_either;
	int64_t		 queue_since;	/* server ms we joined; 0 unknown */
	char		*queue_role;	/* what we asked for (NULL: any) */
	char		*queue_category;
	char		*queue_difficulty;
	int		 rejoined;	/* back at an ended session: Enter
					   queues for a new one */
	enum vm_link	 link;
	int		 reconnect_attempt;
	int64_t		 reconnect_at;	/* mono ms of the next attempt */
	int		 logged_out;

	/* The session. */
	int64_t		 session_id;	/* 0: not paired yet */
	enum vm_role	 role;
	enum vm_phase	 phase;
	int64_t		 phase_ends_at;	/* server ms; 0 when none */
	int64_t		 clock_offset;	/* server ms - local mono ms */
	int		 have_clock;
	int64_t		 peer_id;
	char		*peer_name;
	int		 peer_connected;
	struct vm_question q;
	struct vm_item	*items;		/* the checklist */
	size_t		 n_items;
	struct vm_item	*flags;		/* the red flags */
	size_t		 n_flags;
	struct vm_note	*notes;
	size_t		 n_notes;
	struct vm_chat	*chat;
	size_t		 n_chat;
	uint64_t	 next_chat_id;
	char		*reason;	/* from done on */
	int64_t		 ended_by;	/* who ended it; 0: the clock */
	int64_t		 ended_at;	/* server ms; 0 unknown */
	int64_t		 debrief_ends_at;	/* server ms chat closes; 0 */
	int64_t		 extended_ms;	/* phase.extend's total so far */
	int		 swap_closed;	/* the swap window has passed */
	double		 overall;
	int		 has_overall;
	int		 swap_pending;	/* we asked */
	int		 swap_offered;	/* the peer asked */
	int		 feedback_rating;	/* 0: not given */
	int		 feedback_sent;

	/* The clock's alerts (vm_tick). */
	enum vm_phase	 alert_phase;	/* the phase they are armed for */
	int		 alerted;	/* marks passed: 1 first, 2 last */

	/* The screen's own state. */
	enum vm_pane	 focus;
	enum vm_pane	 before_chat;	/* where Esc in the chat returns */
	enum vm_mode	 mode;
	int		 help;
	size_t		 cursor;	/* over items, then flags */
	int		 scroll[VM_PANE__COUNT];	/* first line shown; chat: from the bottom */
	char		*note_item;	/* what VM_MODE_NOTE writes on */
	struct vm_line	 chat_line;
	struct vm_line	 note_line;
	char		*status;	/* a one-line message */
	int64_t		 status_at;	/* mono ms it was set */
	int		 dirty;		/* something changed: redraw */
};

/* vm.c: life cycle and pushes. */
void vm_init(struct vm *vm);
void vm_free(struct vm *vm);
/*
 * Apply one push (match, session, timer, peer, chat, note, ended,
 * swap_proposed, queue, logged_out) received at now. Returns 1 when the
 * push was understood, 0 when ignored (unknown type or another session).
 */
int vm_apply(struct vm *vm, const json_t *msg, int64_t now);
/* The session object of a session.get reply, as if pushed. */
int vm_apply_session(struct vm *vm, const json_t *s, int64_t now);
/* Record the server's clock as seen at now (ping replies, pushes). */
void vm_set_clock(struct vm *vm, int64_t server_time, int64_t now);
/* The server's clock now: now corrected by the offset. */
int64_t vm_server_now(const struct vm *vm, int64_t now);
/* Milliseconds left in the phase (>= 0), or -1 when it has no deadline. */
int64_t vm_remaining_ms(const struct vm *vm, int64_t now);
/* The connection state, for the header; keeps the typed input. */
void vm_set_link(struct vm *vm, enum vm_link link, int attempt,
    int64_t retry_at);
void vm_set_status(struct vm *vm, int64_t now, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
const char *vm_phase_name(enum vm_phase p);
enum vm_phase vm_phase_from_name(const char *name);
/* Items then flags, as the checklist cursor walks them. */
size_t vm_cursor_rows(const struct vm *vm);
/* The checklist item or red flag under the cursor (NULL if none). */
const struct vm_item *vm_cursor_item(const struct vm *vm, int *is_flag);
const struct vm_item *vm_find_item(const struct vm *vm, const char *key,
    int *is_flag);
/* Mean of the scored checklist items; -1 when none is scored. */
double vm_mean_score(const struct vm *vm);
/*
 * The clock's voice, called every tick and after pushes: the phase
 * changed, or VM_WARN_FIRST_MS / VM_WARN_LAST_MS are left (each once a
 * phase; again after an extension takes the clock back above it). Sets
 * the status and returns VM_ALERT_BELL then, else 0.
 */
int vm_tick(struct vm *vm, int64_t now);
/* What the phase is for, said to role ("prep: read and plan; ..."). */
const char *vm_phase_purpose(const struct vm *vm);
/* How the session ended, in words ("bob ended it early"). */
void vm_ended_text(const struct vm *vm, char *buf, size_t len);
/* The debrief chat is open (after done, until debrief_ends_at). */
int vm_debrief_open(const struct vm *vm, int64_t now);
/* Milliseconds left to ask for a swap; 0 once passed, -1 unknown. */
int64_t vm_swap_left_ms(const struct vm *vm, int64_t now);
/* The peer's state for the header: "● connected", "○ left", ... */
const char *vm_peer_state(const struct vm *vm);
/* Forget an ended session and wait in the queue again (rejoined). */
void vm_back_to_queue(struct vm *vm);
/*
 * Whether note i is shown in the notes pane: all text notes, and of the
 * score-only (flag-only) ones the latest per item: history keeps every
 * change, the pane shows what counts.
 */
int vm_note_shown(const struct vm *vm, size_t i);

/* vm_notes.c: notes and chat. */
/*
 * A new note typed here (text may be "", score 0 none, flag -1 none),
 * UNSENT with a fresh random client_id; its score or flag shows at once.
 * Returns its index.
 */
size_t vm_note_add(struct vm *vm, const char *item, const char *text,
    int score, int flag);
/* The note.add fields for a note (new reference). */
json_t *vm_note_request(const struct vm *vm, size_t i);
struct vm_note *vm_note_by_client_id(struct vm *vm, const char *client_id);
/* The server acknowledged client_id (note_id, at). */
void vm_note_acked(struct vm *vm, const char *client_id, int64_t note_id,
    int64_t at);
/* The server refused it for good (code: the error code). */
void vm_note_refused(struct vm *vm, const char *client_id, const char *why);
/* The server asked us to slow down: the note goes back to UNSENT, to be
 * sent again (flushed) later. */
void vm_note_retry(struct vm *vm, const char *client_id);
/* Merge the server's list (a session push) with what is pending here. */
void vm_notes_merge(struct vm *vm, const json_t *notes);
/* A note pushed from another of our connections. */
void vm_note_pushed(struct vm *vm, const json_t *note);
/* How many notes the server has not acknowledged (unsent or in flight). */
size_t vm_notes_pending(const struct vm *vm);

size_t vm_chat_add_mine(struct vm *vm, const char *text);
void vm_chat_pushed(struct vm *vm, const json_t *chat);
void vm_chat_merge(struct vm *vm, const json_t *chat);
struct vm_chat *vm_chat_by_local_id(struct vm *vm, uint64_t id);
void vm_chat_delivered(struct vm *vm, uint64_t local_id, int64_t at);
void vm_chat_refused(struct vm *vm, uint64_t local_id);
void vm_chat_retry(struct vm *vm, uint64_t local_id);
/*
 * The connection dropped: everything in flight becomes UNSENT again (the
 * server de-duplicates notes by client_id; a chat message found in the
 * next session push is not resent).
 */
void vm_link_lost(struct vm *vm);
void vm_notes_clear(struct vm *vm);
void vm_chat_clear(struct vm *vm);

/* vm_keys.c: keys and input lines. */
/* Handle one key; returns what the controller should do. */
enum vm_act vm_key(struct vm *vm, int key, int64_t now);
/* Panes of the current role, in Tab order; returns how many. */
int vm_panes(const struct vm *vm, enum vm_pane out[VM_PANE__COUNT]);
/* Clamp a pane's scroll once the screen knows its height (ui.c). */
void vm_clamp_scroll(struct vm *vm, enum vm_pane p, int lines, int visible);

/* The editing keys of a line (insert, Backspace, Delete, arrows,
 * Home/^A, End/^E, ^U clears, ^W cuts the word before the cursor):
 * 1 when key was one of them. */
int vm_line_key(struct vm_line *l, int key);
void vm_line_insert(struct vm_line *l, uint32_t cp);
void vm_line_backspace(struct vm_line *l);
void vm_line_delete(struct vm_line *l);
void vm_line_left(struct vm_line *l);
void vm_line_right(struct vm_line *l);
void vm_line_clear(struct vm_line *l);
/* The text, NUL-terminated ("" when empty). */
const char *vm_line_text(const struct vm_line *l);
void vm_line_free(struct vm_line *l);

#endif
