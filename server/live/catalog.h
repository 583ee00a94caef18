/*
 * catalog.h — the bank as people browse it before an interview:
 * questions.list, the metadata of the questions in service (never their
 * answers or checklists), so that a client can offer the categories and
 * difficulties there are and check a preference before queuing.
 */
#ifndef MOCKINT_CATALOG_H
#define MOCKINT_CATALOG_H

#include "request.h"

/*
 * The most questions one reply lists, and the most bytes their entries
 * take (PROTO_PAGE_BYTES: a title may be a whole 8 KiB line, and 500 of
 * them would pass what a connection may have queued); the reply says
 * `more` past either.
 */
#define CATALOG_MAX 500

extern const struct proto_field catalog_fields_list[];
void catalog_cmd_list(struct conn *c, const struct request *r);

#endif
