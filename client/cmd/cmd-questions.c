/*
 * cmd-questions.c — questions: what the bank holds (questions.list:
 * titles and categories, never the answers), so that --category and
 * --difficulty can be chosen from it.
 */
#include <stdio.h>
#include <string.h>

#include "ansi.h"
#include "cmd.h"
#include "fmt.h"
#include "history.h"

static int cmd_questions_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_questions_entry = {
	"questions", NULL, "[--category C] [--difficulty easy|medium|hard] "
	"[--color WHEN]",
	"List the questions of the server's bank: title, category,\n"
	"difficulty and round (never the answers), in the bank's order.\n"
	"--category takes any spelling the bank knows; 'mockint interview\n"
	"--category C' then practises one of these.",
	cmd_questions_exec
};

#define Q_CATEGORY_W	18
#define Q_DIFF_W	6
#define Q_ROUND_W	14
#define Q_FIXED_W	(Q_CATEGORY_W + 2 + Q_DIFF_W + 2 + Q_ROUND_W + 2)

static const char *
str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s != NULL ? s : "";
}

static const char *
difficulty_colour(const char *d)
{
	if (strcmp(d, "easy") == 0)
		return ansi(ANSI_GREEN);
	if (strcmp(d, "medium") == 0)
		return ansi(ANSI_YELLOW);
	return ansi(ANSI_RED);
}

static int
cmd_questions_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *category = NULL, *difficulty = NULL, *color = NULL;
	const struct cmd_opt opts[] = {
		{ "category", 'c', &category, NULL },
		{ "difficulty", 'd', &difficulty, NULL },
		{ "color", 0, &color, NULL },
		{ NULL, 0, NULL, NULL }
	};
	char *none, c1[256], c2[64], c3[64], c4[1024];
	json_t *f, *r, *q;
	int n, titlew, rc = cmd_getopt(&cmd_questions_entry, argc, argv, opts,
	    &none, 0, &n);
	size_t i;

	if (rc != CMD_OK)
		return rc < 0 ? CMD_OK : rc;
	if (color != NULL && cmd_color_set(ctx, color) == -1)
		return CMD_USAGE;
	if (difficulty != NULL && strcmp(difficulty, "easy") != 0 &&
	    strcmp(difficulty, "medium") != 0 && strcmp(difficulty,
	    "hard") != 0) {
		cmd_error("--difficulty must be one of: easy, medium, hard "
		    "(not '%s')", difficulty);
		return CMD_USAGE;
	}
	if (category != NULL && (category[0] == '\0' ||
	    strlen(category) > 64)) {
		cmd_error("--category must be 1 to 64 bytes");
		return CMD_USAGE;
	}
	if (cmd_connect_auth(ctx, NULL, NULL) == -1)
		return CMD_FAIL;
	f = json_object();
	if (category != NULL)
		json_object_set_new(f, "category", json_string(category));
	if (difficulty != NULL)
		json_object_set_new(f, "difficulty", json_string(difficulty));
	if ((r = cmd_request(ctx, "questions.list", f)) == NULL)
		return CMD_FAIL;
	if (json_array_size(json_object_get(r, "questions")) == 0) {
		printf("No questions%s%s%s.\n", category ? " in category '" :
		    "", category ? category : "", category ? "'" : "");
		json_decref(r);
		return CMD_OK;
	}
	titlew = history_columns() - 1 - Q_FIXED_W;
	printf("%s%s  %s  %s  %s%s\n", ansi(ANSI_BOLD), fmt_pad("CATEGORY",
	    Q_CATEGORY_W, c1, sizeof c1), fmt_pad("LEVEL", Q_DIFF_W, c2,
	    sizeof c2), fmt_pad("ROUND", Q_ROUND_W, c3, sizeof c3), "TITLE",
	    ansi(ANSI_RESET));
	json_array_foreach(json_object_get(r, "questions"), i, q) {
		printf("%s  %s%s%s  %s  %s\n", fmt_pad(str(q, "category"),
		    Q_CATEGORY_W, c1, sizeof c1), difficulty_colour(str(q,
		    "difficulty")), fmt_pad(str(q, "difficulty"), Q_DIFF_W,
		    c2, sizeof c2), ansi(ANSI_RESET), fmt_pad(str(q, "round"),
		    Q_ROUND_W, c3, sizeof c3), fmt_cut(str(q, "title"),
		    titlew, c4, sizeof c4));
	}
	printf("%zu question%s.\n", json_array_size(json_object_get(r,
	    "questions")), json_array_size(json_object_get(r,
	    "questions")) == 1 ? "" : "s");
	json_decref(r);
	return CMD_OK;
}
