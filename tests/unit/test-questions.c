/*
 * test-questions.c — the question-file parser on real and hostile input:
 * the reference file field by field, CRLF, and every malformed input
 * (empty, headers only, missing title, unknown difficulty, bad headers,
 * the size and line limits, invalid UTF-8, random bytes) with its report.
 * The format rules themselves are in test-questions-format.c.
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

/* One parse that must fail with exactly one error. */
static void
assert_rejected(const char *buf, size_t len, unsigned line, const char *reason)
{
	struct questions_problems pr;

	questions_problems_init(&pr);
	assert_null(questions_parse(buf, len, "t.txt", &pr));
	assert_int_equal(pr.n, 1);
	assert_problem(&pr, 0, line, QUESTIONS_ERROR, reason);
	questions_problems_free(&pr);
}

static void
assert_items(const struct questions_item *v, size_t n,
    const char *const *expect)
{
	size_t	i;

	for (i = 0; expect[2 * i] != NULL; i++) {
		assert_true(i < n);
		assert_string_equal(v[i].key, expect[2 * i]);
		assert_string_equal(v[i].label, expect[2 * i + 1]);
	}
	assert_int_equal(n, i);
}

static void
test_reference(void **state)
{
	static const char *const approach[] = {
		"situation_task", "Situation/Task",
		"action", "Action",
		"result", "Result",
		"learning", "Learning",
		NULL
	};
	static const char *const approach_text[] = {
		"Set context and stakes in 1–2 sentences.",
		"What you personally did (design, code, comms). Explain "
		    "decisions.",
		"Quantify outcomes (speed, reliability, cost, usage).",
		"One insight you carried forward.",
	};
	static const char *const checklist[] = {
		"situation_task", "Situation/Task",
		"action", "Action",
		"result", "Result",
		"learning", "Learning",
		"seconds_situation_actions_result", "In 90 seconds, can you "
		    "state the Situation, your Actions, the Result (with "
		    "numbers), and one Learning?",
		"stakeholders_aligned", "Do you call out stakeholders and how "
		    "you aligned them?",
		"risk_mitigation", "Do you include at least one risk and your "
		    "mitigation?",
		"outcome_customer_business_impact", "Can you tie the outcome "
		    "to customer or business impact?",
		NULL
	};
	static const char *const pitfalls[] = {
		"vague_outcomes_went_well", "Vague outcomes (e.g., “it went "
		    "well”) without metrics.",
		"describing_team_actions_clarifying", "Describing team actions "
		    "without clarifying your role.",
		"ignoring_risks_mitigations_learned", "Ignoring "
		    "risks/mitigations or what you learned.",
		"scope_creep_saying_yes", "Scope creep: saying yes to "
		    "everything under tight deadlines; instead, document "
		    "trade-offs and get explicit agreement.",
		NULL
	};
	static const char head[] = "Model Story 1 — Ownership beyond formal "
	    "responsibilities (flaky CI/CD infra)\n- Situation: Our team’s PRs "
	    "were frequently blocked";
	static const char tail[] = "\n- They are specific (numbers, "
	    "timelines, concrete actions), not generic.";
	struct questions_problems pr;
	struct question	*q;
	const char	*shared = getenv("MOCKINT_SHARED_DIR");
	char		 path[4096];
	char		*buf;
	size_t		 len;
	json_t		*view;

	snprintf(path, sizeof path, "%s/seeds/000_f7ab181e25a6a702.txt",
	    shared != NULL ? shared : "../shared");
	if ((buf = read_all(path, &len)) == NULL) {
		printf("SKIPPED: ../shared/seeds not present (%s)\n", path);
		skip();
	}
	questions_problems_init(&pr);
	q = questions_parse(buf, len, "000.txt", &pr);
	assert_non_null(q);
	assert_int_equal(pr.n, 0);

	assert_string_equal(q->id, "demonstrate-ownership-and-deliver-results");
	assert_string_equal(q->title,
	    "Demonstrate ownership and deliver results");
	assert_string_equal(q->company, "Amazon");
	assert_string_equal(q->role, "Software Engineer");
	assert_string_equal(q->category, "Behavioral & Leadership");
	assert_string_equal(q->category_key, "behavioral");
	assert_int_equal(q->difficulty, QUESTIONS_MEDIUM);
	assert_string_equal(q->round, "Technical Screen");
	assert_string_equal(q->prompt, "Describe a time you took ownership "
	    "beyond your formal responsibilities. What was the situation, why "
	    "did you decide to step in, and how did you align stakeholders, "
	    "manage risks, and measure the impact? Then describe a time you "
	    "delivered results under a tight deadline with limited resources: "
	    "what goal was at risk, how did you prioritize and make "
	    "trade-offs, what was the outcome, and what did you learn?");
	assert_string_equal(q->quick_answer, "This question evaluates "
	    "ownership, leadership, prioritization, stakeholder alignment, "
	    "risk management, and the ability to deliver measurable results "
	    "under tight deadlines and limited resources.");

	/* The model answer: everything else in the solution, verbatim. */
	assert_true(strncmp(q->model_answer, head, strlen(head)) == 0);
	assert_non_null(strstr(q->model_answer, "\nModel Story 2 — Delivering "
	    "under tight deadline and limited resources (pilot-critical "
	    "API)\n"));
	assert_non_null(strstr(q->model_answer, "\n1) Diagnosis: "));
	assert_non_null(strstr(q->model_answer, "\nWhy these work\n- They show "
	    "ownership"));
	len = strlen(q->model_answer);
	assert_true(len > strlen(tail));
	assert_string_equal(q->model_answer + len - strlen(tail), tail);
	assert_null(strstr(q->model_answer, "Approach these with"));
	assert_null(strstr(q->model_answer, "Situation/Task"));
	assert_null(strstr(q->model_answer, "pitfalls"));
	assert_null(strstr(q->model_answer, "Quick checklist"));
	assert_null(strstr(q->model_answer, "Vague outcomes"));
	assert_null(strchr(q->model_answer, '\r'));

	assert_items(q->approach, q->n_approach, approach);
	for (size_t i = 0; i < q->n_approach; i++)
		assert_string_equal(q->approach[i].text, approach_text[i]);
	assert_items(q->checklist, q->n_checklist, checklist);
	assert_false(q->default_checklist);
	assert_items(q->pitfalls, q->n_pitfalls, pitfalls);
	assert_int_equal(q->n_quick_checklist, 4);
	assert_string_equal(q->quick_checklist[1].key, "stakeholders_aligned");

	/* The interviewer view carries the same. */
	view = bank_view_interviewer(q);
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(view, "checklist"), 5), "key")),
	    "stakeholders_aligned");
	assert_string_equal(json_string_value(json_object_get(json_array_get(
	    json_object_get(view, "red_flags"), 3), "key")),
	    "scope_creep_saying_yes");
	assert_int_equal(json_array_size(json_object_get(view, "pitfalls")), 4);
	json_decref(view);

	questions_free(q);
	questions_problems_free(&pr);
	free(buf);
}

