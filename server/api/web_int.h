/*
 * web_int.h — what web.c (the assets compiled in) and web_dir.c (--web
 * DIR) share: the rules for a path, and the answer with the policy
 * headers (web.h).
 */
#ifndef MOCKINT_WEB_INT_H
#define MOCKINT_WEB_INT_H

#include <stddef.h>

struct http_req;

/* The longest path served, and the longest If-None-Match read. */
#define WEB_PATH_MAX 256
#define WEB_INM_MAX 512

/*
 * The Content-Type of a path the web client may have: one of .html, .css,
 * .js, .svg, under segments of letters, digits, '.', '_' and '-' that do
 * not start with a '.' (no dotfiles, no "..", no empty segment). NULL for
 * any other path.
 */
const char *web_type(const char *path);

/* One representation of an asset. */
struct web_rep {
	const char *type;
	const void *body;	/* as http_answer takes it */
	size_t len;
	void *owned;
	const char *etag;	/* quoted */
	int gzip;		/* body is gzipped */
};

/* Answer req with rep and the policy headers: 304 without a body when
 * if_none_match (NULL: absent) matches its ETag. */
void web_answer(struct http_req *req, const struct web_rep *rep,
    const char *if_none_match);

/* --web DIR (web_dir.c): resolve dir at start-up (0, or -1 logged);
 * serve path from it (web_type said yes); free after the loop stopped. */
int web_dir_start(const char *dir);
void web_dir_serve(struct http_req *req, const char *path);
void web_dir_free(void);

#endif
