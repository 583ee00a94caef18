/*
 * cmd-devices.c — devices and devices revoke: the logins (tokens) of
 * one's account, where and when each was made and last used, and cutting
 * one off (a lost laptop, a phone that changed hands).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"
#include "fmt.h"

static int cmd_devices_exec(struct cmd_ctx *, int, char **);
static int cmd_devices_revoke_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_devices_entry = {
	"devices", NULL, "",
	"List your logins: each device (the name its client gave), the\n"
	"address it logged in from, when, and when it was last used. The\n"
	"one marked * is this terminal's.",
	cmd_devices_exec
};

const struct cmd_entry cmd_devices_revoke_entry = {
	"devices", "revoke", "ID",
	"Log out the login ID of 'mockint devices': its token is revoked and\n"
	"every terminal using it is logged out at once.",
	cmd_devices_revoke_exec
};

/* A string field for a terminal: "-" when absent, control characters
 * (from a server that should have refused them) shown as '?'. */
static const char *
field(const json_t *o, const char *k, char *buf, size_t len)
{
	const char *s = json_string_value(json_object_get(o, k));

	if (s == NULL)
		return "-";
	snprintf(buf, len, "%s", s);
	for (char *p = buf; *p != '\0'; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = '?';
	return buf;
}

/* The account's logins (tokens.list), or NULL after saying why. */
static json_t *
list_tokens(struct cmd_ctx *ctx)
{
	json_t *r;

	if (cmd_connect_auth(ctx, NULL, NULL) == -1)
		return NULL;
	r = cmd_request(ctx, "tokens.list", NULL);
	if (r != NULL && !json_is_array(json_object_get(r, "tokens"))) {
		cmd_error("tokens.list: unexpected reply from the server");
		json_decref(r);
		r = NULL;
	}
	return r;
}

static int
cmd_devices_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	char *none, label[CMD_DEVICE_MAX * 4 + 1], addr[64], made[32],
	    used[32], pad[CMD_DEVICE_MAX * 4 + 1];
	int n, rc = cmd_getopt(&cmd_devices_entry, argc, argv, NULL, &none, 0,
	    &n);
	json_t *r, *t;
	size_t i;

	if (rc != CMD_OK)
		return rc < 0 ? CMD_OK : rc;
	if ((r = list_tokens(ctx)) == NULL)
		return CMD_FAIL;
	printf("   %5s  %s  %-15s  %-16s  %s\n", "ID", fmt_pad("DEVICE", 28,
	    pad, sizeof pad), "ADDRESS", "LOGGED IN", "LAST USED");
	json_array_foreach(json_object_get(r, "tokens"), i, t) {
		printf(" %s %5lld  %s  %-15s  %-16s  %s\n",
		    json_is_true(json_object_get(t, "current")) ? "*" : " ",
		    (long long)json_integer_value(json_object_get(t, "id")),
		    fmt_pad(field(t, "label", label, sizeof label), 28, pad,
		    sizeof pad), field(t, "address", addr, sizeof addr),
		    fmt_time(json_integer_value(json_object_get(t,
		    "created_at")), made, sizeof made),
		    fmt_time(json_integer_value(json_object_get(t,
		    "last_used_at")), used, sizeof used));
	}
	printf("\n* this terminal. 'mockint devices revoke ID' logs one out; "
	    "'mockint logout --all' all of them.\n");
	json_decref(r);
	return CMD_OK;
}

/* Whether the login id is this terminal's (1), another (0), or not in
 * the list (-1). */
static int
is_current(json_t *list, long long id)
{
	json_t *t;
	size_t i;

	json_array_foreach(json_object_get(list, "tokens"), i, t)
		if (json_integer_value(json_object_get(t, "id")) == id)
			return json_is_true(json_object_get(t, "current"));
	return -1;
}

static int
cmd_devices_revoke_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	char *pos[1];
	int n, current, rc = cmd_getopt(&cmd_devices_revoke_entry, argc, argv,
	    NULL, pos, 1, &n);
	long long id;
	json_t *list, *r;

	if (rc != CMD_OK)
		return rc < 0 ? CMD_OK : rc;
	if (n != 1) {
		cmd_error("devices revoke: which login? (an ID of 'mockint "
		    "devices')");
		cmd_usage(&cmd_devices_revoke_entry, 0);
		return CMD_USAGE;
	}
	if ((id = cmd_parse_id("ID", pos[0])) < 0)
		return CMD_USAGE;
	if ((list = list_tokens(ctx)) == NULL)
		return CMD_FAIL;
	current = is_current(list, id);
	json_decref(list);
	if ((r = cmd_request(ctx, "tokens.revoke", json_pack("{s:I}",
	    "token_id", (json_int_t)id))) == NULL)
		return CMD_FAIL;
	json_decref(r);
	if (current != 1) {
		printf("Logged out login %lld.\n", id);
		return CMD_OK;
	}
	/* This terminal's own: the saved token is dead now. */
	printf("Logged out login %lld, this terminal's: log in again to go "
	    "on.\n", id);
	config_clear_login(&ctx->cfg);
	return cmd_save_config(ctx) == 0 ? CMD_OK : CMD_FAIL;
}
