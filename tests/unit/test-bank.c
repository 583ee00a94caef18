/*
 * test-bank.c — the question bank: loading a directory (order, bad files,
 * duplicate ids, a 10 MiB file), --check-questions output and exit value,
 * question choice (preferences, unseen first, the fallback order,
 * determinism), the two JSON views, and the upsert into SQLite.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "bank.h"
#include "store_questions.h"
#include "store.h"

static char *
fixture_dir(const char *name)
{
	const char	*src = getenv("MOCKINT_SOURCE_DIR");
	char		*p;

	if (asprintf(&p, "%s/tests/fixtures/questions/%s",
	    src != NULL ? src : ".", name) == -1)
		fail();
	return p;
}

static void
write_file(const char *dir, const char *name, const char *data, size_t len)
{
	char	 path[512];
	FILE	*f;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	assert_non_null(f = fopen(path, "wb"));
	assert_int_equal(fwrite(data, 1, len, f), len);
	fclose(f);
}

static void
remove_dir(const char *dir)
{
	char	cmd[600];

	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* A question file's text with the given identity fields. */
static struct question *
mkq(const char *title, const char *category, const char *difficulty,
    const char *company, const char *round)
{
	struct questions_problems pr;
	struct question	*q;
	char		 buf[1024];

	snprintf(buf, sizeof buf, "%s\n%s%s%sCategory: %s\nDifficulty: %s\n"
	    "%s%s%sThe prompt of %s.\nQuick Answer: Short.\nSolution\nLong.\n",
	    title, company ? "Company: " : "", company ? company : "",
	    company ? "\n" : "", category, difficulty, round ?
	    "Interview Round: " : "", round ? round : "", round ? "\n" : "",
	    title);
	questions_problems_init(&pr);
	q = questions_parse(buf, strlen(buf), title, &pr);
	assert_non_null(q);
	assert_int_equal(pr.n, 0);
	questions_problems_free(&pr);
	return q;
}

static char *
capture_check(const char *dir, int *rc)
{
	char	*out = NULL;
	size_t	 len = 0;
	FILE	*f = open_memstream(&out, &len);

	assert_non_null(f);
	*rc = bank_check_dir(dir, f);
	fclose(f);
	return out;
}

static void
test_load_good(void **state)
{
	struct questions_problems pr;
	struct bank	*b;
	char		*dir = fixture_dir("good");

	questions_problems_init(&pr);
	b = bank_load(dir, &pr);
	assert_non_null(b);
	assert_int_equal(pr.n, 0);
	assert_int_equal(bank_count(b), 4);
	/* File-name order. */
	assert_string_equal(bank_at(b, 0)->id, "recover-a-slipping-project");
	assert_string_equal(bank_at(b, 1)->id, "reverse-the-words-of-a-sentence");
	assert_string_equal(bank_at(b, 2)->id, "design-a-paste-service");
	assert_string_equal(bank_at(b, 3)->id, "explain-caching");
	assert_null(bank_at(b, 4));
	assert_ptr_equal(bank_find(b, "explain-caching"), bank_at(b, 3));
	assert_null(bank_find(b, "nope"));
	assert_non_null(strstr(bank_at(b, 0)->file, "/good/01_behavioral.txt"));
	bank_free(b);
	questions_problems_free(&pr);
	free(dir);
}

static void
test_check_good(void **state)
{
	char	*dir = fixture_dir("good"), *out, expect[600];
	int	 rc;

	out = capture_check(dir, &rc);
	assert_int_equal(rc, 0);
	snprintf(expect, sizeof expect, "%s: 4 question files, 4 loaded, "
	    "0 rejected; 0 errors, 0 warnings\n"
	    "by category:\n"
	    "  behavioral%20s\n"
	    "  coding%24s\n"
	    "  system_design%17s\n"
	    "  technical_communication%7s\n"
	    "by difficulty:\n"
	    "  easy%26s\n"
	    "  medium%24s\n"
	    "  hard%26s\n", dir, "1", "1", "1", "1", "1", "2", "1");
	assert_string_equal(out, expect);
	free(out);
	free(dir);
}

