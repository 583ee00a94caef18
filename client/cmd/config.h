/*
 * config.h — the client's saved login: which server, the token and the
 * username, in $XDG_CONFIG_HOME/mockint/login (default
 * ~/.config/mockint/login). The token is a password in all but name, so
 * the directory is 0700 and the file 0600, and the file is replaced
 * atomically (temporary file + rename) so that a crash never leaves half a
 * token behind.
 */
#ifndef MOCKINT_CONFIG_H
#define MOCKINT_CONFIG_H

#include <stddef.h>

struct config {
	char	*server;	/* ws://... the token belongs to; NULL if none */
	char	*token;		/* NULL when logged out */
	char	*username;	/* NULL when logged out */
};

/*
 * The directory and the file, resolved from the environment: an absolute
 * $XDG_CONFIG_HOME (relative ones are ignored, as the XDG spec says), else
 * $HOME/.config, else the password database's home. Returns -1 with err
 * filled when no home can be found.
 */
int config_dir(char *buf, size_t len, char *err, size_t errlen);
int config_path(char *buf, size_t len, char *err, size_t errlen);

/*
 * Load the saved login into c (zeroed first). A missing file is not an
 * error: c stays empty. -1 with err filled when the file exists but cannot
 * be read or is not private (any group/other permission bits).
 */
int config_load(struct config *c, char *err, size_t errlen);
/* Save c, creating the directory; -1 with err filled on failure. */
int config_save(const struct config *c, char *err, size_t errlen);
void config_free(struct config *c);
/* Forget the token and username (not the server). */
void config_clear_login(struct config *c);

#endif