/* A file and its CRLF twin parse to the same question. */
static void
test_crlf(void **state)
{
	struct questions_problems pr;
	struct question	*a, *b;
	char		*lf, *crlf;
	size_t		 len, n = 0;
	json_t		*ja, *jb;

	lf = fixture("good/01_behavioral.txt", &len);
	crlf = malloc(2 * len + 1);
	assert_non_null(crlf);
	for (size_t i = 0; i < len; i++) {
		if (lf[i] == '\n')
			crlf[n++] = '\r';
		crlf[n++] = lf[i];
	}
	assert_true(n > len + 20);
	questions_problems_init(&pr);
	a = questions_parse(lf, len, "t.txt", &pr);
	b = questions_parse(crlf, n, "t.txt", &pr);
	assert_non_null(a);
	assert_non_null(b);
	assert_int_equal(pr.n, 0);
	ja = bank_view_interviewer(a);
	jb = bank_view_interviewer(b);
	assert_true(json_equal(ja, jb));
	assert_string_equal(b->title, "Recover a slipping project");
	assert_string_equal(b->prompt, "Tell me about a project of yours that "
	    "was slipping. How did you notice, what did you change, and how "
	    "did it end?\n\nBe specific about your own part.");
	assert_null(strchr(b->model_answer, '\r'));
	assert_int_equal(b->n_checklist, 5);
	json_decref(ja);
	json_decref(jb);
	questions_free(a);
	questions_free(b);
	questions_problems_free(&pr);
	free(lf);
	free(crlf);
}

