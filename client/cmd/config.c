/*
 * config.c — the saved login file (see config.h). The format is one
 * "key=value" a line (server, token, username); unknown keys are ignored
 * so that later versions can add some without breaking older clients.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xmalloc.h"

#define CONFIG_FILE	"login"
#define CONFIG_MAX	8192

static int
home_dir(char *buf, size_t len, char *err, size_t errlen)
{
	const char *home = getenv("HOME");
	struct passwd *pw;

	if (home == NULL || *home != '/') {
		pw = getpwuid(getuid());
		home = pw != NULL ? pw->pw_dir : NULL;
	}
	if (home == NULL || *home != '/') {
		snprintf(err, errlen, "cannot find your home directory (set "
		    "HOME or XDG_CONFIG_HOME)");
		return -1;
	}
	if ((size_t)snprintf(buf, len, "%s", home) >= len) {
		snprintf(err, errlen, "home directory path too long");
		return -1;
	}
	return 0;
}

int
config_dir(char *buf, size_t len, char *err, size_t errlen)
{
	const char *xdg = getenv("XDG_CONFIG_HOME");
	char home[4096];
	int n;

	/* The XDG spec: a relative XDG_CONFIG_HOME is invalid, ignore it. */
	if (xdg != NULL && *xdg == '/')
		n = snprintf(buf, len, "%s/mockint", xdg);
	else {
		if (home_dir(home, sizeof home, err, errlen) == -1)
			return -1;
		n = snprintf(buf, len, "%s/.config/mockint", home);
	}
	if (n < 0 || (size_t)n >= len) {
		snprintf(err, errlen, "configuration path too long");
		return -1;
	}
	return 0;
}

int
config_path(char *buf, size_t len, char *err, size_t errlen)
{
	char dir[4096];

	if (config_dir(dir, sizeof dir, err, errlen) == -1)
		return -1;
	if ((size_t)snprintf(buf, len, "%s/%s", dir, CONFIG_FILE) >= len) {
		snprintf(err, errlen, "configuration path too long");
		return -1;
	}
	return 0;
}

void
config_free(struct config *c)
{
	free(c->server);
	free(c->token);
	free(c->username);
	memset(c, 0, sizeof *c);
}

void
config_clear_login(struct config *c)
{
	free(c->token);
	free(c->username);
	c->token = c->username = NULL;
}

static void
parse_line(struct config *c, char *line)
{
	char *eq = strchr(line, '=');
	char **slot = NULL;

	if (eq == NULL || line[0] == '#')
		return;
	*eq = '\0';
	if (strcmp(line, "server") == 0)
		slot = &c->server;
	else if (strcmp(line, "token") == 0)
		slot = &c->token;
	else if (strcmp(line, "username") == 0)
		slot = &c->username;
	if (slot == NULL || eq[1] == '\0')
		return;
	free(*slot);
	*slot = xstrdup(eq + 1);
}

int
config_load(struct config *c, char *err, size_t errlen)
{
	char path[4200], buf[CONFIG_MAX + 1], *line, *save = NULL;
	struct stat st;
	ssize_t n;
	size_t off = 0;
	int fd, rc = -1;

	memset(c, 0, sizeof *c);
	if (config_path(path, sizeof path, err, errlen) == -1)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd == -1) {
		if (errno == ENOENT)
			return 0;
		snprintf(err, errlen, "cannot read %s: %s", path,
		    strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s is not a regular file", path);
		goto out;
	}
	/* Like ssh with its keys: a token others can read is not kept. */
	if ((st.st_mode & 077) != 0) {
		snprintf(err, errlen, "%s is readable by others; run 'chmod "
		    "600 %s' or log in again", path, path);
		goto out;
	}
	while (off < CONFIG_MAX &&
	    (n = read(fd, buf + off, CONFIG_MAX - off)) != 0) {
		if (n == -1) {
			if (errno == EINTR)
				continue;
			snprintf(err, errlen, "cannot read %s: %s", path,
			    strerror(errno));
			goto out;
		}
		off += (size_t)n;
	}
	buf[off] = '\0';
	for (line = strtok_r(buf, "\r\n", &save); line != NULL;
	    line = strtok_r(NULL, "\r\n", &save))
		parse_line(c, line);
	/* A token without its server is useless: it cannot be sent. */
	if (c->server == NULL)
		config_clear_login(c);
	rc = 0;
out:
	close(fd);
	if (rc == -1)
		config_free(c);
	return rc;
}

