/*
 * questions_report.c — the list of problems found in question files
 * (FILE:LINE: reason), filled by the parser and the bank loader and
 * printed only by their callers.
 */
#include "questions.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xmalloc.h"

void
questions_problems_vadd(struct questions_problems *pr, const char *file, unsigned line,
    enum questions_severity severity, const char *fmt, va_list ap)
{
	struct questions_problem *p;
	va_list	 ap2;
	int	 n;

	if (pr == NULL)
		return;
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		n = 0;
	if (pr->n == pr->cap) {
		pr->cap = pr->cap ? pr->cap * 2 : 16;
		pr->v = xrealloc(pr->v, pr->cap * sizeof *pr->v);
	}
	p = &pr->v[pr->n++];
	p->file = xstrdup(file);
	p->line = line;
	p->severity = severity;
	p->reason = xmalloc((size_t)n + 1);
	vsnprintf(p->reason, (size_t)n + 1, fmt, ap);
	if (severity == QUESTIONS_ERROR)
		pr->errors++;
	else
		pr->warnings++;
}

void
questions_problems_init(struct questions_problems *pr)
{
	memset(pr, 0, sizeof *pr);
}

void
questions_problems_free(struct questions_problems *pr)
{
	for (size_t i = 0; i < pr->n; i++) {
		free(pr->v[i].file);
		free(pr->v[i].reason);
	}
	free(pr->v);
	memset(pr, 0, sizeof *pr);
}

void
questions_problems_add(struct questions_problems *pr, const char *file,
    unsigned line, enum questions_severity severity, const char *fmt, ...)
{
	va_list	ap;

	va_start(ap, fmt);
	questions_problems_vadd(pr, file, line, severity, fmt, ap);
	va_end(ap);
}

void
questions_problems_print(const struct questions_problems *pr, FILE *out)
{
	for (size_t i = 0; i < pr->n; i++) {
		const struct questions_problem *p = &pr->v[i];
		const char *w = p->severity == QUESTIONS_WARNING ?
		    "warning: " : "";

		if (p->line > 0)
			fprintf(out, "%s:%u: %s%s\n", p->file, p->line, w,
			    p->reason);
		else
			fprintf(out, "%s: %s%s\n", p->file, w, p->reason);
	}
}
