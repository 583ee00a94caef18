/*
 * test-config.c — the client's saved login: where it lives (XDG rules),
 * that it round-trips, that it is private (0600 file, 0700 directory),
 * that it is replaced atomically (no temporary file left), and that a
 * file others can read is refused.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"

static char tmp[256];

static int
setup(void **state)
{
	snprintf(tmp, sizeof tmp, "/tmp/mockint-test-config-XXXXXX");
	assert_non_null(mkdtemp(tmp));
	setenv("HOME", tmp, 1);
	unsetenv("XDG_CONFIG_HOME");
	return 0;
}

static int
teardown(void **state)
{
	char cmd[300];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static void
test_paths_follow_xdg(void **state)
{
	char path[512], want[512], err[256];

	/* No XDG_CONFIG_HOME: ~/.config. */
	assert_int_equal(config_path(path, sizeof path, err, sizeof err), 0);
	snprintf(want, sizeof want, "%s/.config/mockint/login", tmp);
	assert_string_equal(path, want);

	/* An absolute XDG_CONFIG_HOME wins. */
	snprintf(want, sizeof want, "%s/xdg", tmp);
	setenv("XDG_CONFIG_HOME", want, 1);
	assert_int_equal(config_path(path, sizeof path, err, sizeof err), 0);
	snprintf(want, sizeof want, "%s/xdg/mockint/login", tmp);
	assert_string_equal(path, want);

	/* A relative one is invalid by the spec, and ignored. */
	setenv("XDG_CONFIG_HOME", "relative/dir", 1);
	assert_int_equal(config_dir(path, sizeof path, err, sizeof err), 0);
	snprintf(want, sizeof want, "%s/.config/mockint", tmp);
	assert_string_equal(path, want);
	unsetenv("XDG_CONFIG_HOME");
}

static void
test_missing_file_is_empty(void **state)
{
	struct config c;
	char err[256];

	assert_int_equal(config_load(&c, err, sizeof err), 0);
	assert_null(c.server);
	assert_null(c.token);
	assert_null(c.username);
	config_free(&c);
}

static int
count_entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			n++;
	closedir(d);
	return n;
}

static void
test_round_trip_private_atomic(void **state)
{
	struct config c = { 0 }, back;
	char err[256], path[512], dir[512];
	struct stat st;

	snprintf(dir, sizeof dir, "%s/xdg", tmp);
	setenv("XDG_CONFIG_HOME", dir, 1);
	c.server = "ws://example.org:8080";
	c.token = "q1Jb-abcdefghijklmnopqrstuvwxyz_0123456789AB";
	c.username = "alice";
	assert_int_equal(config_save(&c, err, sizeof err), 0);

	assert_int_equal(config_path(path, sizeof path, err, sizeof err), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(config_dir(dir, sizeof dir, err, sizeof err), 0);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);

	assert_int_equal(config_load(&back, err, sizeof err), 0);
	assert_string_equal(back.server, c.server);
	assert_string_equal(back.token, c.token);
	assert_string_equal(back.username, c.username);
	config_free(&back);

	/* Replacing: still one file, no temporary left behind. */
	c.token = "another-token";
	assert_int_equal(config_save(&c, err, sizeof err), 0);
	assert_int_equal(count_entries(dir), 1);
	assert_int_equal(config_load(&back, err, sizeof err), 0);
	assert_string_equal(back.token, "another-token");

	/* Logging out keeps the server. */
	config_clear_login(&back);
	assert_int_equal(config_save(&back, err, sizeof err), 0);
	config_free(&back);
	assert_int_equal(config_load(&back, err, sizeof err), 0);
	assert_string_equal(back.server, "ws://example.org:8080");
	assert_null(back.token);
	assert_null(back.username);
	config_free(&back);
	unsetenv("XDG_CONFIG_HOME");
}

static void
test_refuses_readable_file_and_newlines(void **state)
{
	struct config c = { 0 }, back;
	char err[256], path[512];

	c.server = "ws://h:1";
	c.token = "tok";
	c.username = "bob";
	assert_int_equal(config_save(&c, err, sizeof err), 0);
	assert_int_equal(config_path(path, sizeof path, err, sizeof err), 0);
	assert_int_equal(chmod(path, 0644), 0);
	assert_int_equal(config_load(&back, err, sizeof err), -1);
	assert_non_null(strstr(err, "chmod 600"));
	assert_int_equal(chmod(path, 0600), 0);
	assert_int_equal(config_load(&back, err, sizeof err), 0);
	config_free(&back);

	/* A value with a newline would inject a key: refused. */
	c.username = "bob\ntoken=evil";
	assert_int_equal(config_save(&c, err, sizeof err), -1);
	assert_int_equal(config_load(&back, err, sizeof err), 0);
	assert_string_equal(back.token, "tok");
	config_free(&back);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_paths_follow_xdg, setup,
		    teardown),
		cmocka_unit_test_setup_teardown(test_missing_file_is_empty,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(test_round_trip_private_atomic,
		    setup, teardown),
		cmocka_unit_test_setup_teardown(
		    test_refuses_readable_file_and_newlines, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
