/*
 * test-ui.c — what the screen writes, without a terminal: a note's line
 * in the notes pane (bug 10 of issue 16: a long label is cut with "…",
 * not silently), and the key hints after the end (bug 11: no "f" once
 * the feedback was sent).
 */
#include <locale.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "fmt.h"
#include "ui_int.h"

static void
test_note_label_ellipsis(void **state)
{
	struct vm vm;
	struct vm_item it = { "k", "Explains the trade-offs between "
	    "consistency and availability", 0, 0 };
	char line[512];
	size_t i;

	setlocale(LC_ALL, "C.UTF-8");
	vm_init(&vm);
	vm.items = &it;
	vm.n_items = 1;
	i = vm_note_add(&vm, "k", "", 3, -1);
	ui_note_text(&vm, &vm.notes[i], 30, line, sizeof line);
	assert_string_equal(line, "Explains the trade-offs betwe… = 3");
	/* A short one as it is. */
	it.label = "Result";
	ui_note_text(&vm, &vm.notes[i], 30, line, sizeof line);
	assert_string_equal(line, "Result = 3");
	vm.items = NULL;
	vm.n_items = 0;
	vm_free(&vm);
}

static void
test_hints_after_the_end(void **state)
{
	struct vm vm;

	vm_init(&vm);
	vm.session_id = 4;
	vm.role = VM_CANDIDATE;
	vm.phase = VM_DONE;
	vm.focus = VM_PANE_QUESTION;
	assert_non_null(strstr(ui_hints(&vm, 0), "f rate"));
	vm.feedback_sent = 1;
	assert_null(strstr(ui_hints(&vm, 0), "f rate"));
	vm.role = VM_INTERVIEWER;
	vm.phase = VM_ANSWER;
	vm.focus = VM_PANE_CHECKLIST;
	assert_non_null(strstr(ui_hints(&vm, 0), "1-4 score"));
	vm.focus = VM_PANE_QUESTION;
	assert_null(strstr(ui_hints(&vm, 0), "1-4 score"));
	vm_free(&vm);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_note_label_ellipsis),
		cmocka_unit_test(test_hints_after_the_end),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
