/*
 * cmd-stats.c — stats: progress over time. The mean score per checklist
 * item as candidate, the overall score of each session as a sparkline
 * (oldest first, on the fixed 1–4 scale so that shapes compare), and the
 * counts as interviewer.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "ansi.h"
#include "cmd.h"
#include "fmt.h"
#include "sanitize.h"
#include "xmalloc.h"

static int cmd_stats_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_stats_entry = {
	"stats", NULL, "[--color WHEN]",
	"Show your progress: the mean score of each checklist item over your\n"
	"sessions as candidate (the weakest first), the trend of your\n"
	"overall scores as a sparkline (oldest first, ▁ = 1 to █ = 4), your\n"
	"sessions as interviewer with the ratings and comments candidates\n"
	"gave you, and the questions you had.",
	cmd_stats_exec
};

static const char *
str(const json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));

	return s != NULL ? s : "";
}

/* A bar of mean (1..4) in 12 cells of eighths. */
static void
bar(double mean, char *buf, size_t len)
{
	static const char *const part[] = { "", "▏", "▎", "▍", "▌", "▋",
		"▊", "▉" };
	int eighths = (int)(mean / 4 * 12 * 8 + 0.5), off = 0;

	buf[0] = '\0';
	for (; eighths >= 8 && (size_t)off + 4 < len; eighths -= 8)
		off += snprintf(buf + off, len - (size_t)off, "█");
	if ((size_t)off + 4 < len)
		snprintf(buf + off, len - (size_t)off, "%s", part[eighths]);
}

/* Weakest first (what to work on), then by label: the server's order
 * is its internal keys'. */
static int
by_mean(const void *a, const void *b)
{
	const json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	double mx = json_number_value(json_object_get(x, "mean"));
	double my = json_number_value(json_object_get(y, "mean"));

	if (mx != my)
		return mx < my ? -1 : 1;
	return strcmp(str(x, "label"), str(y, "label"));
}

/* items sorted by_mean, as a new array. */
static json_t *
sorted(const json_t *items)
{
	size_t n = json_array_size(items), i;
	json_t **v = xcalloc(n + 1, sizeof *v), *out = json_array();

	for (i = 0; i < n; i++)
		v[i] = json_array_get(items, i);
	qsort(v, n, sizeof *v, by_mean);
	for (i = 0; i < n; i++)
		json_array_append(out, v[i]);
	free(v);
	return out;
}

static void
print_candidate(const json_t *c)
{
	json_t *items = sorted(json_object_get(c, "items"));
	const json_t *trend = json_object_get(c, "trend");
	size_t i, n = json_array_size(trend);
	json_t *e;
	char label[512], b[64], *spark;
	double *v;
	struct winsize ws;
	int lw = 40;

	/* The label takes what the mean, count and bar leave. */
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) ==
	    0 && ws.ws_col > 60)
		lw = ws.ws_col - 33 > 120 ? 120 : ws.ws_col - 33;

	printf("%sAs candidate:%s %lld session%s\n", ansi(ANSI_BOLD),
	    ansi(ANSI_RESET),
	    (long long)json_integer_value(json_object_get(c, "sessions")),
	    json_integer_value(json_object_get(c, "sessions")) == 1 ? "" :
	    "s");
	if (json_array_size(items) > 0)
		printf("  %s  mean  scored\n", fmt_pad("Checklist item", lw,
		    label, sizeof label));
	json_array_foreach(items, i, e) {
		double mean = json_number_value(json_object_get(e, "mean"));

		bar(mean, b, sizeof b);
		printf("  %s  %s%.2f%s  %4lld×  %s%s%s\n", fmt_pad(str(e,
		    "label"), lw, label, sizeof label), ansi_score((int)(mean +
		    0.5)), mean, ansi(ANSI_RESET),
		    (long long)json_integer_value(json_object_get(e,
		    "count")), ansi_score((int)(mean + 0.5)), b,
		    ansi(ANSI_RESET));
	}
	json_decref(items);
	if (n == 0) {
		printf("  No scored sessions yet.\n");
		return;
	}
	v = xcalloc(n, sizeof *v);
	json_array_foreach(trend, i, e)
		v[i] = json_number_value(json_object_get(e, "overall"));
	spark = xmalloc(n * 3 + 1);
	fmt_sparkline(v, n, 1, 4, spark, n * 3 + 1);
	printf("  Trend  %s  %.2f → %.2f over %zu session%s\n", spark, v[0],
	    v[n - 1], n, n == 1 ? "" : "s");
	free(spark);
	free(v);
}

/* The comments candidates gave the user's interviewing, newest first. */
static void
print_feedback(const json_t *fb)
{
	size_t i;
	json_t *e;
	char when[32], text[4200];

	if (json_array_size(fb) == 0)
		return;
	printf("  Feedback you received (newest first)\n");
	json_array_foreach(fb, i, e) {
		int rating = (int)json_integer_value(json_object_get(e,
		    "rating"));

		printf("    %s  %s%d / 4%s  session %lld%s%s\n", fmt_time(
		    json_integer_value(json_object_get(e, "at")), when,
		    sizeof when), ansi_score(rating), rating, ansi(ANSI_RESET),
		    (long long)json_integer_value(json_object_get(e,
		    "session_id")), str(e, "text")[0] ? ": " : "",
		    sanitize_into(str(e, "text"), 0, text, sizeof text));
	}
}

static int
cmd_stats_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char *color = NULL;
	const struct cmd_opt opts[] = {
		{ "color", 0, &color, NULL },
		{ NULL, 0, NULL, NULL }
	};
	char *none;
	json_t *r, *iv, *fm, *e;
	int n, rc = cmd_getopt(&cmd_stats_entry, argc, argv, opts, &none, 0,
	    &n);
	size_t i;

	if (rc != CMD_OK)
		return rc < 0 ? CMD_OK : rc;
	if (color != NULL && cmd_color_set(ctx, color) == -1)
		return CMD_USAGE;
	if (cmd_connect_auth(ctx, NULL, NULL) == -1)
		return CMD_FAIL;
	if ((r = cmd_request(ctx, "history.stats", NULL)) == NULL)
		return CMD_FAIL;
	print_candidate(json_object_get(r, "as_candidate"));

	iv = json_object_get(r, "as_interviewer");
	fm = json_object_get(iv, "feedback_mean");
	printf("\n%sAs interviewer:%s %lld session%s", ansi(ANSI_BOLD),
	    ansi(ANSI_RESET),
	    (long long)json_integer_value(json_object_get(iv, "sessions")),
	    json_integer_value(json_object_get(iv, "sessions")) == 1 ? "" :
	    "s");
	if (json_is_number(fm))
		printf(", rated %.2f / 4 by candidates (%lld rating%s)",
		    json_number_value(fm), (long long)json_integer_value(
		    json_object_get(iv, "feedback_count")),
		    json_integer_value(json_object_get(iv,
		    "feedback_count")) == 1 ? "" : "s");
	printf("\n");
	print_feedback(json_object_get(iv, "feedback"));

	if (json_array_size(json_object_get(r, "questions")) > 0)
		printf("\n%sQuestions you had%s\n", ansi(ANSI_BOLD),
		    ansi(ANSI_RESET));
	json_array_foreach(json_object_get(r, "questions"), i, e)
		printf("  %3lld×  %s\n", (long long)json_integer_value(
		    json_object_get(e, "times")), str(e, "title"));
	json_decref(r);
	return CMD_OK;
}
