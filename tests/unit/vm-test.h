/*
 * vm-test.h — what the view model's tests (test-vm.c, test-vm-controls.c)
 * share: a JSON fixture loader, applying a push, an interviewer's session
 * on a server clock far from the local one, and typing. Test code only;
 * each test file includes it once.
 */
#ifndef MOCKINT_VM_TEST_H
#define MOCKINT_VM_TEST_H

#include <string.h>

#include "vm.h"

/* A server clock far from the local one: the model must not mix them. */
#define SERVER_T	1000000000000LL	/* 2001-09-09 */
#define LOCAL_T		5000		/* monotonic ms at receipt */

static inline json_t *
J(const char *text)
{
	json_error_t e;
	json_t *j = json_loads(text, 0, &e);

	if (j == NULL)
		fail_msg("bad fixture JSON: %s: %s", e.text, text);
	return j;
}

static inline void
apply(struct vm *vm, const char *text, int64_t now)
{
	json_t *j = J(text);

	assert_int_equal(vm_apply(vm, j, now), 1);
	json_decref(j);
}

static const char interviewer_session[] =
    "{\"type\":\"session\",\"session_id\":12,\"phase\":\"answer\","
    "\"phase_started_at\":999999990000,\"phase_ends_at\":1000000060000,"
    "\"server_time\":1000000000000,\"role\":\"interviewer\","
    "\"peer\":{\"user_id\":2,\"username\":\"bob\",\"connected\":true},"
    "\"question\":{\"id\":\"q1\",\"title\":\"Own a problem\","
    "\"prompt\":\"Tell me…\",\"category\":\"Behavioral\","
    "\"difficulty\":\"medium\",\"company\":\"\",\"role\":\"\",\"round\":\"\","
    "\"quick_answer\":\"Ownership.\",\"model_answer\":\"The invoice job.\","
    "\"approach\":[{\"key\":\"sit\",\"label\":\"Situation\",\"text\":\"x\"}],"
    "\"checklist\":[{\"key\":\"situation\",\"label\":\"Situation\"},"
    "{\"key\":\"action\",\"label\":\"Action\"},"
    "{\"key\":\"result\",\"label\":\"Result\"}],"
    "\"red_flags\":[{\"key\":\"hero\",\"label\":\"Hero story\"}]},"
    "\"chat\":[{\"from\":2,\"username\":\"bob\",\"text\":\"hi\","
    "\"at\":999999995000}],"
    "\"notes\":[{\"note_id\":7,\"item\":\"situation\",\"text\":\"clear\","
    "\"score\":3,\"flag\":null,\"at\":999999996000,\"client_id\":\"c-old\"}],"
    "\"scores\":{\"situation\":3},\"flags\":{}}";

static inline void
setup_interviewer(struct vm *vm)
{
	vm_init(vm);
	vm->my_id = 1;
	vm->my_name = strdup("alice");
	apply(vm, "{\"type\":\"match\",\"session_id\":12,\"role\":"
	    "\"interviewer\",\"peer\":{\"user_id\":2,\"username\":\"bob\"}}",
	    LOCAL_T);
	apply(vm, interviewer_session, LOCAL_T);
}


static inline void
type(struct vm *vm, const char *s)
{
	for (; *s; s++)
		vm_key(vm, (unsigned char)*s, LOCAL_T);
}

#endif
