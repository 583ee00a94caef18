/*
 * pwcheck.c — libpwquality on the thread pool (see pwcheck.h).
 *
 * cracklib keeps state of its own while it looks a word up and does not
 * promise to be thread-safe, so the checks take turns under one mutex:
 * they take milliseconds and come with registrations and password
 * changes only.
 */
#include "pwcheck.h"

#include <pwquality.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "secret.h"
#include "server.h"
#include "xmalloc.h"

struct job {
	uv_work_t req;
	char *password, *old;	/* NUL-terminated copies; zeroed */
	size_t len, oldlen;
	char username[64];
	int ok;
	char why[PWCHECK_WHY_MAX];
	pwcheck_cb cb;
	void *arg;
};

/* Passes every check: refused, it means the dictionary is missing. */
#define PROBE "Qv7#tLm2-Xe9Rk"

static pwquality_settings_t *settings;
static uv_mutex_t lock;
static int pending;

/* Run one check (under the lock); 1 good, 0 weak, -1 could not. */
static int
check(const char *password, const char *old, const char *username,
    char *why, size_t whylen)
{
	void *aux = NULL;
	char buf[PWQ_MAX_ERROR_MESSAGE_LEN];
	int rc;

	uv_mutex_lock(&lock);
	rc = pwquality_check(settings, password, old, username, &aux);
	if (rc < 0)
		snprintf(why, whylen, "%s",
		    pwquality_strerror(buf, sizeof buf, rc, aux));
	uv_mutex_unlock(&lock);
	if (rc >= 0)
		return 1;
	return rc == PWQ_ERROR_MEM_ALLOC || rc == PWQ_ERROR_FATAL_FAILURE ?
	    -1 : 0;
}

int
pwcheck_start(int min_length, char *why, size_t whylen)
{
	char reason[PWCHECK_WHY_MAX];

	settings = pwquality_default_settings();
	if (settings == NULL) {
		snprintf(why, whylen, "libpwquality: out of memory");
		return -1;
	}
	if (uv_mutex_init(&lock) != 0) {
		snprintf(why, whylen, "cannot make a mutex");
		pwquality_free_settings(settings);
		settings = NULL;
		return -1;
	}
	pwquality_set_int_value(settings, PWQ_SETTING_MIN_LENGTH, min_length);
	pwquality_set_int_value(settings, PWQ_SETTING_DICT_CHECK, 1);
	pwquality_set_int_value(settings, PWQ_SETTING_USER_CHECK, 1);
	/* A strong password passes unless the dictionary cannot be read. */
	if (check(PROBE, NULL, NULL, reason, sizeof reason) != 1) {
		snprintf(why, whylen, "the password checks cannot run (%s): "
		    "is cracklib's dictionary installed (Debian: "
		    "cracklib-runtime)?", reason);
		pwcheck_free();
		return -1;
	}
	return 0;
}

void
pwcheck_free(void)
{
	if (settings == NULL)
		return;
	pwquality_free_settings(settings);
	settings = NULL;
	uv_mutex_destroy(&lock);
}

static void
work(uv_work_t *req)
{
	struct job *j = req->data;

	j->ok = check(j->password, j->old, j->username, j->why, sizeof j->why);
}

static void
after(uv_work_t *req, int status)
{
	struct job *j = req->data;

	pending--;
	if (status != 0) {	/* cancelled at shutdown */
		j->ok = -1;
		snprintf(j->why, sizeof j->why, "cancelled");
	}
	j->cb(j->ok, j->ok == 1 ? NULL : j->why, j->arg);
	secret_free(j->password, j->len);
	secret_free(j->old, j->oldlen);
	free(j);
}

int
pwcheck_submit(const char *password, size_t len, const char *username,
    const char *old, size_t oldlen, pwcheck_cb cb, void *arg)
{
	struct job *j;

	if (pending >= PWCHECK_MAX_PENDING)
		return -1;
	j = xcalloc(1, sizeof *j);
	j->req.data = j;
	j->password = xstrndup(password, len);
	j->len = len;
	if (old != NULL) {
		j->old = xstrndup(old, oldlen);
		j->oldlen = oldlen;
	}
	snprintf(j->username, sizeof j->username, "%s", username);
	j->cb = cb;
	j->arg = arg;
	pending++;
	uv_queue_work(srv.loop, &j->req, work, after);
	return 0;
}
