/*
 * questions_int.h — what the parts of the question-file parser share and
 * nobody else includes: the parse in progress and how it reports a
 * problem (questions.c), the lines of the file and the text joined from
 * them (questions_line.c), and the solution's structured sections
 * (questions_solution.c).
 */
#ifndef MOCKINT_QUESTIONS_INT_H
#define MOCKINT_QUESTIONS_INT_H

#include <stddef.h>

#include "questions.h"

/* One line of the file, as the parser sees it. */
struct line {
	const char	*s;	/* not NUL-terminated */
	size_t		 len;	/* without the "\n" or "\r\n" */
};

/* Text joined from lines (buf_add_line), taken with buf_finish. */
struct buf {
	char	*s;
	size_t	 len;
	size_t	 cap;
};

/* One file being parsed. */
struct parse {
	const char		*file;
	struct questions_problems *pr;
	size_t			 problems;	/* this file's */
	size_t			 errors;	/* this file's */
	int			 gave_up;
	struct line		*lines;
	size_t			 n;
	struct question		*q;
};

/* questions.c */
/*
 * Report a problem in the file being parsed. After QUESTIONS_MAX_PROBLEMS
 * the file is given up on, so garbage cannot flood the report.
 */
void parse_problem(struct parse *p, size_t line,
    enum questions_severity severity, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* questions_solution.c */
/*
 * The solution, from line sol (the "Solution" line; first is the text
 * after "Solution:" on it) to the end of the file: the model answer, the
 * structured sections with their keys, and the checklist they make.
 * category_line is the Category header's line (0: none), for its report.
 */
void parse_solution(struct parse *p, size_t sol, struct line first,
    size_t category_line);
/* Free v[0..n) and the strings of each item. */
void items_free(struct questions_item *v, size_t n);

/* questions_line.c: ASCII-only on purpose, the locale plays no part. */
/* l without the blanks (spaces, tabs) around it. */
struct line line_trim(struct line l);
/* l from byte `from` on, trimmed. */
struct line line_rest(struct line l, size_t from);
/* Whether l starts with pfx, ignoring ASCII case. */
int line_prefix_ci(struct line l, const char *pfx);
/* Whether l is s, ignoring ASCII case. */
int line_equal_ci(struct line l, const char *s);
int line_is_blank(struct line l);
/* A new NUL-terminated copy of l. */
char *line_dup(struct line l);
/*
 * Copy l into dst for quoting in a report, cut at a UTF-8 boundary so a
 * long value does not drown the message. Returns dst, which reports
 * make QUOTE_SIZE bytes.
 */
#define QUOTE_SIZE	72
const char *line_clip(char *dst, size_t size, struct line l);
/* Append l to b, after a newline unless b is empty. */
void buf_add_line(struct buf *b, struct line l);
/*
 * The text in b without leading blank lines and trailing white space;
 * indentation of the first line is kept (it may be code). A new string;
 * b is empty again.
 */
char *buf_finish(struct buf *b);

#endif
