/*
 * test-auth.c — the pure parts of accounts: username and password rules,
 * base64url, token hashing, device labels (the login throttle has its
 * own, test-throttle.c, and the policy on it test-guard.c).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <sodium.h>

#include "auth.h"
#include "token.h"

static void
test_usernames(void **state)
{
	char out[USERNAME_SIZE], why[128];
	static const char *const good[][2] = {
		{ "abc", "abc" }, { "Alice", "alice" }, { "a.b-c_9", "a.b-c_9" },
		{ "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", "abcdefghijklmnopqrstuvwxyz012345" },
	};
	static const char *const bad[] = { "", "ab", "a b", "abc!", "über",
		"abcdefghijklmnopqrstuvwxyz0123456", "tab\there", "x'--",
		"semi;colon", "nul\0byte" };

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		assert_int_equal(auth_check_username(good[i][0],
		    strlen(good[i][0]), out, why, sizeof why), 0);
		assert_string_equal(out, good[i][1]);
	}
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		size_t len = i == 9 ? 8 : strlen(bad[i]);

		if (auth_check_username(bad[i], len, out, why, sizeof why) == 0)
			fail_msg("'%s' accepted", bad[i]);
		assert_true(strlen(why) > 0);
	}
}

static void
test_passwords(void **state)
{
	char why[128];

	assert_int_equal(auth_check_password(7, why, sizeof why), -1);
	assert_string_equal(why, "password must be 8 to 1024 bytes");
	assert_int_equal(auth_check_password(8, why, sizeof why), 0);
	assert_int_equal(auth_check_password(1024, why, sizeof why), 0);
	assert_int_equal(auth_check_password(1025, why, sizeof why), -1);
}

static void
test_base64url(void **state)
{
	unsigned char in[32], out[32];
	char text[64];

	assert_int_equal(b64url_len(32), 43);
	for (int i = 0; i < 32; i++)
		in[i] = (unsigned char)(0xff - i * 7);
	b64url_encode(text, in, 32);
	assert_int_equal(strlen(text), 43);
	assert_null(strpbrk(text, "+/="));
	assert_int_equal(b64url_decode(out, 32, text, 43), 0);
	assert_memory_equal(in, out, 32);
	/* Wrong length, bad alphabet, padding. */
	assert_int_equal(b64url_decode(out, 32, text, 42), -1);
	text[5] = '+';
	assert_int_equal(b64url_decode(out, 32, text, 43), -1);
	text[5] = '=';
	assert_int_equal(b64url_decode(out, 32, text, 43), -1);
	/* Known vector: "hello" -> aGVsbG8 */
	b64url_encode(text, (const unsigned char *)"hello", 5);
	assert_string_equal(text, "aGVsbG8");
}

static void
test_tokens(void **state)
{
	char t1[TOKEN_TEXT_LEN + 1], t2[TOKEN_TEXT_LEN + 1];
	unsigned char h1[32], h2[32], again[32], raw[32], direct[32];

	token_new(t1, h1);
	token_new(t2, h2);
	assert_int_equal(strlen(t1), 43);
	assert_string_not_equal(t1, t2);
	assert_memory_not_equal(h1, h2, 32);
	/* The hash of the text is the hash handed out with it... */
	assert_int_equal(token_hash_text(t1, strlen(t1), again), 0);
	assert_memory_equal(h1, again, 32);
	/* ...which is BLAKE2b-256 of the raw bytes, not the bytes. */
	assert_int_equal(b64url_decode(raw, 32, t1, 43), 0);
	crypto_generichash(direct, 32, raw, 32, NULL, 0);
	assert_memory_equal(h1, direct, 32);
	assert_memory_not_equal(h1, raw, 32);
	assert_int_equal(token_hash_text("short", 5, again), -1);
	assert_int_equal(token_hash_text("", 0, again), -1);
}

static void
test_device_labels(void **state)
{
	static const char *const good[] = { "mockint on laptop", "x",
		"T\xc3\xa9l\xc3\xa9phone de Zo\xc3\xa9" };
	static const char *const bad[] = { "", "line\nbreak", "esc\x1b[2J",
		"del\x7f", "c1\xc2\x9b" "csi" };
	char big[AUTH_DEVICE_MAX + 2];

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++)
		assert_int_equal(auth_check_device(good[i], strlen(good[i])), 0);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (auth_check_device(bad[i], strlen(bad[i])) == 0)
			fail_msg("label %zu accepted", i);
	memset(big, 'x', sizeof big);
	assert_int_equal(auth_check_device(big, AUTH_DEVICE_MAX), 0);
	assert_int_equal(auth_check_device(big, AUTH_DEVICE_MAX + 1), -1);
	assert_int_equal(auth_check_device("a\tb", 3), -1);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_usernames),
		cmocka_unit_test(test_passwords),
		cmocka_unit_test(test_base64url),
		cmocka_unit_test(test_tokens),
		cmocka_unit_test(test_device_labels),
	};

	if (sodium_init() < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