static void
test_empty(void **state)
{
	assert_rejected("", 0, 1, "empty file");
	assert_rejected("\n\n  \t\n", 5, 1, "empty file");
	assert_rejected("\xEF\xBB\xBF", 3, 1, "empty file");
	assert_rejected("\r\n\r\n", 4, 1, "empty file");
}

static void
test_headers_only(void **state)
{
	struct questions_problems pr;
	char	*buf;
	size_t	 len;

	buf = fixture("bad/headers-only.txt", &len);
	questions_problems_init(&pr);
	assert_null(questions_parse(buf, len, "t.txt", &pr));
	assert_int_equal(pr.n, 3);
	assert_problem(&pr, 0, 4, QUESTIONS_ERROR, "missing prompt: no "
	    "question text between the headers and 'Quick Answer:'");
	assert_problem(&pr, 1, 4, QUESTIONS_ERROR,
	    "missing 'Quick Answer:' line");
	assert_problem(&pr, 2, 4, QUESTIONS_ERROR,
	    "reached the end of the file without a 'Solution' line");
	questions_problems_free(&pr);
	free(buf);

	/* Required headers missing: reported where the prompt begins. */
	questions_problems_init(&pr);
	assert_null(parse_str("Title\nCompany: X\nThe prompt.\n"
	    "Quick Answer: A.\nSolution\nB.\n", &pr));
	assert_int_equal(pr.n, 2);
	assert_problem(&pr, 0, 3, QUESTIONS_ERROR, "missing 'Category:' header");
	assert_problem(&pr, 1, 3, QUESTIONS_ERROR,
	    "missing 'Difficulty:' header");
	questions_problems_free(&pr);
}

static void
test_missing_title(void **state)
{
	struct questions_problems pr;
	char	*buf;
	size_t	 len;

	buf = fixture("bad/missing-title.txt", &len);
	assert_rejected(buf, len, 1, "missing title: line 1 is a 'Company:' "
	    "header");
	free(buf);
	questions_problems_init(&pr);
	assert_null(parse_str("\n" MINIMAL "Body.\n", &pr));
	assert_int_equal(pr.n, 1);
	assert_problem(&pr, 0, 1, QUESTIONS_ERROR,
	    "line 1 must be the title but is empty");
	questions_problems_free(&pr);
}

static void
test_unknown_difficulty(void **state)
{
	char	*buf;
	size_t	 len;

	buf = fixture("bad/unknown-difficulty.txt", &len);
	assert_rejected(buf, len, 3, "unknown difficulty 'extreme' (expected "
	    "easy, medium or hard)");
	free(buf);
	assert_int_equal(questions_difficulty_parse(" HARD "), QUESTIONS_HARD);
	assert_int_equal(questions_difficulty_parse("Easy"), QUESTIONS_EASY);
	assert_int_equal(questions_difficulty_parse("medium-ish"), -1);
	assert_int_equal(questions_difficulty_parse(""), -1);
}

