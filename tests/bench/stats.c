/*
 * stats.c — latency histograms, /proc figures and database sizes (see
 * stats.h).
 */
#include "stats.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

void
hist_reset(struct hist *h)
{
	memset(h, 0, sizeof *h);
	h->min = UINT64_MAX;
}

static unsigned
bucket_of(uint64_t v)
{
	unsigned e;

	if (v < HIST_SUB)
		return (unsigned)v;
	e = 63u - (unsigned)__builtin_clzll(v);	/* 6 and up */
	if (e - 6 >= 41)
		return HIST_BUCKETS - 1;
	/* The 6 bits below the top bit pick the sub-bucket. */
	return HIST_SUB + (e - 6) * HIST_SUB +
	    (unsigned)((v >> (e - 6)) & (HIST_SUB - 1));
}

/* The largest value that falls into bucket i. */
static uint64_t
bucket_top(unsigned i)
{
	unsigned e, sub;

	if (i < HIST_SUB)
		return i;
	e = (i - HIST_SUB) / HIST_SUB + 6;
	sub = (i - HIST_SUB) % HIST_SUB;
	return ((uint64_t)(HIST_SUB + sub + 1) << (e - 6)) - 1;
}

void
hist_add(struct hist *h, uint64_t v)
{
	h->b[bucket_of(v)]++;
	h->n++;
	h->sum += v;
	if (v > h->max)
		h->max = v;
	if (v < h->min)
		h->min = v;
}

uint64_t
hist_pct(const struct hist *h, double p)
{
	uint64_t want, seen = 0;

	if (h->n == 0)
		return 0;
	want = (uint64_t)(p * (double)h->n + 0.999999);
	if (want < 1)
		want = 1;
	for (unsigned i = 0; i < HIST_BUCKETS; i++) {
		seen += h->b[i];
		if (seen >= want) {
			uint64_t top = bucket_top(i);

			return top < h->max ? top : h->max;
		}
	}
	return h->max;
}

double
hist_mean(const struct hist *h)
{
	return h->n ? (double)h->sum / (double)h->n : 0;
}

void
procfig_read(pid_t pid, struct procfig *f)
{
	char path[64], line[512];
	FILE *fp;

	f->rss_kib = f->hwm_kib = -1;
	f->cpu_s = -1;
	if (pid <= 0)
		return;
	snprintf(path, sizeof path, "/proc/%d/status", (int)pid);
	if ((fp = fopen(path, "r")) != NULL) {
		while (fgets(line, sizeof line, fp) != NULL) {
			if (strncmp(line, "VmRSS:", 6) == 0)
				sscanf(line + 6, "%ld", &f->rss_kib);
			else if (strncmp(line, "VmHWM:", 6) == 0)
				sscanf(line + 6, "%ld", &f->hwm_kib);
		}
		fclose(fp);
	}
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	if ((fp = fopen(path, "r")) != NULL) {
		if (fgets(line, sizeof line, fp) != NULL) {
			/* The name (field 2) may hold spaces: start after it. */
			char *p = strrchr(line, ')');
			unsigned long ut, st;

			if (p != NULL && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d "
			    "%*u %*u %*u %*u %*u %lu %lu", &ut, &st) == 2)
				f->cpu_s = (double)(ut + st) /
				    (double)sysconf(_SC_CLK_TCK);
		}
		fclose(fp);
	}
}

double
self_cpu_s(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return 0;
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 +
	    (double)ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

long
db_size_kib(const char *path)
{
	char wal[4096];
	struct stat st;
	long long bytes;

	if (path == NULL || stat(path, &st) != 0)
		return -1;
	bytes = (long long)st.st_size;
	/* No -wal (checkpointed and closed, or not yet written): nothing. */
	if (snprintf(wal, sizeof wal, "%s-wal", path) < (int)sizeof wal &&
	    stat(wal, &st) == 0)
		bytes += (long long)st.st_size;
	return (long)(bytes / 1024);
}
