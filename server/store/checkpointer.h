/*
 * checkpointer.h — copying the WAL back into the database file, on a
 * thread of its own.
 *
 * A checkpoint (and its fsync of the database file) is the slowest thing
 * SQLite does. Run inside the writer, as SQLite's automatic one is, it
 * holds every reply waiting on that batch — worse with --sync normal,
 * where commits are cheap, the WAL grows fast and the checkpoints that
 * catch up with it are long. The checkpointer has its own connection and
 * runs PASSIVE checkpoints, which never block the writer or a reader:
 * whenever the writer reports the WAL past CHECKPOINT_PAGES, and when
 * the writer goes idle.
 */
#ifndef MOCKINT_CHECKPOINTER_H
#define MOCKINT_CHECKPOINTER_H

#include <stddef.h>

/* Pages in the WAL that ask for a checkpoint (4 MiB of 4 KiB pages). */
#define CHECKPOINT_PAGES 1000

/* Start on the database at path (created and migrated), with the
 * writer's durability (sync_full: PRAGMA synchronous=FULL). */
int checkpointer_start(const char *path, int sync_full, char *err,
    size_t errlen);
/* The WAL holds pages frames (any thread: the writer's WAL hook). */
void checkpointer_wal(int pages);
/* The writer has nothing queued: a good moment for a checkpoint. */
void checkpointer_idle(void);
/* Finish the checkpoint in progress and stop. */
void checkpointer_stop(void);

#endif