static void
test_check_bad(void **state)
{
	static const char *const expect[] = {
		"/bad/dup-b.txt:1: duplicate id 'same-title-twice' (already "
		    "used by ",
		"/bad/empty.txt:1: empty file\n",
		"/bad/headers-only.txt:4: missing prompt: no question text "
		    "between the headers and 'Quick Answer:'\n",
		"/bad/headers-only.txt:4: missing 'Quick Answer:' line\n",
		"/bad/headers-only.txt:4: reached the end of the file without "
		    "a 'Solution' line\n",
		"/bad/missing-title.txt:1: missing title: line 1 is a "
		    "'Company:' header\n",
		"/bad/unknown-category.txt:2: warning: unknown category 'Brain "
		    "Teasers' and no approach or quick checklist: the general "
		    "default checklist applies\n",
		"/bad/unknown-difficulty.txt:3: unknown difficulty 'extreme' "
		    "(expected easy, medium or hard)\n",
		"/bad: 7 question files, 2 loaded, 5 rejected; 7 errors, "
		    "1 warning\n",
		"by category:\n  brain_teasers                1\n"
		    "  coding                       1\nby difficulty:\n"
		    "  easy                         1\n"
		    "  medium                       1\n"
		    "  hard                         0\n",
	};
	char	*dir = fixture_dir("bad"), *out;
	const char *at;
	int	 rc;

	out = capture_check(dir, &rc);
	assert_int_equal(rc, 1);
	/* In this order: files by name, then the summary. */
	at = out;
	for (size_t i = 0; i < sizeof expect / sizeof expect[0]; i++) {
		const char *hit = strstr(at, expect[i]);

		if (hit == NULL)
			fail_msg("missing or out of order: %s\nin:\n%s",
			    expect[i], out);
		at = hit + strlen(expect[i]);
	}
	free(out);
	free(dir);

	/* A warning alone fails the check but the question still loads. */
	{
		struct questions_problems pr;
		struct bank *b;

		dir = fixture_dir("bad");
		questions_problems_init(&pr);
		b = bank_load(dir, &pr);
		assert_non_null(bank_find(b, "estimate-the-number-of-piano-tuners"));
		assert_int_equal(bank_find(b, "same-title-twice")->difficulty,
		    QUESTIONS_EASY);	/* dup-a wins, dup-b skipped */
		assert_int_equal(pr.errors, 7);
		assert_int_equal(pr.warnings, 1);
		bank_free(b);
		questions_problems_free(&pr);
		free(dir);
	}
}

static void
test_check_dirs(void **state)
{
	static const char ok[] = "Fine\nCategory: Coding\nDifficulty: hard\n"
	    "P.\nQuick Answer: A.\nSolution\nB.";
	char	 dir[] = "/tmp/mockint-bank-XXXXXX", *out, *big;
	size_t	 bigsz = 10 * 1024 * 1024;
	int	 rc;
	struct questions_problems pr;
	struct bank *b;

	out = capture_check("/nonexistent/questions", &rc);
	assert_int_equal(rc, 1);
	assert_string_equal(out, "/nonexistent/questions: cannot read "
	    "directory: No such file or directory\n");
	free(out);

	assert_non_null(mkdtemp(dir));
	write_file(dir, "notes.md", "hello", 5);
	write_file(dir, ".hidden.txt", "", 0);
	out = capture_check(dir, &rc);
	assert_int_equal(rc, 1);
	assert_non_null(strstr(out, ": no question files (*.txt)\n"));
	free(out);

	/* A 10 MiB file is refused without being read; the rest loads. */
	assert_non_null(big = malloc(bigsz));
	memset(big, 'a', bigsz);
	write_file(dir, "big.txt", big, bigsz);
	free(big);
	write_file(dir, "ok.txt", ok, strlen(ok));
	/* Binary garbage with a fixed seed. */
	{
		char g[4096];
		uint64_t s = 42;

		for (size_t i = 0; i < sizeof g; i++) {
			s = s * 6364136223846793005ULL + 1442695040888963407ULL;
			g[i] = (char)(s >> 56);
		}
		write_file(dir, "garbage.txt", g, sizeof g);
	}
	questions_problems_init(&pr);
	b = bank_load(dir, &pr);
	assert_non_null(b);
	assert_int_equal(bank_count(b), 1);
	assert_string_equal(bank_at(b, 0)->id, "fine");
	assert_string_equal(bank_at(b, 0)->model_answer, "B.");
	assert_true(pr.n >= 2);
	assert_non_null(strstr(pr.v[0].file, "/big.txt"));
	assert_int_equal(pr.v[0].line, 1);
	assert_string_equal(pr.v[0].reason, "file too large (10485760 bytes; "
	    "the limit is 262144)");
	for (size_t i = 1; i < pr.n; i++) {
		assert_non_null(strstr(pr.v[i].file, "/garbage.txt"));
		assert_int_equal(pr.v[i].severity, QUESTIONS_ERROR);
	}
	bank_free(b);
	questions_problems_free(&pr);
	remove_dir(dir);
}

