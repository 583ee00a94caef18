/*
 * token.c — token generation, encoding and hashing (see token.h).
 */
#include "token.h"

#include <sodium.h>

size_t
b64url_len(size_t n)
{
	return sodium_base64_ENCODED_LEN(n,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) - 1;
}

void
b64url_encode(char *out, const unsigned char *in, size_t n)
{
	sodium_bin2base64(out, b64url_len(n) + 1, in, n,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING);
}

int
b64url_decode(unsigned char *out, size_t outlen, const char *in, size_t inlen)
{
	size_t got;
	const char *end;

	if (inlen != b64url_len(outlen))
		return -1;
	if (sodium_base642bin(out, outlen, in, inlen, NULL, &got, &end,
	    sodium_base64_VARIANT_URLSAFE_NO_PADDING) != 0 ||
	    got != outlen || end != in + inlen)
		return -1;
	return 0;
}

static void
hash_bytes(unsigned char hash[TOKEN_HASH_BYTES], const unsigned char *raw)
{
	/*
	 * A plain (unkeyed) hash is enough: the token has 256 bits of
	 * entropy, so the stored hash cannot be reversed or guessed, and a
	 * stolen database yields nothing that can be presented as a token.
	 */
	crypto_generichash(hash, TOKEN_HASH_BYTES, raw, TOKEN_BYTES, NULL, 0);
}

void
token_new(char *text, unsigned char hash[TOKEN_HASH_BYTES])
{
	unsigned char raw[TOKEN_BYTES];

	randombytes_buf(raw, sizeof raw);
	b64url_encode(text, raw, sizeof raw);
	hash_bytes(hash, raw);
	sodium_memzero(raw, sizeof raw);
}

int
token_hash_text(const char *text, size_t len,
    unsigned char hash[TOKEN_HASH_BYTES])
{
	unsigned char raw[TOKEN_BYTES];

	if (b64url_decode(raw, sizeof raw, text, len) != 0)
		return -1;
	hash_bytes(hash, raw);
	sodium_memzero(raw, sizeof raw);
	return 0;
}
