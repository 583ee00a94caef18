/*
 * secret.c — password copies wiped before they are freed (see secret.h).
 */
#include "secret.h"

#include <sodium.h>
#include <stdlib.h>

void
secret_free(char *s, size_t len)
{
	if (s == NULL)
		return;
	sodium_memzero(s, len);
	free(s);
}