static void
test_duplicates(void **state)
{
	struct questions_problems pr;
	struct bank	*b = bank_new();

	questions_problems_init(&pr);
	assert_int_equal(bank_add(b, mkq("Two Sum", "Coding", "easy", NULL,
	    NULL), &pr), 0);
	assert_int_equal(bank_add(b, mkq("Two sum!", "Coding", "hard", NULL,
	    NULL), &pr), -1);
	assert_int_equal(bank_count(b), 1);
	assert_int_equal(pr.n, 1);
	assert_string_equal(pr.v[0].file, "Two sum!");
	assert_string_equal(pr.v[0].reason, "duplicate id 'two-sum' (already "
	    "used by Two Sum:1); skipped; give one of them an 'Id:' header");
	assert_int_equal(bank_find(b, "two-sum")->difficulty, QUESTIONS_EASY);
	bank_free(b);
	questions_problems_free(&pr);
}

/*
 * The choice bank: A matches every preference of WANT, B all but the
 * round, C only category and difficulty, D only the category.
 */
static struct bank *
choice_bank(void)
{
	struct bank *b = bank_new();

	assert_int_equal(bank_add(b, mkq("A", "Coding", "hard", "Google",
	    "Onsite"), NULL), 0);
	assert_int_equal(bank_add(b, mkq("B", "Coding", "hard", "Google",
	    "Phone Screen"), NULL), 0);
	assert_int_equal(bank_add(b, mkq("C", "Coding", "hard", "Meta",
	    "Onsite"), NULL), 0);
	assert_int_equal(bank_add(b, mkq("D", "Algorithms", "easy", "Meta",
	    "Onsite"), NULL), 0);
	assert_int_equal(bank_add(b, mkq("E", "Behavioral", "hard", "Google",
	    "Onsite"), NULL), 0);
	assert_int_equal(bank_add(b, mkq("F", "System Design", "medium",
	    "Amazon", "Onsite"), NULL), 0);
	return b;
}

static const struct bank_prefs want = {
	"coding", "hard", "google", "onsite"
};

static void
test_choose_prefs(void **state)
{
	struct bank	*b = choice_bank();
	struct bank_prefs p = { "Data Structures & Algorithms", "HARD",
	    "GOOGLE", "on-site" };
	const struct question *q;
	unsigned	 relaxed;

	for (uint64_t seed = 0; seed < 50; seed++) {
		q = bank_choose(b, &want, NULL, 0, seed, &relaxed);
		assert_string_equal(q->id, "a");
		assert_int_equal(relaxed, 0);
		/* Other spellings of the same preferences. */
		q = bank_choose(b, &p, NULL, 0, seed, &relaxed);
		assert_string_equal(q->id, "a");
		assert_int_equal(relaxed, 0);
	}
	/* Only some preferences: every match, and only matches. */
	{
		struct bank_prefs some = { NULL, "hard", NULL, "" };
		int hits[6] = { 0 };

		for (uint64_t seed = 0; seed < 400; seed++) {
			q = bank_choose(b, &some, NULL, 0, seed, &relaxed);
			assert_int_equal(relaxed, 0);
			assert_int_equal(q->difficulty, QUESTIONS_HARD);
			hits[q->id[0] - 'a']++;
		}
		assert_true(hits[0] > 0 && hits[1] > 0 && hits[2] > 0 &&
		    hits[4] > 0);
		assert_int_equal(hits[3] + hits[5], 0);
	}
	/* No preferences at all. */
	q = bank_choose(b, NULL, NULL, 0, 7, &relaxed);
	assert_non_null(q);
	assert_int_equal(relaxed, 0);
	bank_free(b);
}

