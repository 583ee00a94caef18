/*
 * pwcheck.h — is a new password good enough: libpwquality's checks (a
 * dictionary word, a keyboard or number run such as 12345678, the
 * username in some form, too close to the old password) with cracklib's
 * dictionary, on libuv's thread pool. A check looks words up in the
 * dictionary files, milliseconds that the loop thread must not wait for.
 *
 * The settings are mockintd's own, not /etc/security/pwquality.conf: the
 * length rules stay auth.h's (AUTH_PASSWORD_MIN), and the dictionary is
 * cracklib's default (Debian's cracklib-runtime builds it). Without the
 * dictionary the server does not start: every password would be refused.
 */
#ifndef MOCKINT_PWCHECK_H
#define MOCKINT_PWCHECK_H

#include <stddef.h>

/* Checks waiting or running at most; past that a submission fails. */
#define PWCHECK_MAX_PENDING 64
/* The longest reason (libpwquality's PWQ_MAX_ERROR_MESSAGE_LEN). */
#define PWCHECK_WHY_MAX 256

/*
 * Completion, on the loop thread, never inside pwcheck_submit: ok is 1
 * for a good password, 0 for a weak one (why: libpwquality's reason), -1
 * when the check could not run (why says so).
 */
typedef void (*pwcheck_cb)(int ok, const char *why, void *arg);

/* Make the settings and try the dictionary; -1 with why. */
int pwcheck_start(int min_length, char *why, size_t whylen);
void pwcheck_free(void);
/*
 * Check password (len bytes) for username, against old (NULL: none).
 * -1 (nothing queued) when too many checks are pending.
 */
int pwcheck_submit(const char *password, size_t len, const char *username,
    const char *old, size_t oldlen, pwcheck_cb cb, void *arg);

#endif
