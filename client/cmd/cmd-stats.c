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

#include "cmd.h"
#include "fmt.h"
#include "xmalloc.h"

static int cmd_stats_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_stats_entry = {
	"stats", NULL, "",
	"Show your progress: the mean score of each checklist item over your\n"
	"sessions as candidate, the trend of your overall scores as a\n"
	"sparkline (oldest first, ▁ = 1 to █ = 4), your sessions as\n"
	"interviewer with the feedback you got, and the questions you had.",
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

static void
print_candidate(const json_t *c)
{
	const json_t *items = json_object_get(c, "items");
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

	printf("As candidate: %lld session%s\n",
	    (long long)json_integer_value(json_object_get(c, "sessions")),
	    json_integer_value(json_object_get(c, "sessions")) == 1 ? "" :
	    "s");
	if (json_array_size(items) > 0)
		printf("  %s  mean  scored\n", fmt_pad("Checklist item", lw,
		    label, sizeof label));
	json_array_foreach(items, i, e) {
		double mean = json_number_value(json_object_get(e, "mean"));

		bar(mean, b, sizeof b);
		printf("  %s  %.2f  %4lld×  %s\n", fmt_pad(str(e, "label"),
		    lw, label, sizeof label), mean,
		    (long long)json_integer_value(json_object_get(e,
		    "count")), b);
	}
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

static int
cmd_stats_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	char *none;
	json_t *r, *iv, *fm, *e;
	int n, rc = cmd_getopt(&cmd_stats_entry, argc, argv, NULL, &none, 0,
	    &n);
	size_t i;

	if (rc != CMD_OK)
		return rc < 0 ? CMD_OK : rc;
	if (cmd_connect_auth(ctx, NULL, NULL) == -1)
		return CMD_FAIL;
	if ((r = cmd_request(ctx, "history.stats", NULL)) == NULL)
		return CMD_FAIL;
	print_candidate(json_object_get(r, "as_candidate"));

	iv = json_object_get(r, "as_interviewer");
	fm = json_object_get(iv, "feedback_mean");
	printf("\nAs interviewer: %lld session%s",
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

	if (json_array_size(json_object_get(r, "questions")) > 0)
		printf("\nQuestions you had\n");
	json_array_foreach(json_object_get(r, "questions"), i, e)
		printf("  %3lld×  %s\n", (long long)json_integer_value(
		    json_object_get(e, "times")), str(e, "title"));
	json_decref(r);
	return CMD_OK;
}
