/*
 * cmd-history.c — history, history show and history export: the table of
 * one's sessions, one session's readable report, and its export as
 * Markdown, JSON or CSV (export.c does the writing).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "ansi.h"
#include "cmd.h"
#include "export.h"
#include "fmt.h"
#include "history.h"
#include "htable.h"
#include "sanitize.h"
#include "xmalloc.h"

#define HISTORY_PAGER	"less -R"

static int cmd_history_exec(struct cmd_ctx *, int, char **);
static int cmd_history_show_exec(struct cmd_ctx *, int, char **);
static int cmd_history_export_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_history_entry = {
	"history", NULL, "[--limit N] [--before CURSOR] [--color WHEN]",
	"List your sessions, newest first (20 by default, at most 100 a\n"
	"page). On a terminal this is a browser: Up/Down (k/j) move, Enter\n"
	"opens the report (q back), e exports it to a file, / searches by\n"
	"question or peer (Esc clears), q quits. Piped, it prints a table;\n"
	"when there are more, the last line says how to see them.",
	cmd_history_exec
};

const struct cmd_entry cmd_history_show_entry = {
	"history", "show", "ID [--color WHEN]",
	"Print the report of one session: the question, the scores, the\n"
	"notes under each checklist item, the chat and the feedback on the\n"
	"interviewing. On a terminal it goes through $PAGER (default\n"
	"'less -R'; PAGER= prints it directly).",
	cmd_history_show_exec
};

const struct cmd_entry cmd_history_export_entry = {
	"history", "export", "ID [--format md|json|csv] [-o FILE]",
	"Export one session: md (default) a Markdown report to share, json\n"
	"the server's whole record, csv one row per note. Written to FILE\n"
	"with -o, else to standard output.",
	cmd_history_export_exec
};

int
history_columns(void)
{
	struct winsize ws;
	const char *env = getenv("COLUMNS");
	long v;

	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) ==
	    0 && ws.ws_col > 0)
		v = ws.ws_col;
	else if (env != NULL && (v = strtol(env, NULL, 10)) > 0)
		;
	else
		v = HISTORY_COLUMNS_PIPED;
	return v < HISTORY_COLUMNS_MIN ? HISTORY_COLUMNS_MIN :
	    v > HISTORY_COLUMNS_MAX ? HISTORY_COLUMNS_MAX : (int)v;
}

/* The colour of a result: its overall score, or dim without one. */
static const char *
result_colour(const json_t *e)
{
	json_t *ov = json_object_get(e, "overall");

	if (json_is_number(ov))
		return ansi_score((int)(json_number_value(ov) + 0.5));
	return ansi(ANSI_DIM);
}

static void
print_table(const json_t *r, const char *limit_s)
{
	const json_t *list = json_object_get(r, "sessions");
	json_t *e, *next = json_object_get(r, "next");
	int resultw = (int)strlen("RESULT"), titlew;
	char head[1024], row[2048], c[64];
	size_t i;

	json_array_foreach(list, i, e) {
		htable_result(e, c, sizeof c);
		if (fmt_width(c) > resultw)
			resultw = fmt_width(c);
	}
	titlew = htable_title_width(history_columns(), resultw);
	htable_header(titlew, resultw, head, sizeof head);
	printf("%s%s%s\n", ansi(ANSI_BOLD), head, ansi(ANSI_RESET));
	json_array_foreach(list, i, e) {
		htable_row(e, titlew, row, sizeof row);
		htable_result(e, c, sizeof c);
		printf("%s%s%s%s\n", row, result_colour(e), c,
		    ansi(ANSI_RESET));
	}
	if (json_is_integer(next))
		printf("More: mockint history%s%s --before %lld\n", limit_s ?
		    " --limit " : "", limit_s ? limit_s : "",
		    (long long)json_integer_value(next));
}

