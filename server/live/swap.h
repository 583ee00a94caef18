/*
 * swap.h — swapping roles after a session: when both participants ask
 * within the swap window, a new session starts with the roles reversed.
 */
#ifndef MOCKINT_SWAP_H
#define MOCKINT_SWAP_H

#include "request.h"

void swap_cmd_swap(struct conn *c, const struct request *r);

#endif
