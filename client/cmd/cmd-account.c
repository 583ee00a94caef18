/*
 * cmd-account.c — register, login, logout, whoami and passwd: the
 * commands that create, keep and drop the saved login, and change the
 * password.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cmd.h"
#include "fmt.h"
#include "xmalloc.h"

static int cmd_register_exec(struct cmd_ctx *, int, char **);
static int cmd_login_exec(struct cmd_ctx *, int, char **);
static int cmd_logout_exec(struct cmd_ctx *, int, char **);
static int cmd_whoami_exec(struct cmd_ctx *, int, char **);
static int cmd_passwd_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_register_entry = {
	"register", NULL, "USER",
	"Create an account on the server and log in to it. The password is\n"
	"read from the terminal without echo (twice), or from the\n"
	"environment variable MOCKINT_PASSWORD for scripts.",
	cmd_register_exec
};

const struct cmd_entry cmd_login_entry = {
	"login", NULL, "USER",
	"Log in and keep the login (a token, never the password) in\n"
	"$XDG_CONFIG_HOME/mockint/login, readable by you only. The password\n"
	"is read from the terminal without echo, or from MOCKINT_PASSWORD.",
	cmd_login_exec
};

const struct cmd_entry cmd_logout_entry = {
	"logout", NULL, "[--all]",
	"Revoke the saved login on the server (every terminal using it is\n"
	"logged out) and forget it here. With --all, revoke every login of\n"
	"yours, on every device: for a lost laptop or phone ('mockint\n"
	"devices revoke ID' cuts off one).",
	cmd_logout_exec
};

const struct cmd_entry cmd_passwd_entry = {
	"passwd", NULL, "",
	"Change your password. Asks for the current one and the new one\n"
	"(twice) without echo; scripts set MOCKINT_PASSWORD and\n"
	"MOCKINT_NEW_PASSWORD, or give both on standard input, one a line.\n"
	"Your other logins are logged out; this one stays.",
	cmd_passwd_exec
};

const struct cmd_entry cmd_whoami_entry = {
	"whoami", NULL, "",
	"Show who you are logged in as, on which server, checking the login\n"
	"with the server.",
	cmd_whoami_exec
};

/* Log in on the open connection and save the token. */
static int
do_login(struct cmd_ctx *ctx, const char *user, const char *password)
{
	json_t *r;
	char why[256], until[32], device[CMD_DEVICE_MAX + 1];
	const char *code, *token, *name;

	cmd_device_label(device, sizeof device);
	r = rpc_call_sync(ctx->rpc, "login", json_pack("{s:s,s:s,s:s}",
	    "username", user, "password", password, "device", device),
	    CMD_REPLY_MS, why, sizeof why);
	if (r == NULL) {
		cmd_error("%s: %s", ctx->server, why);
		return CMD_FAIL;
	}
	if (!rpc_is_ok(r)) {
		code = rpc_error_code(r);
		if (code != NULL && strcmp(code, "unauthenticated") == 0)
			cmd_error("wrong username or password");
		else
			cmd_print_error(r, "login");
		json_decref(r);
		return CMD_FAIL;
	}
	config_free(&ctx->cfg);
	ctx->cfg.server = xstrdup(ctx->server);
	token = json_string_value(json_object_get(r, "token"));
	name = json_string_value(json_object_get(r, "username"));
	ctx->cfg.token = xstrdup(token != NULL ? token : "");
	ctx->cfg.username = xstrdup(name != NULL ? name : user);
	if (cmd_save_config(ctx) == -1) {
		json_decref(r);
		return CMD_FAIL;
	}
	printf("Logged in as %s on %s (until %s).\n", ctx->cfg.username,
	    ctx->server, fmt_time(json_integer_value(json_object_get(r,
	    "expires_at")), until, sizeof until));
	json_decref(r);
	return CMD_OK;
}

static int
one_user(const struct cmd_entry *e, int argc, char **argv, char **user)
{
	int n, rc = cmd_getopt(e, argc, argv, NULL, user, 1, &n);

	if (rc != CMD_OK)
		return rc;
	if (n != 1) {
		cmd_error("%s: which user?", e->name);
		cmd_usage(e, 0);
		return CMD_USAGE;
	}
	return CMD_OK;
}

static int
cmd_register_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	char *user = NULL, *pw = NULL, *again = NULL;
	json_t *r = NULL;
	int rc = one_user(&cmd_register_entry, argc, argv, &user);

	if (rc != CMD_OK)
		return rc < 0 ? CMD_OK : rc;
	rc = CMD_FAIL;
	if ((pw = cmd_read_password("Choose a password: ")) == NULL)
		goto out;
	/* A typo in an unechoed password would lock the account away. */
	if (getenv("MOCKINT_PASSWORD") == NULL && isatty(0)) {
		if ((again = cmd_read_password("Type it again: ")) == NULL)
			goto out;
		if (strcmp(pw, again) != 0) {
			cmd_error("the passwords differ; nothing was created");
			goto out;
		}
	}
	if (cmd_connect(ctx, NULL, NULL) == -1)
		goto out;
	if ((r = cmd_request(ctx, "register", json_pack("{s:s,s:s}",
	    "username", user, "password", pw))) == NULL)
		goto out;
	printf("Registered %s on %s.\n", user, ctx->server);
	rc = do_login(ctx, user, pw);
out:
	json_decref(r);
	if (pw != NULL)
		memset(pw, 0, strlen(pw));
	free(pw);
	free(again);
	return rc;
}

