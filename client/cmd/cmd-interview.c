/*
 * cmd-interview.c — interview, room create and room join: the three ways
 * into the interview screen (live.c). Each checks its arguments here, so
 * that a typo is a usage error before anything touches the network.
 */
#include <stdio.h>
#include <string.h>

#include "cmd.h"
#include "live.h"

static int cmd_interview_exec(struct cmd_ctx *, int, char **);
static int cmd_room_create_exec(struct cmd_ctx *, int, char **);
static int cmd_room_join_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_interview_entry = {
	"interview", NULL,
	"[--role candidate|interviewer|either] [--category C] "
	"[--difficulty easy|medium|hard] [--quiet] [--flash]",
	"Join the queue and open the interview screen when paired with\n"
	"someone (--role either, the default, takes whichever side is\n"
	"missing). --category and --difficulty must be in the bank\n"
	"('mockint questions' lists it). If you are in a live session,\n"
	"go back to it; if your last session ended a moment ago, go back\n"
	"to its results (to swap roles or chat; Enter queues instead).\n"
	"The clock rings at each phase and when 1:00 and 0:10 are left:\n"
	"--flash flashes the screen instead, --quiet keeps it silent.\n"
	"Press ? on the screen for its keys.",
	cmd_interview_exec
};

const struct cmd_entry cmd_room_create_entry = {
	"room", "create", "[--role candidate|interviewer] [--quiet] [--flash]",
	"Open a room for a friend: prints a code to share (single use,\n"
	"valid for 10 minutes) and waits for them on the interview screen.\n"
	"--role is your side (default candidate); they get the other.\n"
	"--quiet and --flash as for 'mockint interview'.",
	cmd_room_create_exec
};

const struct cmd_entry cmd_room_join_entry = {
	"room", "join", "CODE [--quiet] [--flash]",
	"Join a friend's room by its code and open the interview screen.\n"
	"--quiet and --flash as for 'mockint interview'.",
	cmd_room_join_exec
};

static int
one_of(const char *what, const char *v, const char *const *allowed)
{
	for (size_t i = 0; allowed[i] != NULL; i++)
		if (strcmp(v, allowed[i]) == 0)
			return 1;
	cmd_error("%s must be one of:%s%s%s%s%s%s (not '%s')", what,
	    allowed[0] ? " " : "", allowed[0] ? allowed[0] : "",
	    allowed[1] ? ", " : "", allowed[1] ? allowed[1] : "",
	    allowed[1] && allowed[2] ? ", " : "",
	    allowed[1] && allowed[2] ? allowed[2] : "", v);
	return 0;
}

static const char *const queue_roles[] = { "candidate", "interviewer",
	"either", NULL };
static const char *const room_roles[] = { "candidate", "interviewer",
	NULL };
static const char *const difficulties[] = { "easy", "medium", "hard",
	NULL };

static int
cmd_interview_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct live_opts o = { .how = LIVE_QUEUE, .role = "either" };
	const struct cmd_opt opts[] = {
		{ "role", 'r', &o.role, NULL },
		{ "category", 'c', &o.category, NULL },
		{ "difficulty", 'd', &o.difficulty, NULL },
		{ "quiet", 'q', NULL, &o.quiet },
		{ "flash", 0, NULL, &o.flash },
		{ NULL, 0, NULL, NULL }
	};
	char *none;
	int n, rc = cmd_getopt(&cmd_interview_entry, argc, argv, opts, &none,
	    0, &n);

	if (rc != CMD_OK)
		return rc < 0 ? CMD_OK : rc;
	if (!one_of("--role", o.role, queue_roles) || (o.difficulty &&
	    !one_of("--difficulty", o.difficulty, difficulties)))
		return CMD_USAGE;
	if (o.category != NULL && (o.category[0] == '\0' ||
	    strlen(o.category) > 64)) {
		cmd_error("--category must be 1 to 64 bytes");
		return CMD_USAGE;
	}
	return live_run(ctx, &o);
}

static int
cmd_room_create_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct live_opts o = { .how = LIVE_ROOM_CREATE, .role = "candidate" };
	const struct cmd_opt opts[] = {
		{ "role", 'r', &o.role, NULL },
		{ "quiet", 'q', NULL, &o.quiet },
		{ "flash", 0, NULL, &o.flash },
		{ NULL, 0, NULL, NULL }
	};
	char *none;
	int n, rc = cmd_getopt(&cmd_room_create_entry, argc, argv, opts,
	    &none, 0, &n);

	if (rc != CMD_OK)
		return rc < 0 ? CMD_OK : rc;
	if (!one_of("--role", o.role, room_roles))
		return CMD_USAGE;
	return live_run(ctx, &o);
}

static int
cmd_room_join_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	struct live_opts o = { .how = LIVE_ROOM_JOIN };
	const struct cmd_opt opts[] = {
		{ "quiet", 'q', NULL, &o.quiet },
		{ "flash", 0, NULL, &o.flash },
		{ NULL, 0, NULL, NULL }
	};
	char *code[1];
	int n, rc = cmd_getopt(&cmd_room_join_entry, argc, argv, opts, code,
	    1, &n);

	if (rc != CMD_OK)
		return rc < 0 ? CMD_OK : rc;
	if (n != 1) {
		cmd_error("room join: which code?");
		cmd_usage(&cmd_room_join_entry, 0);
		return CMD_USAGE;
	}
	if (strlen(code[0]) == 0 || strlen(code[0]) > 16) {
		cmd_error("a room code has 6 characters (got '%s')", code[0]);
		return CMD_USAGE;
	}
	o.code = code[0];
	return live_run(ctx, &o);
}