static int
mkdir_private(const char *path, char *err, size_t errlen)
{
	if (mkdir(path, 0700) == 0 || errno == EEXIST)
		return 0;
	snprintf(err, errlen, "cannot create %s: %s", path, strerror(errno));
	return -1;
}

static int
bad_value(const char *v)
{
	return v != NULL && strpbrk(v, "\r\n") != NULL;
}

int
config_save(const struct config *c, char *err, size_t errlen)
{
	char dir[4096], path[4200], tmp[4300], *text = NULL;
	size_t len, off = 0;
	int fd = -1, rc = -1;
	char *parent, *slash;

	if (bad_value(c->server) || bad_value(c->token) ||
	    bad_value(c->username)) {
		snprintf(err, errlen, "refusing to save a value with a newline");
		return -1;
	}
	if (config_dir(dir, sizeof dir, err, errlen) == -1)
		return -1;
	/* ~/.config may not exist yet on a fresh account. */
	parent = xstrdup(dir);
	if ((slash = strrchr(parent, '/')) != NULL && slash != parent) {
		*slash = '\0';
		if (mkdir(parent, 0700) == -1 && errno != EEXIST) {
			snprintf(err, errlen, "cannot create %s: %s", parent,
			    strerror(errno));
			free(parent);
			return -1;
		}
	}
	free(parent);
	if (mkdir_private(dir, err, errlen) == -1)
		return -1;
	snprintf(path, sizeof path, "%s/%s", dir, CONFIG_FILE);
	snprintf(tmp, sizeof tmp, "%s/.%s.XXXXXX", dir, CONFIG_FILE);

	text = xasprintf("# mockint login: keep this file private\n"
	    "server=%s\ntoken=%s\nusername=%s\n",
	    c->server ? c->server : "", c->token ? c->token : "",
	    c->username ? c->username : "");
	len = strlen(text);
	/* mkstemp creates the file 0600 already; fchmod says so explicitly. */
	if ((fd = mkstemp(tmp)) == -1) {
		snprintf(err, errlen, "cannot create a file in %s: %s", dir,
		    strerror(errno));
		goto out;
	}
	if (fchmod(fd, 0600) == -1) {
		snprintf(err, errlen, "cannot chmod %s: %s", tmp,
		    strerror(errno));
		goto out;
	}
	while (off < len) {
		ssize_t n = write(fd, text + off, len - off);

		if (n == -1 && errno == EINTR)
			continue;
		if (n <= 0) {
			snprintf(err, errlen, "cannot write %s: %s", tmp,
			    strerror(errno));
			goto out;
		}
		off += (size_t)n;
	}
	if (fsync(fd) == -1) {
		snprintf(err, errlen, "cannot write %s: %s", tmp,
		    strerror(errno));
		goto out;
	}
	if (close(fd) == -1) {
		fd = -1;
		snprintf(err, errlen, "cannot write %s: %s", tmp,
		    strerror(errno));
		goto out;
	}
	fd = -1;
	if (rename(tmp, path) == -1) {
		snprintf(err, errlen, "cannot replace %s: %s", path,
		    strerror(errno));
		goto out;
	}
	rc = 0;
out:
	if (fd != -1)
		close(fd);
	if (rc == -1)
		unlink(tmp);
	free(text);
	return rc;
}
