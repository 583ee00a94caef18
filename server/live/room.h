/*
 * room.h — direct pairing with a friend: one user opens a room and shares
 * its short code; the friend joins with it and the pair is made at once.
 */
#ifndef MOCKINT_ROOM_H
#define MOCKINT_ROOM_H

#include <stdint.h>

#include "dispatch.h"

#define ROOM_CODE_LEN 6
#define ROOM_TTL_MS (10 * 60 * 1000)

extern const struct proto_field room_fields_create[];
extern const struct proto_field room_fields_join[];

void room_cmd_create(struct conn *c, const struct request *r);
void room_cmd_join(struct conn *c, const struct request *r);

/* Whether the user holds an open, unexpired room. */
int room_has(int64_t user);
/* Make a code from 5 random bytes' worth of the alphabet (exposed for
 * tests): out gets ROOM_CODE_LEN + 1 bytes. */
void room_make_code(char *out);
void room_shutdown(void);

#endif
