/*
 * questions_slug.c — the naming rules of the question bank: how a title
 * becomes a question id, how a bullet becomes a checklist key, which
 * category names are known, the default checklist of each category, and
 * the difficulty names.
 * schema/QUESTIONS.md documents every rule here; a change to them changes
 * keys already stored in interview history, so it is a format change.
 */
#include "questions.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "xmalloc.h"

static const char *const difficulty_names[QUESTIONS_DIFFICULTY__COUNT] = {
	[QUESTIONS_EASY] = "easy",
	[QUESTIONS_MEDIUM] = "medium",
	[QUESTIONS_HARD] = "hard",
};

/* Significant words kept in a checklist key. */
#define KEY_WORDS	4

/*
 * Words that carry no meaning in a checklist bullet: English function
 * words plus the verbs checklists are phrased with ("Do you call out ...",
 * "Did you explain ...", "Can you tie ... to ..."), so that the key names
 * what is checked. Words of time and place (before, after, during, over)
 * stay: "During the incident" and "After the incident" must differ.
 * Sorted, for bsearch.
 */
static const char *const stop_words[] = {
	"a", "about", "all", "also", "am", "an", "and", "any", "are", "as",
	"at", "be", "because", "been", "being", "both", "but", "by", "call",
	"can", "could", "describe", "did", "do", "does", "doing", "done",
	"each", "eg", "etc", "explain", "for", "from", "give", "had", "has",
	"have", "having", "he", "her", "here", "hers", "him", "his", "how",
	"i", "ie", "if", "in", "include", "instead", "into", "is", "it",
	"its", "itself", "just", "least", "let", "lets", "like", "make",
	"me", "mention", "more", "most", "my", "of", "on", "one", "only",
	"or", "other", "our", "ours", "out", "same", "say", "she", "should",
	"show", "so", "some", "state", "such", "sure", "than", "that", "the",
	"their", "theirs", "them", "then", "there", "these", "they", "this",
	"those", "tie", "to", "too", "versus", "very", "vs", "was", "we",
	"were", "what", "when", "where", "whether", "which", "while", "who",
	"whom", "whose", "why", "will", "with", "without", "would", "you",
	"your", "yours", "yourself",
};

/*
 * The one table of categories: canonical key, the spellings recognised
 * (as slugs, see category_slug) and the default checklist (key, label
 * pairs) for questions that bring none of their own.
 */
static const char *const dc_behavioral[] = {
	"situation_task", "Sets up the situation and the task",
	"action", "Describes their own actions and decisions",
	"result", "States the result, with numbers",
	"learning", "Names what they learned",
	"ownership", "Shows ownership and judgement",
	"communication", "Answers concisely and in order",
	NULL
};
static const char *const dc_coding[] = {
	"clarifies_problem", "Clarifies the problem, inputs and constraints",
	"approach", "Explains an approach before coding",
	"complexity", "States time and space complexity",
	"correctness", "Writes correct code that handles edge cases",
	"testing", "Tests the code with examples and edge cases",
	"communication", "Thinks aloud and communicates clearly",
	NULL
};
static const char *const dc_system_design[] = {
	"requirements", "Clarifies functional and non-functional requirements",
	"high_level_design", "Proposes a coherent high-level design",
	"data_model", "Defines the data model and the APIs",
	"scaling", "Addresses scale, bottlenecks and failures",
	"trade_offs", "Discusses trade-offs and alternatives",
	"communication", "Drives the discussion and communicates clearly",
	NULL
};
static const char *const dc_technical_communication[] = {
	"audience", "Adapts the explanation to the audience",
	"structure", "Structures the explanation: big picture first",
	"accuracy", "Explains the key concepts accurately",
	"examples", "Uses concrete examples or analogies",
	"trade_offs", "Covers limitations and trade-offs",
	"checks_understanding", "Checks for understanding and takes questions",
	NULL
};
static const char *const dc_general[] = {
	"understands_question", "Understands the question asked",
	"structure", "Gives a structured answer",
	"depth", "Shows depth and accuracy",
	"specifics", "Backs claims with specifics",
	"communication", "Communicates clearly",
	NULL
};

static const struct category {
	const char		*key;
	const char		*spellings[8];
	const char *const	*checklist;
} categories[] = {
	{ "behavioral", { "behavioral", "behavioural", "behavioral_leadership",
	    "behavioural_leadership", "leadership", "leadership_behavioral",
	    NULL }, dc_behavioral },
	{ "coding", { "coding", "algorithms", "data_structures_algorithms",
	    "data_structures_and_algorithms", "algorithms_data_structures",
	    "programming", "live_coding", NULL }, dc_coding },
	{ "system_design", { "system_design", "systems_design",
	    "architecture", NULL }, dc_system_design },
	{ "technical_communication", { "technical_communication",
	    "tech_communication", "communication", NULL },
	    dc_technical_communication },
};

