/*
 * checkpointer.c — the WAL checkpointing thread (see checkpointer.h).
 */
#include "checkpointer.h"

#include <pthread.h>
#include <stdio.h>

#include "log.h"
#include "store.h"

/* When idle, a checkpoint is worth its fsync from this many pages. */
#define IDLE_PAGES 64

static struct store *cst;
static pthread_t thread;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake = PTHREAD_COND_INITIALIZER;
static int pages, idle, stopping, running;

static void *
checkpointer_main(void *arg)
{
	pthread_mutex_lock(&lock);
	for (;;) {
		while (!stopping && pages < CHECKPOINT_PAGES &&
		    !(idle && pages >= IDLE_PAGES))
			pthread_cond_wait(&wake, &lock);
		if (stopping)
			break;
		pages = 0;
		idle = 0;
		pthread_mutex_unlock(&lock);
		/* PASSIVE: copies what no reader still needs, waits for
		 * nobody; what it cannot copy now, the next one will. */
		if (sqlite3_wal_checkpoint_v2(store_db(cst), NULL,
		    SQLITE_CHECKPOINT_PASSIVE, NULL, NULL) != SQLITE_OK)
			log_warn(0, "checkpoint: %s",
			    sqlite3_errmsg(store_db(cst)));
		pthread_mutex_lock(&lock);
	}
	pthread_mutex_unlock(&lock);
	return NULL;
}

int
checkpointer_start(const char *path, int sync_full, char *err,
    size_t errlen)
{
	/* Read-write (a checkpoint writes the database file); the schema
	 * is the writer's, migrated already. */
	cst = store_open(path, sync_full, err, errlen);
	if (cst == NULL)
		return -1;
	sqlite3_wal_autocheckpoint(store_db(cst), 0);
	stopping = pages = idle = 0;
	if (pthread_create(&thread, NULL, checkpointer_main, NULL) != 0) {
		snprintf(err, errlen, "cannot start the checkpointer thread");
		store_close(cst);
		cst = NULL;
		return -1;
	}
	running = 1;
	return 0;
}

void
checkpointer_wal(int n)
{
	pthread_mutex_lock(&lock);
	pages = n;
	if (pages >= CHECKPOINT_PAGES)
		pthread_cond_signal(&wake);
	pthread_mutex_unlock(&lock);
}

void
checkpointer_idle(void)
{
	pthread_mutex_lock(&lock);
	idle = 1;
	if (pages >= IDLE_PAGES)
		pthread_cond_signal(&wake);
	pthread_mutex_unlock(&lock);
}

void
checkpointer_stop(void)
{
	if (!running)
		return;
	pthread_mutex_lock(&lock);
	stopping = 1;
	pthread_cond_signal(&wake);
	pthread_mutex_unlock(&lock);
	pthread_join(thread, NULL);
	running = 0;
	store_close(cst);
	cst = NULL;
}
