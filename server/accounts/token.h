/*
 * token.h — login tokens: 32 random bytes, shown to the client as
 * unpadded base64url (43 characters) and stored only as their BLAKE2b-256
 * hash. The hash is what the database and the connections keep.
 */
#ifndef MOCKINT_TOKEN_H
#define MOCKINT_TOKEN_H

#include <stddef.h>

#include "user.h"

#define TOKEN_BYTES 32
/* TOKEN_HASH_BYTES, the size of the hash, is in user.h. */
#define TOKEN_TEXT_LEN 43	/* base64url of 32 bytes, without padding */

/* A new token: text (TOKEN_TEXT_LEN + 1 bytes) and its hash. */
void token_new(char *text, unsigned char hash[TOKEN_HASH_BYTES]);
/* The hash of a token given as text; -1 if the text is not a token. */
int token_hash_text(const char *text, size_t len,
    unsigned char hash[TOKEN_HASH_BYTES]);

/* Unpadded base64url; out needs b64url_len(n) + 1 bytes. */
size_t b64url_len(size_t n);
void b64url_encode(char *out, const unsigned char *in, size_t n);
/* Decode exactly; -1 on any character outside the alphabet, padding or a
 * length that does not decode to outlen bytes. */
int b64url_decode(unsigned char *out, size_t outlen, const char *in,
    size_t inlen);

#endif