static void
test_header_errors(void **state)
{
	struct questions_problems pr;
	struct question *q;

	questions_problems_init(&pr);
	assert_null(parse_str("T\nCategory: Coding\nDifficulty: easy\n"
	    "Category: System Design\nP.\nQuick Answer: A.\nSolution\nB.\n",
	    &pr));
	assert_int_equal(pr.n, 1);
	assert_problem(&pr, 0, 4, QUESTIONS_ERROR,
	    "duplicate 'Category:' header (the first is on line 2)");
	questions_problems_free(&pr);

	/* An empty optional header is a warning; an empty required one not. */
	questions_problems_init(&pr);
	q = parse_str("T\nRole:\nCategory: Coding\nDifficulty: easy\nP.\n"
	    "Quick Answer: A.\nSolution\nB.\n", &pr);
	assert_non_null(q);
	assert_null(q->role);
	assert_int_equal(pr.n, 1);
	assert_problem(&pr, 0, 2, QUESTIONS_WARNING,
	    "empty 'Role:' header (leave the line out instead)");
	questions_free(q);
	questions_problems_free(&pr);

	questions_problems_init(&pr);
	assert_null(parse_str("T\nId: Bad_Id\nCategory: Coding\n"
	    "Difficulty: easy\nP.\nQuick Answer: A.\nSolution\nB.\n", &pr));
	assert_int_equal(pr.n, 1);
	assert_problem(&pr, 0, 2, QUESTIONS_ERROR, "invalid id 'Bad_Id' (use "
	    "lowercase letters, digits and single '-' between them, at most "
	    "64 characters)");
	questions_problems_free(&pr);

	questions_problems_init(&pr);
	assert_null(parse_str("T\nCategory: Coding\nDifficulty: easy\nP.\n"
	    "Solution\nB.\n", &pr));
	assert_int_equal(pr.n, 1);
	assert_problem(&pr, 0, 5, QUESTIONS_ERROR,
	    "missing 'Quick Answer:' line before 'Solution'");
	questions_problems_free(&pr);

	/* A quick answer after the solution line does not count. */
	questions_problems_init(&pr);
	assert_null(parse_str("T\nCategory: Coding\nDifficulty: easy\nP.\n"
	    "Solution\nQuick Answer: Late.\n", &pr));
	assert_int_equal(pr.n, 1);
	assert_problem(&pr, 0, 5, QUESTIONS_ERROR,
	    "missing 'Quick Answer:' line before 'Solution'");
	questions_problems_free(&pr);

	questions_problems_init(&pr);
	assert_null(parse_str("T\nCategory: Coding\nDifficulty: easy\nP.\n"
	    "Quick Answer:   \nSolution\nB.\n", &pr));
	assert_int_equal(pr.n, 1);
	assert_problem(&pr, 0, 5, QUESTIONS_ERROR, "empty quick answer");
	questions_problems_free(&pr);
}

static void
test_limits(void **state)
{
	struct questions_problems pr;
	struct question	*q;
	size_t		 big = 10 * 1024 * 1024, len;
	char		*buf = malloc(big);
	char		 expect[128];

	assert_non_null(buf);
	memset(buf, 'x', big);
	for (size_t i = 79; i < big; i += 80)
		buf[i] = '\n';
	assert_rejected(buf, big, 1, "file too large (10485760 bytes; the "
	    "limit is 262144)");

	/* Exactly the limit is accepted: MINIMAL plus model-answer lines. */
	len = strlen(MINIMAL);
	memcpy(buf, MINIMAL, len);
	memset(buf + len, 'y', QUESTIONS_MAX_FILE - len);
	for (size_t i = len + 99; i < QUESTIONS_MAX_FILE; i += 100)
		buf[i] = '\n';
	questions_problems_init(&pr);
	q = questions_parse(buf, QUESTIONS_MAX_FILE, "t.txt", &pr);
	assert_non_null(q);
	assert_int_equal(pr.n, 0);
	assert_true(strlen(q->model_answer) > 250000);
	questions_free(q);
	questions_problems_free(&pr);
	buf[QUESTIONS_MAX_FILE] = 'y';
	assert_rejected(buf, QUESTIONS_MAX_FILE + 1, 1, "file too large "
	    "(262145 bytes; the limit is 262144)");

	/* Lines: 8192 bytes are fine, 8193 are not (CR not counted). */
	memcpy(buf, MINIMAL, len);
	memset(buf + len, 'z', 8192);
	memcpy(buf + len + 8192, "\r\n", 2);
	questions_problems_init(&pr);
	q = questions_parse(buf, len + 8194, "t.txt", &pr);
	assert_non_null(q);
	assert_int_equal(strlen(q->model_answer), 8192);
	questions_free(q);
	questions_problems_free(&pr);
	buf[len + 8192] = 'z';
	snprintf(expect, sizeof expect, "line is 8193 bytes long; the limit "
	    "is 8192");
	assert_rejected(buf, len + 8194, 7, expect);
	free(buf);
}

