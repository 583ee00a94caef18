/*
 * options.h — mockintd's settings: the defaults, the command-line parser and
 * the usage text. One table row per option (options.c), so that --help, the
 * parser and the configuration file cannot drift apart.
 */
#ifndef MOCKINT_OPTIONS_H
#define MOCKINT_OPTIONS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "phase.h"


/* A repeatable option's values (--trusted-proxy, ...). */
struct options_list {
	char **v;
	size_t n;
};

/*
 * What one user, address or session may do, so that nobody can take the
 * service from the rest (SECURITY.md, "Limits"). 0 turns a limit off
 * where its option says so.
 */
struct options_limits {
	int requests_per_s;	/* per connection: the token bucket's rate */
	int requests_burst;	/* ... and its depth */
	int chat_messages;	/* per session */
	long chat_bytes;	/* per session, text bytes */
	int notes;		/* per session */
	long note_bytes;	/* per session, text bytes */
	int sessions_per_hour;	/* started per user */
	int registrations_per_hour;	/* per client address */
	int room_joins_per_min;	/* per connection; 4x per client address */
	int pushes_per_s;	/* caused by one user to others */
	int write_queue;	/* database writes waiting, server-wide */
};

struct options {
	char *host;
	int port;
	char *db;
	char *questions;
	char *check_questions;	/* --check-questions DIR: validate and exit */
	int phase_s[PHASE__TIMED];	/* phase lengths in seconds */
	int log_level;
	unsigned long long pwhash_ops;
	size_t pwhash_mem;
	int token_days;		/* sliding: renewed on use */
	int token_max_days;	/* absolute, from the login */
	int login_failures;	/* per username per window; 4x per address */
	int login_window_s;
	int no_show_s;
	int grace_s;
	int room_linger_s;	/* a room outlives its owner's connection */
	int keepalive_s;	/* drop a peer silent this long; ping at half */
	int sync_full;
	char *config;		/* --config FILE it was read from, or NULL */
	char *tls_cert, *tls_key;	/* both or neither */
	int max_conns;		/* in total; 0: from RLIMIT_NOFILE */
	int max_conns_per_ip;	/* per client address; 0: no limit */
	char *backup;		/* --backup FILE: copy --db there and exit */
	struct options_list trusted_proxies;	/* CIDRs */
	char *metrics_listen;	/* ADDR:PORT for /metrics alone, or NULL */
	char *web_dir;		/* --web DIR: the browser client, or NULL
				 * for the copy compiled in */
	struct options_limits limits;
};

enum options_result { OPTIONS_RUN, OPTIONS_HELP, OPTIONS_VERSION,
	OPTIONS_ERROR };

/* Fill o with the defaults. */
void options_defaults(struct options *o);
/*
 * Parse argv over o; on OPTIONS_ERROR err says why. A --config FILE is
 * read first (options_load_file), then the rest of argv over it, so that
 * the command line wins.
 */
enum options_result options_parse(struct options *o, int argc, char **argv,
    char *err, size_t errlen);
/*
 * Read "key = value" lines (every option with a value, by its long name,
 * except the one-shot actions and config itself; # comments, blank lines)
 * from path over o. On error err is "PATH:LINE: reason".
 */
int options_load_file(struct options *o, const char *path, char *err,
    size_t errlen);
void options_free(struct options *o);
void options_usage(FILE *f);

/* Whether s is an IPv4 or IPv6 address, optionally /bits (a CIDR). */
int options_valid_cidr(const char *s);

/* "prep=S,answer=S,followup=S,scoring=S" (any subset, any order). */
int options_parse_phases(const char *s, int phase_s[PHASE__TIMED], char *err,
    size_t errlen);

#endif