static void
test_choose_fallback(void **state)
{
	static const struct {
		size_t		 n_seen;
		const char	*id;
		unsigned	 relaxed;
	} steps[] = {
		{ 0, "a", 0 },
		{ 1, "b", BANK_RELAXED_ROUND },
		{ 2, "c", BANK_RELAXED_ROUND | BANK_RELAXED_COMPANY },
		{ 3, "d", BANK_RELAXED_ROUND | BANK_RELAXED_COMPANY |
		    BANK_RELAXED_DIFFICULTY },
		/* Every coding question seen: back to the best seen one. */
		{ 4, "a", BANK_RELAXED_SEEN },
	};
	static const char *const seen[] = { "a", "b", "c", "d", "e", "f" };
	struct bank	*b = choice_bank();
	const struct question *q;
	unsigned	 relaxed;

	for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++) {
		for (uint64_t seed = 0; seed < 20; seed++) {
			q = bank_choose(b, &want, seen, steps[i].n_seen, seed,
			    &relaxed);
			assert_string_equal(q->id, steps[i].id);
			assert_int_equal(relaxed, steps[i].relaxed);
		}
	}
	/* Only preferences that were given are reported as given up. */
	{
		struct bank_prefs p = { "coding", "hard", "google", NULL };

		q = bank_choose(b, &p, seen, 1, 1, &relaxed);
		assert_string_equal(q->id, "b");
		assert_int_equal(relaxed, 0);
	}
	/* A category nobody has: anything unseen, then anything. */
	{
		struct bank_prefs p = { "Technical Communication", NULL, NULL,
		    NULL };

		for (uint64_t seed = 0; seed < 20; seed++) {
			q = bank_choose(b, &p, seen, 5, seed, &relaxed);
			assert_string_equal(q->id, "f");
			assert_int_equal(relaxed, BANK_RELAXED_CATEGORY);
			q = bank_choose(b, &p, seen, 6, seed, &relaxed);
			assert_non_null(q);
			assert_int_equal(relaxed, BANK_RELAXED_CATEGORY |
			    BANK_RELAXED_SEEN);
		}
	}
	/* An unknown difficulty matches nothing and is given up. */
	{
		struct bank_prefs p = { "system design", "extreme", NULL,
		    NULL };

		q = bank_choose(b, &p, NULL, 0, 3, &relaxed);
		assert_string_equal(q->id, "f");
		assert_int_equal(relaxed, BANK_RELAXED_DIFFICULTY);
	}
	bank_free(b);

	b = bank_new();
	assert_null(bank_choose(b, &want, NULL, 0, 1, &relaxed));
	bank_free(b);
}

static void
test_choose_deterministic(void **state)
{
	struct bank	*b = choice_bank();
	const struct question *first[64];
	int		 differ = 0;

	for (uint64_t seed = 0; seed < 64; seed++)
		first[seed] = bank_choose(b, NULL, NULL, 0, seed, NULL);
	for (uint64_t seed = 0; seed < 64; seed++) {
		assert_ptr_equal(bank_choose(b, NULL, NULL, 0, seed, NULL),
		    first[seed]);
		differ += first[seed] != first[0];
	}
	/* Different seeds do spread over the bank. */
	assert_true(differ > 10);
	/* The same ids in a new bank give the same choice. */
	{
		struct bank *b2 = choice_bank();

		for (uint64_t seed = 0; seed < 64; seed++)
			assert_string_equal(bank_choose(b2, NULL, NULL, 0,
			    seed, NULL)->id, first[seed]->id);
		bank_free(b2);
	}
	bank_free(b);
}

