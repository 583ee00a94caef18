/*
 * test-questions-format.c — the rules of the question format: slugs for
 * keys and ids, category keys, default checklists, the sections of the
 * solution (headings, bullets, duplicates, limits), and the printed form
 * of problem reports. Hostile input is test-questions.c's.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bank.h"
#include "questions.h"

#include "questions-test.h"

static void
test_slugs(void **state)
{
	static const char *const keys[][2] = {
		{ "Do you call out stakeholders and how you aligned them?",
		    "stakeholders_aligned" },
		{ "Situation/Task", "situation_task" },
		{ "High-level design", "high_level_design" },
		{ "Did you explain the 301 vs 302 trade-off?", "trade_off" },
		{ "During the incident", "during_incident" },
		{ "Our team’s PRs", "teams_prs" },
		{ "Don't guess", "dont_guess" },
		{ "The", "the" },			/* only stop words */
		{ "Is it?", "is_it" },
		{ "日本語", "item" },			/* no ASCII word */
		{ "Supercalifragilisticexpialidocious antidisestablishmentarianism",
		    "supercalifragilisticexpialidocious" },
		{ "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghij",
		    "abcdefghijabcdefghijabcdefghijabcdefghij" },
	};
	static const char long_title[] = "one two three four five six seven "
	    "eight nine ten eleven twelve thirteen";
	char	*s;

	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		s = questions_slug_key(keys[i][0], strlen(keys[i][0]));
		assert_string_equal(s, keys[i][1]);
		assert_true(strlen(s) <= QUESTIONS_MAX_KEY);
		free(s);
	}
	s = questions_slug_id("Implement an LRU cache with O(1) operations",
	    43);
	assert_string_equal(s, "implement-an-lru-cache-with-o-1-operations");
	free(s);
	s = questions_slug_id("日本語", strlen("日本語"));
	assert_int_equal(strlen(s), 18);
	assert_true(strncmp(s, "q-", 2) == 0);
	free(s);
	s = questions_slug_id(long_title, strlen(long_title));
	assert_string_equal(s,
	    "one-two-three-four-five-six-seven-eight-nine-ten-eleven-twelve");
	free(s);

	s = questions_category_key("Behavioral & Leadership");
	assert_string_equal(s, "behavioral");
	free(s);
	s = questions_category_key("  system DESIGN ");
	assert_string_equal(s, "system_design");
	free(s);
	s = questions_category_key("Data Structures & Algorithms");
	assert_string_equal(s, "coding");
	free(s);
	s = questions_category_key("Technical Communication");
	assert_string_equal(s, "technical_communication");
	free(s);
	s = questions_category_key("Product Sense");
	assert_string_equal(s, "product_sense");
	assert_false(questions_category_known(s));
	free(s);
}


static void
test_default_checklists(void **state)
{
	static const char *const coding[] = {
		"clarifies_problem", "approach", "complexity", "correctness",
		"testing", "communication",
	};
	struct questions_problems pr;
	struct question	*q;
	char		*buf;
	size_t		 len;

	buf = fixture("good/02_coding.txt", &len);
	questions_problems_init(&pr);
	q = questions_parse(buf, len, "t.txt", &pr);
	assert_non_null(q);
	assert_true(q->default_checklist);
	assert_int_equal(q->n_checklist, 6);
	for (size_t i = 0; i < 6; i++)
		assert_string_equal(q->checklist[i].key, coding[i]);
	assert_string_equal(q->checklist[0].label,
	    "Clarifies the problem, inputs and constraints");
	assert_null(q->round);
	/* Indented code in the model answer is kept as it is. */
	assert_non_null(strstr(q->model_answer,
	    "\n    def reverse_words(s):\n        return"));
	questions_free(q);
	free(buf);

	/* Pitfalls alone do not replace the default checklist. */
	buf = fixture("good/04_communication.txt", &len);
	q = questions_parse(buf, len, "t.txt", &pr);
	assert_non_null(q);
	assert_true(q->default_checklist);
	assert_string_equal(q->id, "explain-caching");
	assert_int_equal(q->id_line, 2);
	assert_string_equal(q->checklist[0].key, "audience");
	assert_int_equal(q->n_pitfalls, 2);
	assert_string_equal(q->pitfalls[0].key, "jargon_explanation");
	assert_string_equal(q->round, "Phone Screen");
	questions_free(q);
	free(buf);
	assert_int_equal(pr.n, 0);

	/* Unknown category: the general default, with a warning. */
	buf = fixture("bad/unknown-category.txt", &len);
	q = questions_parse(buf, len, "t.txt", &pr);
	assert_non_null(q);
	assert_string_equal(q->checklist[0].key, "understands_question");
	assert_int_equal(pr.n, 1);
	assert_problem(&pr, 0, 2, QUESTIONS_WARNING, "unknown category 'Brain "
	    "Teasers' and no approach or quick checklist: the general default "
	    "checklist applies");
	questions_free(q);
	free(buf);
	questions_problems_free(&pr);

	/* ...but none when the question brings its own checklist. */
	questions_problems_init(&pr);
	q = parse_str("T\nCategory: Brain Teasers\nDifficulty: hard\nP.\n"
	    "Quick Answer: A.\nSolution\nQuick checklist\n- Estimate?\n", &pr);
	assert_non_null(q);
	assert_int_equal(pr.n, 0);
	assert_int_equal(q->n_checklist, 1);
	assert_string_equal(q->checklist[0].key, "estimate");
	questions_free(q);
	questions_problems_free(&pr);
}


