/*
 * stats.h — what the benchmark tools measure with: a fixed-size latency
 * histogram (percentiles within 1.6 %, exact maximum, no sample storage,
 * so a long run costs no memory), the figures of a process read from
 * /proc (resident memory, CPU time) and the size of a database on disk.
 */
#ifndef MOCKINT_BENCH_STATS_H
#define MOCKINT_BENCH_STATS_H

#include <stdint.h>
#include <sys/types.h>

/*
 * Values 0..63 have a bucket each; above, every power of two is split in
 * 64 buckets. 41 powers of two reach 2^46 microseconds (over two years).
 */
#define HIST_SUB	64
#define HIST_BUCKETS	(HIST_SUB + 41 * HIST_SUB)

struct hist {
	uint64_t n, sum, min, max;
	uint64_t b[HIST_BUCKETS];
};

void hist_reset(struct hist *h);
void hist_add(struct hist *h, uint64_t v);
/* The value under which a fraction p (0..1) of the samples lie; 0 when
 * empty. Never more than the maximum seen. */
uint64_t hist_pct(const struct hist *h, double p);
double hist_mean(const struct hist *h);

/* A process's figures from /proc/PID/{status,stat}; -1 fields when
 * unreadable (the process is gone, or no PID was given). */
struct procfig {
	long rss_kib;		/* VmRSS */
	long hwm_kib;		/* VmHWM: the peak RSS */
	double cpu_s;		/* utime + stime */
};

void procfig_read(pid_t pid, struct procfig *f);

/* The size of an SQLite database in WAL mode: the file and its -wal, in
 * KiB; -1 when path is NULL or the file cannot be read. */
long db_size_kib(const char *path);

/* This process's own CPU time (user + system), seconds. */
double self_cpu_s(void);

#endif
