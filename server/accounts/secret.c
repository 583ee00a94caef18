/*
 * secret.c — password copies that are wiped (see secret.h).
 */
#include "secret.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

char *
secret_dup(const char *s, size_t len)
{
	char *c = xmalloc(len + 1);

	memcpy(c, s, len);
	c[len] = '\0';
	return c;
}

void
secret_free(char *s, size_t len)
{
	if (s == NULL)
		return;
	sodium_memzero(s, len);
	free(s);
}
