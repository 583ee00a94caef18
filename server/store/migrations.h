/*
 * migrations.h — the schema migrations compiled into mockintd from
 * schema/NNNN_*.sql (see schema/embed.cmake), in order, numbered from 1.
 */
#ifndef MOCKINT_MIGRATIONS_H
#define MOCKINT_MIGRATIONS_H

struct migration {
	int version;
	const char *name;
	const char *sql;
};

extern const struct migration migrations[];
extern const int migrations_count;

#endif