static int
cmd_history_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *limit_s = NULL, *before_s = NULL, *color = NULL;
	const struct cmd_opt opts[] = {
		{ "limit", 'n', &limit_s, NULL },
		{ "before", 0, &before_s, NULL },
		{ "color", 0, &color, NULL },
		{ NULL, 0, NULL, NULL }
	};
	char *none;
	json_t *f = json_object(), *r = NULL;
	int n, rc = cmd_getopt(&cmd_history_entry, argc, argv, opts, &none, 0,
	    &n);
	long long v;

	if (rc != CMD_OK) {
		json_decref(f);
		return rc < 0 ? CMD_OK : rc;
	}
	rc = CMD_USAGE;
	if (color != NULL && cmd_color_set(ctx, color) == -1)
		goto out;
	if (limit_s != NULL) {
		if ((v = cmd_parse_id("--limit", limit_s)) < 0 || v > 100) {
			if (v > 100)
				cmd_error("--limit is at most 100");
			goto out;
		}
		json_object_set_new(f, "limit", json_integer(v));
	}
	if (before_s != NULL) {
		if ((v = cmd_parse_id("--before", before_s)) < 0)
			goto out;
		json_object_set_new(f, "before", json_integer(v));
	}
	rc = CMD_FAIL;
	if (cmd_connect_auth(ctx, NULL, NULL) == -1)
		goto out;
	/* On a terminal, the browser (like tig); piped, the table. */
	if (isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)) {
		rc = browse_run(ctx, f);
		f = NULL;
		goto out;
	}
	r = cmd_request(ctx, "history.list", f);
	f = NULL;
	if (r == NULL)
		goto out;
	if (json_array_size(json_object_get(r, "sessions")) == 0)
		printf("No sessions yet: 'mockint interview' starts one.\n");
	else
		print_table(r, limit_s);
	rc = CMD_OK;
out:
	json_decref(f);
	json_decref(r);
	return rc;
}

/* A request whose reply must be ok: NULL with why filled. */
static json_t *
quiet_request(struct cmd_ctx *ctx, const char *type, json_t *fields,
    char *why, size_t whylen)
{
	json_t *r = rpc_call_sync(ctx->rpc, type, fields, CMD_REPLY_MS, why,
	    whylen);

	if (r != NULL && !rpc_is_ok(r)) {
		sanitize_into(rpc_error_message(r), 0, why, whylen);
		json_decref(r);
		return NULL;
	}
	return r;
}

/*
 * The server sends a record's notes and chat in pages, the newest first
 * ("notes_before"/"chat_before" is the cursor for the page before): ask
 * for the older pages of list in turn and put them in front, so that the
 * record is whole. -1 with why filled.
 */
static int
fetch_older(struct cmd_ctx *ctx, json_t *h, long long id, const char *list,
    char *why, size_t whylen)
{
	char cursor[32];
	json_t *all = json_object_get(h, list), *page, *older;
	size_t guard = 0;

	snprintf(cursor, sizeof cursor, "%s_before", list);
	while (json_is_integer(json_object_get(h, cursor))) {
		/* Each page holds at least one item: bounded by the total. */
		if (++guard > 100000)
			return -1;
		page = quiet_request(ctx, "history.get", json_pack("{s:I,s:O}",
		    "session_id", (json_int_t)id, cursor,
		    json_object_get(h, cursor)), why, whylen);
		if (page == NULL)
			return -1;
		older = json_object_get(page, list);
		if (!json_is_array(older) || json_array_size(older) == 0) {
			snprintf(why, whylen, "a page of the %s was empty",
			    list);
			json_decref(page);
			return -1;
		}
		json_array_extend(older, all);
		json_array_clear(all);
		json_array_extend(all, older);
		json_object_set(h, cursor, json_object_get(page, cursor));
		json_decref(page);
	}
	return 0;
}

/* The whole record; NULL with why filled and *not_found set for an id
 * that is not the user's. */
static json_t *
fetch_record(struct cmd_ctx *ctx, long long id, char *why, size_t whylen,
    int *not_found)
{
	const char *code;
	/* Kept as it came: JSON exports every byte; the reports clean a
	 * copy. */
	json_t *r = rpc_call_sync(ctx->rpc, "history.get", json_pack("{s:I}",
	    "session_id", (json_int_t)id), CMD_REPLY_MS, why, whylen);

	*not_found = 0;
	if (r == NULL)
		return NULL;
	if (!rpc_is_ok(r)) {
		code = rpc_error_code(r);
		*not_found = code != NULL && strcmp(code, "not_found") == 0;
		if (*not_found)
			snprintf(why, whylen, "no session %lld of yours", id);
		else
			sanitize_into(rpc_error_message(r), 0, why, whylen);
		json_decref(r);
		return NULL;
	}
	if (fetch_older(ctx, r, id, "notes", why, whylen) != 0 ||
	    fetch_older(ctx, r, id, "chat", why, whylen) != 0) {
		json_decref(r);
		return NULL;
	}
	return r;
}

