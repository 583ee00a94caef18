/*
 * questions.h — the question-file parser: one plain-text question file (the
 * format is specified in schema/QUESTIONS.md) in, one struct question out,
 * with every problem found collected as FILE:LINE: reason. The parser never
 * prints and never trusts its input: any bytes, any length.
 *
 * The parser is questions.c with questions_solution.c and
 * questions_line.c (sharing questions_int.h); questions_report.c keeps
 * the problem lists, questions_text.c the rule for clean text (UTF-8, no
 * control characters). questions_slug.c owns the naming rules: ids and
 * checklist keys, the category table, the default checklist of each
 * category and the difficulty names, so that the format has exactly one
 * definition.
 */
#ifndef MOCKINT_QUESTIONS_H
#define MOCKINT_QUESTIONS_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Limits on a question file; bigger files and longer lines are rejected. */
#define QUESTIONS_MAX_FILE	(256 * 1024)
#define QUESTIONS_MAX_LINE	(8 * 1024)
/*
 * The most a question's interviewer view may take as JSON: it is sent
 * whole in every `session` push, beside two pages of notes and chat, and
 * all of it must fit in a message a client can take (PROTO_MAX_OUTBOUND).
 */
#define QUESTIONS_MAX_VIEW	(128 * 1024)
/* Problems reported per file before the parser gives up on it. */
#define QUESTIONS_MAX_PROBLEMS	20
/* Longest id and checklist key, in bytes. */
#define QUESTIONS_MAX_ID	64
/* An id and its NUL: every buffer that keeps a question id. */
#define QUESTIONS_ID_SIZE	(QUESTIONS_MAX_ID + 1)
#define QUESTIONS_MAX_KEY	40

enum questions_difficulty {
	QUESTIONS_EASY = 0,
	QUESTIONS_MEDIUM,
	QUESTIONS_HARD,
	QUESTIONS_DIFFICULTY__COUNT
};

/*
 * An error makes the file unusable (the parser returns NULL); a warning
 * leaves a usable question but still fails --check-questions.
 */
enum questions_severity {
	QUESTIONS_ERROR = 0,
	QUESTIONS_WARNING
};

struct questions_problem {
	char			*file;
	unsigned		 line;	/* 0: the problem is about no line */
	enum questions_severity	 severity;
	char			*reason;
};

struct questions_problems {
	struct questions_problem *v;
	size_t			 n;
	size_t			 cap;
	size_t			 errors;
	size_t			 warnings;
};

/*
 * One checklist item, red flag or approach component. text is the part of
 * an approach bullet after "Label:" (NULL elsewhere).
 */
struct questions_item {
	char	*key;
	char	*label;
	char	*text;
};

struct question {
	char			*id;
	char			*file;		/* as given to the parser */
	unsigned		 id_line;	/* where the id came from */
	char			*title;
	char			*company;	/* NULL when absent */
	char			*role;		/* NULL when absent */
	char			*category;	/* as written */
	char			*category_key;	/* canonical: see questions_category_key */
	enum questions_difficulty difficulty;
	char			*round;		/* NULL when absent */
	char			*prompt;
	char			*quick_answer;
	char			*model_answer;	/* "" when the solution is all structure */

	struct questions_item	*approach;
	size_t			 n_approach;
	struct questions_item	*quick_checklist;
	size_t			 n_quick_checklist;
	struct questions_item	*pitfalls;	/* the red flags */
	size_t			 n_pitfalls;

	/* Approach then quick checklist, or the category's default. */
	struct questions_item	*checklist;
	size_t			 n_checklist;
	int			 default_checklist;
};

/* Problem lists. */
void questions_problems_init(struct questions_problems *pr);
void questions_problems_free(struct questions_problems *pr);
/* Append a problem; pr may be NULL (nothing is kept). */
void questions_problems_add(struct questions_problems *pr, const char *file,
    unsigned line, enum questions_severity severity, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void questions_problems_vadd(struct questions_problems *pr, const char *file,
    unsigned line, enum questions_severity severity, const char *fmt,
    va_list ap) __attribute__((format(printf, 5, 0)));
/* "FILE:LINE: reason" (or "FILE:LINE: warning: reason"), one a line. */
void questions_problems_print(const struct questions_problems *pr, FILE *out);

/*
 * Parse buf[0..len) (any bytes) read from file, which names it in reports.
 * Returns NULL when the file has an error; problems go to pr (which may be
 * NULL) either way.
 */
struct question *questions_parse(const char *buf, size_t len, const char *file,
    struct questions_problems *pr);
void questions_free(struct question *q);

/* questions_text_check results. */
enum questions_text {
	QUESTIONS_TEXT_OK = 0,
	QUESTIONS_TEXT_UTF8,		/* invalid UTF-8 */
	QUESTIONS_TEXT_NUL,
	QUESTIONS_TEXT_CONTROL		/* C0 (but tab), DEL or C1 */
};

/*
 * Whether text[0..len) is strict UTF-8 (no overlong forms, surrogates or
 * code points above U+10FFFF) free of control characters other than tab.
 * On a problem, *at is the byte offset of the bad sequence and *cp its
 * code point (for QUESTIONS_TEXT_CONTROL).
 */
int questions_text_check(const char *text, size_t len, size_t *at,
    uint32_t *cp);

/* "easy", "medium", "hard". */
const char *questions_difficulty_name(enum questions_difficulty d);
/* Case-insensitive; -1 when name is none of them. */
int questions_difficulty_parse(const char *name);

/*
 * The canonical key of a category name ("Behavioral & Leadership" ->
 * "behavioral"): a known category's key, or the slug of an unknown name.
 * Returns a new string.
 */
char *questions_category_key(const char *name);
/* Whether key (from questions_category_key) is one of the known ones. */
int questions_category_known(const char *key);
/*
 * The default checklist of a category key: key, label, key, label, ...,
 * NULL. An unknown key gets the general one.
 */
const char *const *questions_default_checklist(const char *category_key);

/*
 * Slugs. questions_slug_key makes a checklist key ("Do you call out
 * stakeholders and how you aligned them?" -> "stakeholders_aligned");
 * questions_slug_id makes a question id from a title. Both return a new
 * string; the rules are in schema/QUESTIONS.md.
 */
char *questions_slug_key(const char *s, size_t len);
char *questions_slug_id(const char *s, size_t len);

#endif