static void
test_encoding(void **state)
{
	static const struct {
		const char	*text;
		size_t		 len;
		const char	*reason;
	} cases[] = {
		{ "T\nCategory: Co\xffing\n", 0,
		    "invalid UTF-8 (byte 13 of the line)" },
		{ "T\nCategory: \xC0\xAF\n", 0,
		    "invalid UTF-8 (byte 11 of the line)" },	/* overlong */
		{ "T\nCategory: \xED\xA0\x80\n", 0,
		    "invalid UTF-8 (byte 11 of the line)" },	/* surrogate */
		{ "T\nCategory: \xF4\x90\x80\x80\n", 0,
		    "invalid UTF-8 (byte 11 of the line)" },	/* > U+10FFFF */
		{ "T\nCategory: \xE2\x80\n", 0,
		    "invalid UTF-8 (byte 11 of the line)" },	/* cut short */
		{ "T\nCat\0gory: x\n", 14,
		    "NUL byte (byte 4 of the line)" },
		{ "T\nCategory: \x1b[31mred\n", 0, "control character U+001B "
		    "(byte 11 of the line); only tab is allowed" },
		{ "T\nCategory: a\rb\n", 0, "control character U+000D "
		    "(byte 12 of the line); only tab is allowed" },
		{ "T\nCategory: \xC2\x9B\n", 0, "control character U+009B "
		    "(byte 11 of the line); only tab is allowed" },
	};
	struct questions_problems pr;
	struct question *q;

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t len = cases[i].len ? cases[i].len :
		    strlen(cases[i].text);

		assert_rejected(cases[i].text, len, 2, cases[i].reason);
	}
	/* Every bad line is reported, up to the cap. */
	questions_problems_init(&pr);
	assert_null(parse_str("T\n\xff\nok\n\xfe\n", &pr));
	assert_int_equal(pr.n, 2);
	assert_int_equal(pr.v[0].line, 2);
	assert_int_equal(pr.v[1].line, 4);
	questions_problems_free(&pr);

	/* A BOM is dropped, tabs and non-ASCII text are fine. */
	questions_problems_init(&pr);
	q = parse_str("\xEF\xBB\xBFÜber\tquestion\nCategory: Coding\n"
	    "Difficulty: easy\n日本語の問題。\nQuick Answer: 答え\nSolution\n解答\n",
	    &pr);
	assert_non_null(q);
	assert_int_equal(pr.n, 0);
	assert_string_equal(q->title, "Über\tquestion");
	assert_string_equal(q->id, "ber-question");
	assert_string_equal(q->prompt, "日本語の問題。");
	questions_free(q);
	questions_problems_free(&pr);
}