static void
test_views(void **state)
{
	static const char *const cand_keys[] = {
		"id", "title", "prompt", "category", "category_key",
		"difficulty", "company", "role", "round",
	};
	static const char *const int_keys[] = {
		"quick_answer", "model_answer", "approach", "checklist",
		"default_checklist", "red_flags", "pitfalls",
	};
	struct questions_problems pr;
	struct bank	*b;
	char		*dir = fixture_dir("good");
	json_t		*c, *iv, *item;

	questions_problems_init(&pr);
	b = bank_load(dir, &pr);
	c = bank_view_candidate(bank_find(b, "reverse-the-words-of-a-sentence"));
	iv = bank_view_interviewer(bank_find(b, "recover-a-slipping-project"));
	assert_int_equal(json_object_size(c), 9);
	for (size_t i = 0; i < 9; i++)
		assert_non_null(json_object_get(c, cand_keys[i]));
	for (size_t i = 0; i < 7; i++)
		assert_null(json_object_get(c, int_keys[i]));
	assert_string_equal(json_string_value(json_object_get(c, "difficulty")),
	    "easy");
	assert_true(json_is_null(json_object_get(c, "round")));
	assert_string_equal(json_string_value(json_object_get(c, "company")),
	    "Globex");

	assert_int_equal(json_object_size(iv), 16);
	for (size_t i = 0; i < 7; i++)
		assert_non_null(json_object_get(iv, int_keys[i]));
	assert_string_equal(json_string_value(json_object_get(iv, "round")),
	    "Onsite");
	assert_int_equal(json_array_size(json_object_get(iv, "checklist")), 5);
	item = json_array_get(json_object_get(iv, "checklist"), 3);
	assert_string_equal(json_string_value(json_object_get(item, "key")),
	    "noticed_slip_early");
	assert_string_equal(json_string_value(json_object_get(item, "label")),
	    "Do you say how you noticed the slip early?");
	item = json_array_get(json_object_get(iv, "approach"), 0);
	assert_string_equal(json_string_value(json_object_get(item, "text")),
	    "The project, the date, and what was at risk.");
	item = json_array_get(json_object_get(iv, "red_flags"), 1);
	assert_string_equal(json_string_value(json_object_get(item, "key")),
	    "no_numbers_result");
	assert_string_equal(json_string_value(json_array_get(json_object_get(
	    iv, "pitfalls"), 0)), "Blaming another team.");
	assert_true(json_is_false(json_object_get(iv, "default_checklist")));
	json_decref(c);
	json_decref(iv);
	bank_free(b);
	questions_problems_free(&pr);
	free(dir);
}

/* The bundled bank (server/bank, issue 4) must pass --check-questions. */
static void
test_bundled_bank(void **state)
{
	static const char *const cats[] = {
		"behavioral", "coding", "system_design",
		"technical_communication",
	};
	const char	*src = getenv("MOCKINT_SOURCE_DIR");
	char		 dir[4096], *out;
	struct questions_problems pr;
	struct bank	*b;
	size_t		 per_diff[QUESTIONS_DIFFICULTY__COUNT] = { 0 };
	int		 rc;

	snprintf(dir, sizeof dir, "%s/server/bank", src != NULL ? src : ".");
	if (access(dir, F_OK) != 0) {
		printf("SKIPPED: %s not present\n", dir);
		skip();
	}
	out = capture_check(dir, &rc);
	if (rc != 0)
		fail_msg("--check-questions %s:\n%s", dir, out);
	free(out);
	questions_problems_init(&pr);
	b = bank_load(dir, &pr);
	assert_true(bank_count(b) >= 20);
	for (size_t c = 0; c < sizeof cats / sizeof cats[0]; c++) {
		size_t n = 0;

		for (size_t i = 0; i < bank_count(b); i++)
			n += strcmp(bank_at(b, i)->category_key, cats[c]) == 0;
		if (n == 0)
			fail_msg("no %s question in %s", cats[c], dir);
	}
	for (size_t i = 0; i < bank_count(b); i++) {
		const struct question *q = bank_at(b, i);

		per_diff[q->difficulty]++;
		/* Each brings its own checklist and red flags. */
		assert_false(q->default_checklist);
		assert_true(q->n_pitfalls > 0);
		assert_true(q->quick_answer[0] != '\0');
	}
	for (int d = 0; d < QUESTIONS_DIFFICULTY__COUNT; d++)
		assert_true(per_diff[d] > 0);
	bank_free(b);
	questions_problems_free(&pr);
}

