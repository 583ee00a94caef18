/*
 * backup.h — mockintd --backup FILE: a consistent copy of the database
 * with SQLite's online backup API, as a one-shot process beside a running
 * server (WAL lets it read a snapshot while the server keeps writing).
 */
#ifndef MOCKINT_BACKUP_H
#define MOCKINT_BACKUP_H

/*
 * Copy the database at db to dest: into a temporary file next to dest,
 * checked with PRAGMA integrity_check, then renamed over dest, so that
 * dest is always either the old copy or a whole new one. Prints a line
 * on success. Returns the process exit status (0 or 1).
 */
int backup_run(const char *db, const char *dest);

#endif