static uint64_t
xorshift(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* Whatever the parser returns must be whole and consistent. */
static void
check_result(struct question *q, const struct questions_problems *pr,
    size_t before)
{
	size_t	mine = pr->n - before, errors = 0;
	json_t	*j;
	char	*s;

	assert_true(mine <= QUESTIONS_MAX_PROBLEMS + 1);
	for (size_t i = before; i < pr->n; i++) {
		assert_string_equal(pr->v[i].file, "g.txt");
		errors += pr->v[i].severity == QUESTIONS_ERROR;
	}
	if (q == NULL) {
		assert_true(errors >= 1);
		return;
	}
	assert_int_equal(errors, 0);
	assert_non_null(q->id);
	assert_true(q->id[0] != '\0' && strlen(q->id) <= QUESTIONS_MAX_ID);
	assert_non_null(q->title);
	assert_non_null(q->category_key);
	assert_non_null(q->prompt);
	assert_non_null(q->quick_answer);
	assert_non_null(q->model_answer);
	assert_true(q->n_checklist > 0);
	for (size_t i = 0; i < q->n_checklist; i++) {
		assert_true(q->checklist[i].key[0] != '\0');
		for (size_t k = 0; k < i; k++)
			assert_string_not_equal(q->checklist[i].key,
			    q->checklist[k].key);
		for (size_t k = 0; k < q->n_pitfalls; k++)
			assert_string_not_equal(q->checklist[i].key,
			    q->pitfalls[k].key);
	}
	/* Valid UTF-8 throughout: jansson refuses anything else. */
	j = bank_view_interviewer(q);
	s = json_dumps(j, JSON_COMPACT);
	assert_non_null(s);
	assert_non_null(strstr(s, "\"model_answer\""));
	free(s);
	json_decref(j);
}

static void
test_garbage(void **state)
{
	static const char *const tokens[] = {
		"\n", "\r\n", "- ", "* ", "Solution\n", "Solution: x\n",
		"Quick Answer:", "Approach:\n", "Approach it:\n- A: b\n",
		"Common pitfalls\n", "Quick checklist\n", "Category: ",
		"Difficulty: hard\n", "Id: ", "Id: x-y\n", "Company:",
		"\xff", "\xE2\x80\x99", "\xC2", "\t", ":", "- : \n",
		"- Situation/Task: x\n",
	};
	struct questions_problems pr;
	uint64_t	 seed = 0x9e3779b97f4a7c15ULL;
	char		 buf[4096];
	char		*base;
	size_t		 blen, before;

	base = fixture("good/01_behavioral.txt", &blen);
	assert_true(blen < sizeof buf / 2);
	questions_problems_init(&pr);
	/* Pure random bytes. */
	for (int it = 0; it < 3000; it++) {
		size_t len = xorshift(&seed) % sizeof buf;
		struct question *q;

		for (size_t i = 0; i < len; i++)
			buf[i] = (char)(xorshift(&seed) >> 24);
		before = pr.n;
		q = questions_parse(buf, len, "g.txt", &pr);
		check_result(q, &pr, before);
		questions_free(q);
	}
	/* A valid file with random edits, so the structure pass is hit. */
	for (int it = 0; it < 3000; it++) {
		size_t len = blen;
		int edits = 1 + (int)(xorshift(&seed) % 6);
		struct question *q;

		memcpy(buf, base, blen);
		for (int e = 0; e < edits; e++) {
			size_t at = len ? xorshift(&seed) % len : 0;
			const char *t = tokens[xorshift(&seed) %
			    (sizeof tokens / sizeof tokens[0])];
			size_t tl = strlen(t);

			switch (xorshift(&seed) % 3) {
			case 0:
				buf[at] = (char)(xorshift(&seed) >> 24);
				break;
			case 1:
				if (len + tl < sizeof buf) {
					memmove(buf + at + tl, buf + at,
					    len - at);
					memcpy(buf + at, t, tl);
					len += tl;
				}
				break;
			default:
				tl = xorshift(&seed) % 40;
				if (tl > len - at)
					tl = len - at;
				memmove(buf + at, buf + at + tl,
				    len - at - tl);
				len -= tl;
				break;
			}
		}
		before = pr.n;
		q = questions_parse(buf, len, "g.txt", &pr);
		check_result(q, &pr, before);
		questions_free(q);
	}
	questions_problems_free(&pr);
	free(base);
}

static void
test_too_many_problems(void **state)
{
	struct questions_problems pr;
	char	buf[200];

	for (size_t i = 0; i < sizeof buf; i += 2) {
		buf[i] = '\xff';
		buf[i + 1] = '\n';
	}
	questions_problems_init(&pr);
	assert_null(questions_parse(buf, sizeof buf, "t.txt", &pr));
	assert_int_equal(pr.n, QUESTIONS_MAX_PROBLEMS + 1);
	assert_problem(&pr, QUESTIONS_MAX_PROBLEMS, QUESTIONS_MAX_PROBLEMS + 1,
	    QUESTIONS_ERROR, "too many problems; giving up on this file");
	questions_problems_free(&pr);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reference),
		cmocka_unit_test(test_crlf),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_headers_only),
		cmocka_unit_test(test_missing_title),
		cmocka_unit_test(test_unknown_difficulty),
		cmocka_unit_test(test_header_errors),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_encoding),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_too_many_problems),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
