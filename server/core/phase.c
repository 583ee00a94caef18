/*
 * phase.c — phase and role names (see phase.h).
 */
#include "phase.h"

#include <stddef.h>
#include <string.h>

static const char *const phase_names[] = { "prep", "answer", "followup",
	"scoring", "done" };

const char *
phase_name(int phase)
{
	if (phase < 0 || phase > PHASE_DONE)
		return "?";
	return phase_names[phase];
}

int
phase_parse(const char *name)
{
	if (name == NULL)
		return -1;
	for (int i = 0; i <= PHASE_DONE; i++)
		if (strcmp(phase_names[i], name) == 0)
			return i;
	return -1;
}

const char *
role_name(int role)
{
	return role == ROLE_INTERVIEWER ? "interviewer" : "candidate";
}

const char *
phase_reason_shown(const char *stored, int64_t ended_by, int64_t interviewer)
{
	if (stored != NULL && strcmp(stored, "completed") == 0 &&
	    ended_by != 0 && ended_by == interviewer)
		return "ended_early";
	return stored;
}
