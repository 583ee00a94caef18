/*
 * user.h — what every layer that keeps a user's identity agrees on: how
 * long a username may be (accounts/auth.c checks it at registration) and
 * how big a login token's hash is (accounts/token.c makes it). The store,
 * the connections, the lobby, the sessions and history each keep copies
 * in fixed buffers of these sizes, so they are defined once, here, below
 * all of them.
 */
#ifndef MOCKINT_USER_H
#define MOCKINT_USER_H

#define USERNAME_MIN	3
#define USERNAME_MAX	32
/* A username and its NUL. */
#define USERNAME_SIZE	(USERNAME_MAX + 1)

/* A login token as the server keeps it: its BLAKE2b-256 hash. */
#define TOKEN_HASH_BYTES 32

#endif