static int
is_alnum(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/* An apostrophe inside a word ("team's"): ASCII ' or U+2019. */
static size_t
apostrophe(const unsigned char *s, size_t len, size_t i)
{
	size_t	n = 0;

	if (s[i] == '\'')
		n = 1;
	else if (len - i >= 3 && s[i] == 0xE2 && s[i + 1] == 0x80 &&
	    s[i + 2] == 0x99)
		n = 3;
	if (n == 0 || i == 0 || !is_alnum(s[i - 1]) || i + n >= len ||
	    !is_alnum(s[i + n]))
		return 0;
	return n;
}

/*
 * The next word of s from *pos, lowercased into tok (cut at size - 1
 * bytes): a run of ASCII letters and digits, apostrophes inside it
 * dropped. Every other byte separates words. Returns its length, 0 at
 * the end.
 */
static size_t
next_word(const char *s, size_t len, size_t *pos, char *tok, size_t size)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t	 i = *pos, n = 0, a;

	while (i < len && !is_alnum(u[i]))
		i++;
	while (i < len) {
		if (is_alnum(u[i])) {
			if (n + 1 < size)
				tok[n++] = (char)(u[i] >= 'A' && u[i] <= 'Z' ?
				    u[i] - 'A' + 'a' : u[i]);
			i++;
		} else if ((a = apostrophe(u, len, i)) > 0)
			i += a;
		else
			break;
	}
	tok[n] = '\0';
	*pos = i;
	return n;
}

static int
cmp_word(const void *a, const void *b)
{
	return strcmp(a, *(const char *const *)b);
}

static int
insignificant(const char *w, size_t len)
{
	size_t	digits = strspn(w, "0123456789");

	/* One letter ("e.g." splits into two), or a bare number. */
	if (len == 1 || digits == len)
		return 1;
	return bsearch(w, stop_words, sizeof stop_words / sizeof stop_words[0],
	    sizeof stop_words[0], cmp_word) != NULL;
}

/*
 * Join the words of s with sep: at most max_words of them (0: no limit),
 * at most max_len bytes (a word that does not fit ends the slug; a first
 * word that does not fit is cut), stop words dropped when asked.
 */
static char *
slug(const char *s, size_t len, char sep, int drop, size_t max_words,
    size_t max_len)
{
	char	 tok[QUESTIONS_ID_SIZE];
	char	*out = xmalloc(max_len + 1);
	size_t	 pos = 0, n = 0, words = 0, wl;

	while ((wl = next_word(s, len, &pos, tok, sizeof tok)) > 0) {
		if (drop && insignificant(tok, wl))
			continue;
		if (max_words > 0 && words == max_words)
			break;
		if (n + (words > 0) + wl > max_len) {
			if (words == 0) {
				memcpy(out, tok, max_len);
				n = max_len;
			}
			break;
		}
		if (words > 0)
			out[n++] = sep;
		memcpy(out + n, tok, wl);
		n += wl;
		words++;
	}
	out[n] = '\0';
	return out;
}

char *
questions_slug_key(const char *s, size_t len)
{
	char	*k;

	k = slug(s, len, '_', 1, KEY_WORDS, QUESTIONS_MAX_KEY);
	if (k[0] == '\0') {
		/* Only stop words: keep them rather than lose the label. */
		free(k);
		k = slug(s, len, '_', 0, KEY_WORDS, QUESTIONS_MAX_KEY);
	}
	if (k[0] == '\0') {
		/* No ASCII word at all; the duplicate rule numbers them. */
		free(k);
		k = xstrdup("item");
	}
	return k;
}

char *
questions_slug_id(const char *s, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	char	*id;

	id = slug(s, len, '-', 0, 0, QUESTIONS_MAX_ID);
	if (id[0] != '\0')
		return id;
	free(id);
	/* A title with no ASCII word: FNV-1a of its bytes. */
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 0x100000001b3ULL;
	}
	return xasprintf("q-%016llx", (unsigned long long)h);
}

static const struct category *
category_find(const char *key)
{
	for (size_t i = 0; i < sizeof categories / sizeof categories[0]; i++)
		if (strcmp(categories[i].key, key) == 0)
			return &categories[i];
	return NULL;
}

char *
questions_category_key(const char *name)
{
	char	*s = slug(name, strlen(name), '_', 0, 0, QUESTIONS_MAX_ID);

	for (size_t i = 0; i < sizeof categories / sizeof categories[0]; i++) {
		const struct category *c = &categories[i];

		for (size_t k = 0; c->spellings[k] != NULL; k++)
			if (strcmp(c->spellings[k], s) == 0) {
				free(s);
				return xstrdup(c->key);
			}
	}
	return s;
}

int
questions_category_known(const char *key)
{
	return category_find(key) != NULL;
}

const char *const *
questions_default_checklist(const char *category_key)
{
	const struct category *c = category_find(category_key);

	return c != NULL ? c->checklist : dc_general;
}

const char *
questions_difficulty_name(enum questions_difficulty d)
{
	if ((unsigned)d >= QUESTIONS_DIFFICULTY__COUNT)
		return "medium";
	return difficulty_names[d];
}

int
questions_difficulty_parse(const char *name)
{
	size_t	len;

	/* Surrounding blanks are tolerated, as in a header value. */
	name += strspn(name, " \t");
	len = strlen(name);
	while (len > 0 && (name[len - 1] == ' ' || name[len - 1] == '\t'))
		len--;
	for (int d = 0; d < QUESTIONS_DIFFICULTY__COUNT; d++)
		if (strlen(difficulty_names[d]) == len &&
		    strncasecmp(name, difficulty_names[d], len) == 0)
			return d;
	return -1;
}