json_t *
history_get_quiet(struct cmd_ctx *ctx, long long id, char *why,
    size_t whylen)
{
	int nf;

	return fetch_record(ctx, id, why, whylen, &nf);
}

json_t *
history_get(struct cmd_ctx *ctx, long long id, int *rc)
{
	char why[256];
	int not_found;
	json_t *r;

	*rc = CMD_FAIL;
	if (cmd_connect_auth(ctx, NULL, NULL) == -1)
		return NULL;
	if ((r = fetch_record(ctx, id, why, sizeof why, &not_found)) ==
	    NULL) {
		if (not_found)
			cmd_error("no session %lld of yours ('mockint "
			    "history' lists them)", id);
		else
			cmd_error("%s: could not read session %lld: %s",
			    ctx->server, id, why);
		return NULL;
	}
	*rc = CMD_OK;
	return r;
}

/* The one ID argument of show and export; -1 after a usage error. */
static long long
one_id(const struct cmd_entry *e, int n, char *arg)
{
	if (n != 1) {
		cmd_error("history %s: which session?", e->sub);
		cmd_usage(e, 0);
		return -1;
	}
	return cmd_parse_id("the session ID", arg);
}

/*
 * The pager for a report on a terminal: $PAGER, else less -R ("" for
 * none); LESS=FRX unless set, as git does: one screen quits at once,
 * colours pass, the screen is not cleared. NULL: write to stdout.
 */
static FILE *
pager_open(void)
{
	const char *pager = getenv("PAGER");

	if (!isatty(STDOUT_FILENO))
		return NULL;
	if (pager == NULL)
		pager = HISTORY_PAGER;
	if (pager[0] == '\0' || strcmp(pager, "cat") == 0)
		return NULL;
	setenv("LESS", "FRX", 0);
	fflush(stdout);
	return popen(pager, "w");
}

static int
cmd_history_show_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *color = NULL;
	const struct cmd_opt opts[] = {
		{ "color", 0, &color, NULL },
		{ NULL, 0, NULL, NULL }
	};
	char *id[1];
	long long sid;
	json_t *r;
	FILE *out;
	int n, rc = cmd_getopt(&cmd_history_show_entry, argc, argv, opts, id,
	    1, &n), bad;

	if (rc != CMD_OK)
		return rc < 0 ? CMD_OK : rc;
	if ((sid = one_id(&cmd_history_show_entry, n, id[0])) < 0 ||
	    (color != NULL && cmd_color_set(ctx, color) == -1))
		return CMD_USAGE;
	if ((r = history_get(ctx, sid, &rc)) == NULL)
		return rc;
	out = pager_open();
	bad = export_write(out != NULL ? out : stdout, r, EXPORT_TEXT) == -1;
	/* A pager quit early (EPIPE) is the reader's choice, not an error. */
	if (out != NULL)
		pclose(out);
	else if (bad) {
		cmd_error("cannot write the report: %s", strerror(errno));
		rc = CMD_FAIL;
	}
	json_decref(r);
	return rc;
}

static int
cmd_history_export_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *format = "md", *file = NULL;
	const struct cmd_opt opts[] = {
		{ "format", 'f', &format, NULL },
		{ "output", 'o', &file, NULL },
		{ NULL, 0, NULL, NULL }
	};
	enum export_format f;
	char *id[1], why[512];
	long long sid;
	json_t *r;
	int n, rc = cmd_getopt(&cmd_history_export_entry, argc, argv, opts, id,
	    1, &n);

	if (rc != CMD_OK)
		return rc < 0 ? CMD_OK : rc;
	if ((sid = one_id(&cmd_history_export_entry, n, id[0])) < 0)
		return CMD_USAGE;
	if (export_format_parse(format, &f) == -1 || f == EXPORT_TEXT) {
		cmd_error("--format must be md, json or csv (not '%s')",
		    format);
		return CMD_USAGE;
	}
	if ((r = history_get(ctx, sid, &rc)) == NULL)
		return rc;
	rc = CMD_FAIL;
	if (file != NULL && strcmp(file, "-") != 0) {
		if (export_file(file, r, f, why, sizeof why) == -1)
			cmd_error("%s", why);
		else {
			fprintf(stderr, "Wrote %s.\n", file);
			rc = CMD_OK;
		}
	} else if (export_write(stdout, r, f) == -1)
		cmd_error("cannot write the export: %s", strerror(errno));
	else
		rc = CMD_OK;
	json_decref(r);
	return rc;
}
