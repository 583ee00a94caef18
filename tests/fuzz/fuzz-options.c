/*
 * fuzz-options.c — mockintd's settings from hostile text: the input split
 * at NUL bytes into argv[1..] for options_parse(), the input up to its
 * first NUL as a --phases value for options_parse_phases(), and the whole
 * input as a configuration file for options_load_file().
 *
 * options_parse() reads the file --config names. The fuzzer must not make
 * it open whatever path it spells (/dev/stdin would hang it), so every
 * --config value is pointed at an in-memory file holding the input: the
 * configuration reader is fuzzed through argv as well as directly.
 *
 * Invariants checked, beyond "no crash, no leak, no UB":
 *   - a failure always says why, within the caller's buffer, and the
 *     buffer's size never changes the verdict;
 *   - settings that parsed are within the ranges the server assumes
 *     (phase lengths 1 to 86400 s, a port, a host, a database name,
 *     TLS certificate and key together or not at all ...);
 *   - a --phases value that fails leaves the phase lengths untouched.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "fuzz.h"
#include "log.h"
#include "options.h"

/* More arguments than the table has options, twice over: plenty. */
#define ARGS_MAX 64
#define CONFIG_OPT "--config"

/* The in-memory configuration file, made once: /proc/self/fd/N. */
static char config_path[64];

static void
check_phases(const int phase_s[PHASE__TIMED])
{
	for (int i = 0; i < PHASE__TIMED; i++)
		FUZZ_CHECK(phase_s[i] >= 1 && phase_s[i] <= 86400);
}

/* What the server assumes of settings that were accepted. */
static void
check_settings(const struct options *o, int whole)
{
	FUZZ_CHECK(o->host != NULL && o->host[0] != '\0' &&
	    strlen(o->host) <= 255);
	FUZZ_CHECK(o->port >= 0 && o->port <= 65535);
	FUZZ_CHECK(o->db != NULL && o->db[0] != '\0');
	FUZZ_CHECK(o->questions == NULL || o->questions[0] != '\0');
	FUZZ_CHECK(o->check_questions == NULL ||
	    o->check_questions[0] != '\0');
	FUZZ_CHECK(o->backup == NULL || o->backup[0] != '\0');
	FUZZ_CHECK(o->tls_cert == NULL || o->tls_cert[0] != '\0');
	FUZZ_CHECK(o->tls_key == NULL || o->tls_key[0] != '\0');
	/* Checked once the command line is complete, not per file. */
	if (whole) {
		FUZZ_CHECK((o->tls_cert == NULL) == (o->tls_key == NULL));
		FUZZ_CHECK(o->config == NULL ||
		    strcmp(o->config, config_path) == 0);
	}
	check_phases(o->phase_s);
	FUZZ_CHECK(o->log_level >= LOG_ERROR && o->log_level <= LOG_DEBUG);
	FUZZ_CHECK(o->pwhash_ops >= 1);
	FUZZ_CHECK(o->pwhash_mem >= 1 && o->pwhash_mem <= (4ULL << 30));
	FUZZ_CHECK(o->token_days >= 1 && o->token_days <= 3650);
	FUZZ_CHECK(o->login_failures >= 1);
	FUZZ_CHECK(o->login_window_s >= 1 && o->login_window_s <= 86400);
	FUZZ_CHECK(o->no_show_s >= 1 && o->no_show_s <= 3600);
	FUZZ_CHECK(o->grace_s >= 1 && o->grace_s <= 86400);
	FUZZ_CHECK(o->max_conns >= 0 && o->max_conns_per_ip >= 0);
	FUZZ_CHECK(o->sync_full == 0 || o->sync_full == 1);
}

/* A failure's text: there, and NUL-terminated within the buffer. */
static void
check_err(const char *err, size_t errlen)
{
	FUZZ_CHECK(memchr(err, '\0', errlen) != NULL);
	FUZZ_CHECK(err[0] != '\0');
}

static enum options_result
parse_args(int argc, char **argv, char *err, size_t errlen)
{
	struct options o;
	enum options_result r;

	options_defaults(&o);
	r = options_parse(&o, argc, argv, err, errlen);
	FUZZ_CHECK(r == OPTIONS_RUN || r == OPTIONS_HELP ||
	    r == OPTIONS_VERSION || r == OPTIONS_ERROR);
	if (r == OPTIONS_RUN)
		check_settings(&o, 1);
	options_free(&o);
	return r;
}

static void
fuzz_argv(char *args, size_t size)
{
	static char prog[] = "mockintd", config_arg[sizeof CONFIG_OPT +
	    sizeof config_path];
	char *argv[ARGS_MAX + 2], err[256], small[8];
	int argc = 0;
	enum options_result r;

	/* args[size] is the NUL that ends the last argument. */
	argv[argc++] = prog;
	for (char *p = args; p <= args + size && argc <= ARGS_MAX;
	    p += strlen(p) + 1)
		argv[argc++] = p;
	argv[argc] = NULL;

	/* Whatever --config would have named, it is our file now. */
	snprintf(config_arg, sizeof config_arg, "%s=%s", CONFIG_OPT,
	    config_path);
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], CONFIG_OPT) == 0 && i + 1 < argc)
			argv[i + 1] = config_path;
		else if (strncmp(argv[i], CONFIG_OPT "=",
		    strlen(CONFIG_OPT) + 1) == 0)
			argv[i] = config_arg;
	}

	err[0] = '\0';
	r = parse_args(argc, argv, err, sizeof err);
	if (r == OPTIONS_ERROR)
		check_err(err, sizeof err);
	small[0] = '\0';
	FUZZ_CHECK(parse_args(argc, argv, small, sizeof small) == r);
	FUZZ_CHECK(memchr(small, '\0', sizeof small) != NULL);
}

static void
fuzz_phases(const char *s)
{
	int phase_s[PHASE__TIMED] = { 60, 600, 300, 180 }, before[PHASE__TIMED];
	char err[256];

	memcpy(before, phase_s, sizeof before);
	err[0] = '\0';
	if (options_parse_phases(s, phase_s, err, sizeof err) == 0) {
		check_phases(phase_s);
		FUZZ_CHECK(s[0] != '\0');
	} else {
		FUZZ_CHECK(memcmp(before, phase_s, sizeof before) == 0);
		check_err(err, sizeof err);
	}
}

static void
fuzz_config(void)
{
	struct options o;
	char err[256];

	options_defaults(&o);
	err[0] = '\0';
	if (options_load_file(&o, config_path, err, sizeof err) == 0)
		check_settings(&o, 0);
	else
		check_err(err, sizeof err);
	options_free(&o);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	char *args = malloc(size + 1);
	int phase = (int)(size % 7) - 1;

	FUZZ_CHECK(args != NULL);
	if (fd == -1) {
		fd = memfd_create("fuzz-options.conf", 0);
		FUZZ_CHECK(fd != -1);
		snprintf(config_path, sizeof config_path, "/proc/self/fd/%d",
		    fd);
	}
	FUZZ_CHECK(ftruncate(fd, 0) == 0);
	FUZZ_CHECK(size == 0 ||
	    pwrite(fd, data, size, 0) == (ssize_t)size);

	memcpy(args, data, size);
	args[size] = '\0';
	fuzz_phases(args);
	fuzz_config();
	fuzz_argv(args, size);

	/* The phase names, and "?" either side of them. */
	FUZZ_CHECK((strcmp(phase_name(phase), "?") == 0) ==
	    (phase < 0 || phase > PHASE_DONE));
	free(args);
	return 0;
}
