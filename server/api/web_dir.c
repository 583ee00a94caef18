/*
 * web_dir.c — --web DIR: the browser client's files served from a
 * directory instead of the copy compiled in, for development (web.h).
 *
 * The loop never touches the file system: each request is one job on
 * libuv's thread pool that resolves the path (realpath: the file must
 * still lie under DIR once every symlink is followed), opens it, checks
 * on the open descriptor that it is a regular file of at most
 * WEB_FILE_MAX bytes, and reads it; its completion answers on the loop.
 * The job holds the request's reference (http.h), so a client that went
 * away meanwhile gets its answer into nothing. No gzip here: it is a
 * loopback tool.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http.h"
#include "log.h"
#include "server.h"
#include "web_int.h"
#include "xmalloc.h"

/* The largest file served: the client is far smaller; a bigger one is a
 * mistake, and would be held in memory whole. */
#define WEB_FILE_MAX (4 * 1024 * 1024)
/* Files being read at once; past it the answer is 503. */
#define WEB_JOBS_MAX 16

struct file_job {
	uv_work_t work;
	struct http_req *req;
	char path[WEB_PATH_MAX];	/* the request's, web_type checked */
	char inm[WEB_INM_MAX];		/* If-None-Match, or "" */
	int has_inm;
	/* the result */
	unsigned status;		/* 200, or the error's */
	const char *why;		/* the error's text */
	unsigned char *body;
	size_t len;
	char etag[64];
};

static char *root;		/* realpath of DIR */
static size_t root_len;
static int jobs;

int
web_dir_start(const char *dir)
{
	struct stat st;

	if ((root = realpath(dir, NULL)) == NULL ||
	    stat(root, &st) != 0 || !S_ISDIR(st.st_mode)) {
		log_error(0, "--web %s: %s", dir, root == NULL ?
		    strerror(errno) : "not a directory");
		free(root);
		root = NULL;
		return -1;
	}
	root_len = strlen(root);
	log_info(0, "serving the browser client from %s (--web)", root);
	return 0;
}

void
web_dir_free(void)
{
	free(root);
	root = NULL;
}

static void
fail(struct file_job *j, unsigned status, const char *why)
{
	j->status = status;
	j->why = why;
}

/* Read the open regular file fd of st.st_size bytes into j. */
static void
read_whole(struct file_job *j, int fd, const struct stat *st)
{
	size_t got = 0, len = (size_t)st->st_size;

	j->body = xmalloc(len > 0 ? len : 1);
	while (got < len) {
		ssize_t n = read(fd, j->body + got, len - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			/* Shorter than it said: being rewritten; or an
			 * I/O error. Either way not this time. */
			fail(j, 500, "the file could not be read whole\n");
			return;
		}
		got += (size_t)n;
	}
	j->len = len;
	/* Size and modification time: a save in an editor changes it. */
	snprintf(j->etag, sizeof j->etag, "\"%jx-%jx-%lx\"",
	    (uintmax_t)st->st_size, (uintmax_t)st->st_mtim.tv_sec,
	    (unsigned long)st->st_mtim.tv_nsec);
	j->status = 200;
}

/* On the pool: resolve, check, read. */
static void
work(uv_work_t *w)
{
	struct file_job *j = w->data;
	char full[PATH_MAX], *real = NULL;
	struct stat st;
	int fd = -1;

	fail(j, 404, "not found\n");
	if ((size_t)snprintf(full, sizeof full, "%s%s", root, j->path) >=
	    sizeof full || (real = realpath(full, NULL)) == NULL)
		goto out;
	/*
	 * Under DIR once every link is followed, and still a name the
	 * client may have (a link to a dotfile or a .txt inside DIR is
	 * refused as the path itself would be).
	 */
	if (strncmp(real, root, root_len) != 0 || real[root_len] != '/' ||
	    web_type(real + root_len) == NULL)
		goto out;
	/* O_NONBLOCK: a FIFO would otherwise hold the thread in open(). */
	if ((fd = open(real, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC)) < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode))
		goto out;
	if (st.st_size > WEB_FILE_MAX) {
		fail(j, 500, "the file is larger than --web serves (4 MiB)\n");
		goto out;
	}
	read_whole(j, fd, &st);
out:
	if (fd >= 0)
		close(fd);
	free(real);
}

/* On the loop: answer. */
static void
done(uv_work_t *w, int status)
{
	struct file_job *j = w->data;
	struct web_rep rep = { NULL, j->body, j->len, j->body, j->etag, 0 };

	jobs--;
	if (status != 0)
		fail(j, 503, "not served: the server is stopping\n");
	if (j->status == 200) {
		rep.type = web_type(j->path);
		web_answer(j->req, &rep, j->has_inm ? j->inm : NULL);
	} else {
		if (j->status == 500)
			log_warn(0, "web: %s: %s", j->path, j->why);
		free(j->body);
		http_answer_text(j->req, j->status, j->why);
	}
	free(j);
}

void
web_dir_serve(struct http_req *req, const char *path)
{
	struct file_job *j;

	if (jobs >= WEB_JOBS_MAX) {
		http_answer_text(req, 503, "busy: try again\n");
		return;
	}
	j = xcalloc(1, sizeof *j);
	j->work.data = j;
	j->req = req;
	snprintf(j->path, sizeof j->path, "%s", path);
	j->has_inm = http_req_header(req, HTTP_REQ_IF_NONE_MATCH, j->inm,
	    sizeof j->inm) >= 0;
	jobs++;
	/* uv_queue_work fails only on a NULL callback: it cannot here. */
	uv_queue_work(srv.loop, &j->work, work, done);
}