static int
cmd_login_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	char *user = NULL, *pw;
	int rc = one_user(&cmd_login_entry, argc, argv, &user);

	if (rc != CMD_OK)
		return rc < 0 ? CMD_OK : rc;
	if ((pw = cmd_read_password("Password: ")) == NULL)
		return CMD_FAIL;
	rc = CMD_FAIL;
	if (cmd_connect(ctx, NULL, NULL) == 0)
		rc = do_login(ctx, user, pw);
	memset(pw, 0, strlen(pw));
	free(pw);
	return rc;
}

static int
cmd_logout_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	json_t *r;
	char *none;
	int all = 0;
	const struct cmd_opt opts[] = {
		{ "all", 'a', NULL, &all },
		{ NULL, 0, NULL, NULL }
	};
	int n, rc = cmd_getopt(&cmd_logout_entry, argc, argv, opts, &none, 0,
	    &n);

	if (rc != CMD_OK)
		return rc < 0 ? CMD_OK : rc;
	if (cmd_token(ctx) == NULL)
		return CMD_FAIL;
	if (cmd_connect_auth(ctx, NULL, NULL) == -1) {
		/* An expired login is logged out already: forgotten above. */
		if (ctx->cfg.token == NULL)
			return CMD_OK;
		/*
		 * The server is away: forget the token here anyway, as asked,
		 * but say that it stays valid there.
		 */
		cmd_error("the login was forgotten here but stays valid on "
		    "the server until it expires");
		config_clear_login(&ctx->cfg);
		cmd_save_config(ctx);
		return CMD_FAIL;
	}
	if ((r = cmd_request(ctx, "logout", all ? json_pack("{s:b}", "all",
	    1) : NULL)) == NULL)
		return CMD_FAIL;
	json_decref(r);
	printf("Logged out %s from %s%s.\n", ctx->cfg.username ?
	    ctx->cfg.username : "", ctx->server, all ? " on every device" :
	    "");
	config_clear_login(&ctx->cfg);
	return cmd_save_config(ctx) == 0 ? CMD_OK : CMD_FAIL;
}

static int
cmd_whoami_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	char *none, until[32];
	int n, rc = cmd_getopt(&cmd_whoami_entry, argc, argv, NULL, &none, 0,
	    &n);
	json_t *s;

	if (rc != CMD_OK)
		return rc < 0 ? CMD_OK : rc;
	if (cmd_connect_auth(ctx, NULL, NULL) == -1)
		return CMD_FAIL;
	printf("%s on %s (login valid until %s)\n", ctx->username ?
	    ctx->username : "?", ctx->server, fmt_time(json_integer_value(
	    json_object_get(ctx->auth, "expires_at")), until, sizeof until));
	s = ctx->session;
	if (json_is_object(s)) {
		const char *role = json_string_value(json_object_get(s,
		    "role"));
		const char *phase = json_string_value(json_object_get(s,
		    "phase"));

		printf("In session %lld as the %s (%s): 'mockint interview' "
		    "takes you back.\n", (long long)json_integer_value(
		    json_object_get(s, "session_id")), role != NULL ? role :
		    "?", phase != NULL ? phase : "?");
	}
	return CMD_OK;
}

/* The new password, typed twice on a terminal. NULL after saying why. */
static char *
new_password(void)
{
	char *pw, *again;

	if ((pw = cmd_read_secret("New password: ", "MOCKINT_NEW_PASSWORD")) ==
	    NULL)
		return NULL;
	/* A typo in an unechoed password would lock the account away. */
	if (getenv("MOCKINT_NEW_PASSWORD") != NULL || !isatty(0))
		return pw;
	if ((again = cmd_read_secret("Type it again: ",
	    "MOCKINT_NEW_PASSWORD")) == NULL || strcmp(pw, again) != 0) {
		if (again != NULL)
			cmd_error("the passwords differ; nothing was changed");
		memset(pw, 0, strlen(pw));
		free(pw);
		pw = NULL;
	}
	if (again != NULL)
		memset(again, 0, strlen(again));
	free(again);
	return pw;
}

static int
cmd_passwd_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	char *none, *old = NULL, *new = NULL;
	json_t *r;
	int n, rc = cmd_getopt(&cmd_passwd_entry, argc, argv, NULL, &none, 0,
	    &n);

	if (rc != CMD_OK)
		return rc < 0 ? CMD_OK : rc;
	if (cmd_token(ctx) == NULL)
		return CMD_FAIL;
	rc = CMD_FAIL;
	if ((old = cmd_read_password("Current password: ")) == NULL ||
	    (new = new_password()) == NULL)
		goto out;
	if (cmd_connect_auth(ctx, NULL, NULL) == -1)
		goto out;
	if ((r = cmd_request(ctx, "password.change", json_pack("{s:s,s:s}",
	    "old", old, "new", new))) == NULL)
		goto out;
	n = (int)json_integer_value(json_object_get(r, "revoked"));
	printf("Changed the password of %s on %s; %d other login%s logged "
	    "out.\n", ctx->username ? ctx->username : "?", ctx->server, n,
	    n == 1 ? " was" : "s were");
	json_decref(r);
	rc = CMD_OK;
out:
	if (old != NULL)
		memset(old, 0, strlen(old));
	if (new != NULL)
		memset(new, 0, strlen(new));
	free(old);
	free(new);
	return rc;
}
