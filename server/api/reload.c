/*
 * reload.c — the bank's reload: read and parse on the thread pool, sync
 * the database's copy on the writer, install on the loop (see reload.h).
 */
#include "reload.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "bank.h"
#include "log.h"
#include "server.h"
#include "store_questions.h"
#include "view.h"
#include "writer.h"
#include "xmalloc.h"

struct reload {
	uv_work_t work;
	struct store_job job;	/* the sync, once loaded */
	char *dir;
	struct bank *bank;	/* the new one */
	struct questions_problems pr;
};

/* One reload at a time: a second SIGHUP meanwhile is logged, not queued. */
static int busy;

static void
reload_free(struct reload *r)
{
	bank_unref(r->bank);
	questions_problems_free(&r->pr);
	free(r->dir);
	free(r);
	busy = 0;
}

/* Thread pool: the files, read and parsed. */
static void
load(uv_work_t *w)
{
	struct reload *r = w->data;

	r->bank = bank_load(r->dir, &r->pr);
}

static int
sync_run(struct store *st, struct store_job *j)
{
	struct reload *r = (struct reload *)((char *)j -
	    offsetof(struct reload, job));

	return store_questions_sync_in(st, r->bank);
}

/* Loop: the copy is synced, or not; install the new bank, or keep. */
static void
sync_done(struct store_job *j, int status)
{
	struct reload *r = (struct reload *)((char *)j -
	    offsetof(struct reload, job));

	if (status != 0) {
		log_error(0, "reload: could not store the new bank; the old "
		    "one stays");
		goto out;
	}
	log_info(0, "reload: %zu questions from %s (live sessions keep "
	    "theirs)", bank_count(r->bank), r->dir);
	bank_install(bank_ref(r->bank));
	view_retire_all();
out:
	reload_free(r);
}

/* Loop: the files are read; validated, they go to the writer. */
static void
loaded(uv_work_t *w, int status)
{
	struct reload *r = w->data;

	questions_problems_print(&r->pr, stderr);
	if (status != 0 || r->bank == NULL || r->pr.errors > 0 ||
	    bank_count(r->bank) == 0) {
		log_error(0, "reload: %s has %zu error(s) or no usable "
		    "question; the old bank stays", r->dir, r->pr.errors);
		reload_free(r);
		return;
	}
	r->job.run = sync_run;
	r->job.done = sync_done;
	writer_submit(&r->job);
}

void
reload_start(const char *dir)
{
	struct reload *r;

	if (dir == NULL) {
		log_warn(0, "reload: no --questions to reload");
		return;
	}
	if (busy) {
		log_warn(0, "reload: one is in progress already");
		return;
	}
	r = xcalloc(1, sizeof *r);
	r->work.data = r;
	r->dir = xstrdup(dir);
	questions_problems_init(&r->pr);
	busy = 1;
	log_info(0, "reload: reading %s", dir);
	uv_queue_work(srv.loop, &r->work, load, loaded);
}