static int
count_active(struct store *st, int active)
{
	sqlite3_stmt	*s;
	int		 n = -1;

	sqlite3_prepare_v2(store_db(st), "SELECT count(*) FROM questions "
	    "WHERE active = ?1", -1, &s, NULL);
	sqlite3_bind_int(s, 1, active);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return n;
}

static void
test_store_sync(void **state)
{
	char		 path[] = "/tmp/mockint-bankdb-XXXXXX", err[256], p2[64];
	struct store	*st;
	struct bank	*b = choice_bank(), *b2;
	json_t		*j, *v;
	int		 fd;

	assert_true((fd = mkstemp(path)) >= 0);
	close(fd);
	unlink(path);
	st = store_open(path, 0, err, sizeof err);
	if (st == NULL)
		fail_msg("store_open: %s", err);

	assert_int_equal(store_questions_sync(st, b), 0);
	assert_int_equal(count_active(st, 1), 6);
	j = store_questions_load_json(st, "c");
	v = bank_view_interviewer(bank_find(b, "c"));
	assert_non_null(j);
	assert_true(json_equal(j, v));
	json_decref(j);
	json_decref(v);
	assert_null(store_questions_load_json(st, "zz"));

	/* Mark every row old: an unchanged question keeps its updated_at. */
	assert_int_equal(sqlite3_exec(store_db(st), "UPDATE questions SET "
	    "updated_at = 1", NULL, NULL, NULL), SQLITE_OK);
	b2 = bank_new();
	assert_int_equal(bank_add(b2, mkq("A", "Coding", "hard", "Google",
	    "Onsite"), NULL), 0);
	assert_int_equal(bank_add(b2, mkq("B", "Coding", "easy", "Google",
	    "Onsite"), NULL), 0);
	assert_int_equal(store_questions_sync(st, b2), 0);
	assert_int_equal(count_active(st, 1), 2);
	assert_int_equal(count_active(st, 0), 4);
	{
		sqlite3_stmt *s;

		sqlite3_prepare_v2(store_db(st), "SELECT id, difficulty, "
		    "updated_at > 1, category FROM questions ORDER BY id", -1,
		    &s, NULL);
		assert_int_equal(sqlite3_step(s), SQLITE_ROW);	/* a */
		assert_int_equal(sqlite3_column_int(s, 2), 0);
		assert_string_equal(sqlite3_column_text(s, 3), "coding");
		assert_int_equal(sqlite3_step(s), SQLITE_ROW);	/* b */
		assert_string_equal(sqlite3_column_text(s, 1), "easy");
		assert_int_equal(sqlite3_column_int(s, 2), 1);
		assert_int_equal(sqlite3_step(s), SQLITE_ROW);	/* c */
		assert_int_equal(sqlite3_column_int(s, 2), 1);	/* retired */
		sqlite3_finalize(s);
	}
	/* A retired question is still there for history. */
	j = store_questions_load_json(st, "f");
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(j,
	    "category_key")), "system_design");
	json_decref(j);

	/* And comes back when its file does. */
	assert_int_equal(store_questions_sync(st, b), 0);
	assert_int_equal(count_active(st, 1), 6);
	assert_int_equal(count_active(st, 0), 0);

	bank_free(b2);
	bank_free(b);
	store_close(st);
	unlink(path);
	snprintf(p2, sizeof p2, "%s-wal", path);
	unlink(p2);
	snprintf(p2, sizeof p2, "%s-shm", path);
	unlink(p2);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_load_good),
		cmocka_unit_test(test_check_good),
		cmocka_unit_test(test_check_bad),
		cmocka_unit_test(test_check_dirs),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_choose_prefs),
		cmocka_unit_test(test_choose_fallback),
		cmocka_unit_test(test_choose_deterministic),
		cmocka_unit_test(test_views),
		cmocka_unit_test(test_bundled_bank),
		cmocka_unit_test(test_store_sync),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
