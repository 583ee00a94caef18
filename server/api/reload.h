/*
 * reload.h — reloading the question bank without a restart (SIGHUP, and
 * `systemctl reload mockintd`): --questions is read again and validated
 * first, off the loop; only a bank without errors replaces the one in
 * service, after its copy in the database is synced; on any error the old
 * bank stays and the problems are logged. Live sessions keep the question
 * they were asked (view.h); new sessions draw from the new bank.
 */
#ifndef MOCKINT_RELOAD_H
#define MOCKINT_RELOAD_H

/* Start a reload of dir (no-op, logged, while one is in progress). */
void reload_start(const char *dir);

#endif