static void
test_sections(void **state)
{
	struct questions_problems pr;
	struct question *q;

	questions_problems_init(&pr);
	q = parse_str(MINIMAL "Inline start.\n"
	    "Approach:\n"
	    "Not a bullet.\n"
	    "Quick checklist\n"
	    "- Key thing twice\n"
	    "\n"
	    "- Key thing twice!\n"
	    "* Approach\n"
	    "More text.\n"
	    "Pitfalls:\n"
	    "- Key thing twice\n"
	    "Quick checklist\n"
	    "• Third item\n", &pr);
	assert_non_null(q);
	assert_string_equal(q->model_answer,
	    "Inline start.\nApproach:\nNot a bullet.\nMore text.");
	assert_int_equal(q->n_checklist, 4);
	assert_string_equal(q->checklist[0].key, "key_thing_twice");
	assert_string_equal(q->checklist[1].key, "key_thing_twice_2");
	assert_string_equal(q->checklist[2].key, "approach");
	assert_string_equal(q->checklist[3].key, "third_item");
	assert_string_equal(q->checklist[3].label, "Third item");
	/* Red-flag keys are unique against checklist keys too. */
	assert_string_equal(q->pitfalls[0].key, "key_thing_twice_3");
	assert_int_equal(pr.n, 2);
	assert_problem(&pr, 0, 8, QUESTIONS_WARNING, "'Approach ...:' heading "
	    "with no bullets after it; kept as model answer text");
	assert_problem(&pr, 1, 18, QUESTIONS_WARNING, "second 'Quick "
	    "checklist' section (the first is on line 10); its bullets are "
	    "added to the first one's");
	questions_free(q);
	questions_problems_free(&pr);

	/* "Solution: text" starts the model answer; bare labels are fine. */
	questions_problems_init(&pr);
	q = parse_str("T\nCategory: Coding\nDifficulty: easy\nP.\n"
	    "Quick Answer: A\nand more.\nSolution: Use a map.\n"
	    "Approach it like this:\n- Brute force first\n"
	    "- Time: O(n): one pass\n- http://example.com: link\n", &pr);
	assert_non_null(q);
	assert_int_equal(pr.n, 0);
	assert_string_equal(q->quick_answer, "A\nand more.");
	assert_string_equal(q->model_answer, "Use a map.");
	assert_int_equal(q->n_approach, 3);
	assert_string_equal(q->approach[0].label, "Brute force first");
	assert_string_equal(q->approach[0].text, "");
	assert_string_equal(q->approach[1].label, "Time");
	assert_string_equal(q->approach[1].text, "O(n): one pass");
	assert_string_equal(q->approach[2].label, "http://example.com");
	assert_string_equal(q->approach[2].key, "http_example_com");
	questions_free(q);
	questions_problems_free(&pr);

	/* An empty solution is usable, with a warning. */
	questions_problems_init(&pr);
	q = parse_str(MINIMAL, &pr);
	assert_non_null(q);
	assert_string_equal(q->model_answer, "");
	assert_int_equal(pr.n, 1);
	assert_problem(&pr, 0, 6, QUESTIONS_WARNING, "empty solution");
	questions_free(q);
	questions_problems_free(&pr);
}


static void
test_bullet_limit(void **state)
{
	struct questions_problems pr;
	size_t	 len = strlen(MINIMAL), cap = len + 64 + 100 * 12;
	char	*buf = malloc(cap);

	assert_non_null(buf);
	memcpy(buf, MINIMAL "Quick checklist\n", len + 16);
	len += 16;
	for (int i = 0; i < 65; i++)
		len += (size_t)snprintf(buf + len, cap - len, "- item %d\n", i);
	questions_problems_init(&pr);
	assert_null(questions_parse(buf, len, "t.txt", &pr));
	assert_int_equal(pr.n, 1);
	assert_problem(&pr, 0, 72, QUESTIONS_ERROR,
	    "more than 64 bullets in the 'Quick checklist' section");
	questions_problems_free(&pr);
	free(buf);
}


static void
test_print(void **state)
{
	struct questions_problems pr;
	char	*out = NULL;
	size_t	 len = 0;
	FILE	*f = open_memstream(&out, &len);

	assert_non_null(f);
	questions_problems_init(&pr);
	questions_problems_add(&pr, "a.txt", 3, QUESTIONS_ERROR, "bad %s", "x");
	questions_problems_add(&pr, "b.txt", 1, QUESTIONS_WARNING, "meh");
	questions_problems_add(&pr, "dir", 0, QUESTIONS_ERROR, "gone");
	questions_problems_add(NULL, "c.txt", 1, QUESTIONS_ERROR, "ignored");
	assert_int_equal(pr.errors, 2);
	assert_int_equal(pr.warnings, 1);
	questions_problems_print(&pr, f);
	fclose(f);
	assert_string_equal(out,
	    "a.txt:3: bad x\nb.txt:1: warning: meh\ndir: gone\n");
	free(out);
	questions_problems_free(&pr);
}


int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_slugs),
		cmocka_unit_test(test_default_checklists),
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_bullet_limit),
		cmocka_unit_test(test_print),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
