/*
 * bank.c — the question bank in memory (see bank.h): loading a directory
 * with bounded reads, the --check-questions report, question choice and
 * the JSON views of a question. Parsing is questions.c's business; the
 * SQLite copy is store_questions.c's.
 */
#include "bank.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "xmalloc.h"

struct bank {
	struct question	**v;
	size_t		  n;
	size_t		  cap;
	atomic_int	  refs;		/* bank_ref/bank_unref */
};

/* A question file's name ends so; other files in the directory are not
 * read. */
#define QUESTION_SUFFIX		".txt"
#define QUESTION_SUFFIX_LEN	(sizeof QUESTION_SUFFIX - 1)

/* The choice order of bank_choose: what each step gives up. */
#define R	BANK_RELAXED_ROUND
#define C	BANK_RELAXED_COMPANY
#define D	BANK_RELAXED_DIFFICULTY
#define K	BANK_RELAXED_CATEGORY
#define S	BANK_RELAXED_SEEN
static const unsigned choose_steps[] = {
	0, R, R | C, R | C | D,
	S, S | R, S | R | C, S | R | C | D,
	R | C | D | K, S | R | C | D | K,
};
#undef R
#undef C
#undef D
#undef K
#undef S

struct bank *
bank_new(void)
{
	struct bank *b = xcalloc(1, sizeof(struct bank));

	atomic_init(&b->refs, 1);
	return b;
}

struct bank *
bank_ref(struct bank *b)
{
	if (b != NULL)
		atomic_fetch_add(&b->refs, 1);
	return b;
}

void
bank_unref(struct bank *b)
{
	if (b != NULL && atomic_fetch_sub(&b->refs, 1) == 1)
		bank_free(b);
}

/* The bank in service (see bank.h): the loop thread's alone. */
static struct bank *current;

struct bank *
bank_current(void)
{
	return current;
}

void
bank_install(struct bank *b)
{
	struct bank *old = current;

	current = b;
	bank_unref(old);
}

void
bank_free(struct bank *b)
{
	if (b == NULL)
		return;
	for (size_t i = 0; i < b->n; i++)
		questions_free(b->v[i]);
	free(b->v);
	free(b);
}

int
bank_add(struct bank *b, struct question *q, struct questions_problems *pr)
{
	const struct question *old = bank_find(b, q->id);

	if (old != NULL) {
		if (pr != NULL)
			questions_problems_add(pr, q->file, q->id_line,
			    QUESTIONS_ERROR, "duplicate id '%s' (already used "
			    "by %s:%u); skipped; give one of them an 'Id:' "
			    "header", q->id, old->file, old->id_line);
		questions_free(q);
		return -1;
	}
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 32;
		b->v = xrealloc(b->v, b->cap * sizeof *b->v);
	}
	b->v[b->n++] = q;
	return 0;
}

size_t
bank_count(const struct bank *b)
{
	return b != NULL ? b->n : 0;
}

const struct question *
bank_at(const struct bank *b, size_t i)
{
	return b != NULL && i < b->n ? b->v[i] : NULL;
}

const struct question *
bank_find(const struct bank *b, const char *id)
{
	for (size_t i = 0; i < b->n; i++)
		if (strcmp(b->v[i]->id, id) == 0)
			return b->v[i];
	return NULL;
}

/*
 * Whether q's interviewer view is over QUESTIONS_MAX_VIEW bytes as JSON
 * (reported): it goes out whole in every `session` push and history.get,
 * which must stay within what a client can take (PROTO_MAX_OUTBOUND).
 */
static int
too_big_to_send(const struct question *q, const char *path,
    struct questions_problems *pr)
{
	json_t *v = bank_view_interviewer(q);
	size_t n = json_dumpb(v, NULL, 0, JSON_COMPACT);

	json_decref(v);
	if (n <= QUESTIONS_MAX_VIEW)
		return 0;
	questions_problems_add(pr, path, 0, QUESTIONS_ERROR, "the question "
	    "is too long to send: %zu bytes as JSON, at most %d", n,
	    QUESTIONS_MAX_VIEW);
	return 1;
}

struct question *
bank_read_file(const char *path, struct questions_problems *pr)
{
	struct question	*q = NULL;
	struct stat	 sb;
	char		*buf = NULL;
	size_t		 len = 0;
	ssize_t		 r;
	int		 fd;

	/* O_NONBLOCK: a FIFO named *.txt must not hang the server. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)) == -1) {
		questions_problems_add(pr, path, 0, QUESTIONS_ERROR,
		    "cannot open: %s", strerror(errno));
		return NULL;
	}
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode)) {
		questions_problems_add(pr, path, 0, QUESTIONS_ERROR,
		    "not a regular file");
		goto out;
	}
	if (sb.st_size > QUESTIONS_MAX_FILE) {
		questions_problems_add(pr, path, 1, QUESTIONS_ERROR,
		    "file too large (%lld bytes; the limit is %d)",
		    (long long)sb.st_size, QUESTIONS_MAX_FILE);
		goto out;
	}
	/* One byte more than the limit, to notice a file that grew. */
	buf = xmalloc(QUESTIONS_MAX_FILE + 1);
	while (len <= QUESTIONS_MAX_FILE) {
		r = read(fd, buf + len, QUESTIONS_MAX_FILE + 1 - len);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			questions_problems_add(pr, path, 0, QUESTIONS_ERROR,
			    "cannot read: %s", strerror(errno));
			goto out;
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	q = questions_parse(buf, len, path, pr);
	if (q != NULL && too_big_to_send(q, path, pr)) {
		questions_free(q);
		q = NULL;
	}
out:
	free(buf);
	close(fd);
	return q;
}

static int
cmp_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* bank_load, also counting the question files seen. */
static struct bank *
load_dir(const char *dir, struct questions_problems *pr, size_t *nfiles)
{
	struct bank	*b = NULL;
	DIR		*d;
	struct dirent	*de;
	char		**names = NULL, *path;
	size_t		 n = 0, cap = 0, dl = strlen(dir);

	*nfiles = 0;
	if ((d = opendir(dir)) == NULL) {
		questions_problems_add(pr, dir, 0, QUESTIONS_ERROR,
		    "cannot read directory: %s", strerror(errno));
		return NULL;
	}
	while ((de = readdir(d)) != NULL) {
		size_t l = strlen(de->d_name);

		if (de->d_name[0] == '.' || l <= QUESTION_SUFFIX_LEN ||
		    strcmp(de->d_name + l - QUESTION_SUFFIX_LEN,
		    QUESTION_SUFFIX) != 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = xrealloc(names, cap * sizeof *names);
		}
		names[n++] = xstrdup(de->d_name);
	}
	closedir(d);
	if (n > 0)
		qsort(names, n, sizeof *names, cmp_names);

	while (dl > 1 && dir[dl - 1] == '/')
		dl--;
	b = bank_new();
	for (size_t i = 0; i < n; i++) {
		struct question *q;

		path = xasprintf("%.*s/%s", (int)dl, dir, names[i]);
		if ((q = bank_read_file(path, pr)) != NULL)
			bank_add(b, q, pr);
		free(path);
		free(names[i]);
	}
	free(names);
	*nfiles = n;
	return b;
}

struct bank *
bank_load(const char *dir, struct questions_problems *pr)
{
	size_t	nfiles;

	return load_dir(dir, pr, &nfiles);
}

struct tally {
	const char	*name;
	size_t		 count;
};

static int
cmp_tally(const void *a, const void *b)
{
	return strcmp(((const struct tally *)a)->name,
	    ((const struct tally *)b)->name);
}

int
bank_check_dir(const char *dir, FILE *out)
{
	struct questions_problems pr;
	struct bank	*b;
	struct tally	*cats = NULL;
	size_t		 ncats = 0, nfiles, diff[QUESTIONS_DIFFICULTY__COUNT] = { 0 };
	int		 rc = 1;

	questions_problems_init(&pr);
	b = load_dir(dir, &pr, &nfiles);
	questions_problems_print(&pr, out);
	if (b == NULL)
		goto out;
	if (nfiles == 0) {
		fprintf(out, "%s: no question files (*" QUESTION_SUFFIX ")\n",
		    dir);
		goto out;
	}
	cats = xcalloc(b->n + 1, sizeof *cats);
	for (size_t i = 0; i < b->n; i++) {
		const struct question *q = b->v[i];
		size_t k;

		diff[q->difficulty]++;
		for (k = 0; k < ncats; k++)
			if (strcmp(cats[k].name, q->category_key) == 0)
				break;
		if (k == ncats)
			cats[ncats++].name = q->category_key;
		cats[k].count++;
	}
	if (ncats > 0)
		qsort(cats, ncats, sizeof *cats, cmp_tally);
	fprintf(out, "%s: %zu question file%s, %zu loaded, %zu rejected; "
	    "%zu error%s, %zu warning%s\n", dir, nfiles, nfiles == 1 ? "" : "s",
	    b->n, nfiles - b->n, pr.errors, pr.errors == 1 ? "" : "s",
	    pr.warnings, pr.warnings == 1 ? "" : "s");
	fprintf(out, "by category:\n");
	for (size_t k = 0; k < ncats; k++)
		fprintf(out, "  %-28s %zu\n", cats[k].name, cats[k].count);
	fprintf(out, "by difficulty:\n");
	for (int d = 0; d < QUESTIONS_DIFFICULTY__COUNT; d++)
		fprintf(out, "  %-28s %zu\n", questions_difficulty_name(
		    (enum questions_difficulty)d), diff[d]);
	if (pr.n == 0)
		rc = 0;
out:
	free(cats);
	bank_free(b);
	questions_problems_free(&pr);
	return rc;
}

/*
 * Whether two names are the same once case and everything but ASCII
 * letters, digits and non-ASCII bytes are ignored: "Technical Screen"
 * matches "technical-screen".
 */
static int
name_char(const char **p)
{
	unsigned char c;

	while ((c = (unsigned char)**p) != '\0' && c < 0x80 &&
	    !((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9')))
		(*p)++;
	if (c == '\0')
		return -1;
	(*p)++;
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

static int
same_name(const char *a, const char *b)
{
	int	ca, cb;

	do {
		ca = name_char(&a);
		cb = name_char(&b);
		if (ca != cb)
			return 0;
	} while (ca != -1);
	return 1;
}

/* A well-mixed 64-bit value from a seed (SplitMix64's finaliser). */
static uint64_t
mix(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

static int
given(const char *s)
{
	return s != NULL && s[0] != '\0';
}

const struct question *
bank_choose(const struct bank *b, const struct bank_prefs *prefs,
    const char *const *seen_ids, size_t n_seen, uint64_t seed,
    unsigned *relaxed)
{
	const struct question	*chosen = NULL;
	struct bank_prefs	 p = { NULL, NULL, NULL, NULL };
	unsigned char		*seen = NULL;
	size_t			*cand = NULL;
	char			*cat = NULL;
	unsigned		 want = 0;
	int			 diff = -1;

	if (relaxed != NULL)
		*relaxed = 0;
	if (b->n == 0)
		return NULL;
	if (prefs != NULL)
		p = *prefs;
	if (given(p.category)) {
		want |= BANK_RELAXED_CATEGORY;
		cat = questions_category_key(p.category);
	}
	if (given(p.difficulty)) {
		/* An unknown difficulty matches nothing and is given up. */
		want |= BANK_RELAXED_DIFFICULTY;
		diff = questions_difficulty_parse(p.difficulty);
	}
	if (given(p.company))
		want |= BANK_RELAXED_COMPANY;
	if (given(p.round))
		want |= BANK_RELAXED_ROUND;

	seen = xcalloc(b->n, 1);
	for (size_t i = 0; i < b->n; i++)
		for (size_t k = 0; k < n_seen && !seen[i]; k++)
			if (seen_ids[k] != NULL &&
			    strcmp(seen_ids[k], b->v[i]->id) == 0)
				seen[i] = 1;

	cand = xcalloc(b->n, sizeof *cand);
	for (size_t s = 0; s < sizeof choose_steps / sizeof choose_steps[0];
	    s++) {
		unsigned step = choose_steps[s], check = want & ~step;
		size_t	 nc = 0;

		for (size_t i = 0; i < b->n; i++) {
			const struct question *q = b->v[i];

			if (seen[i] && !(step & BANK_RELAXED_SEEN))
				continue;
			if ((check & BANK_RELAXED_CATEGORY) &&
			    strcmp(q->category_key, cat) != 0)
				continue;
			if ((check & BANK_RELAXED_DIFFICULTY) &&
			    (int)q->difficulty != diff)
				continue;
			if ((check & BANK_RELAXED_COMPANY) &&
			    (q->company == NULL ||
			    !same_name(q->company, p.company)))
				continue;
			if ((check & BANK_RELAXED_ROUND) && (q->round == NULL ||
			    !same_name(q->round, p.round)))
				continue;
			cand[nc++] = i;
		}
		if (nc > 0) {
			chosen = b->v[cand[mix(seed) % nc]];
			if (relaxed != NULL)
				*relaxed = step & (want | BANK_RELAXED_SEEN);
			break;
		}
	}
	free(cand);
	free(seen);
	free(cat);
	return chosen;
}

/* JSON views. */

static json_t *
str_or_null(const char *s)
{
	return s != NULL ? json_string(s) : json_null();
}

static json_t *
items_json(const struct questions_item *v, size_t n, int with_text)
{
	json_t	*a = json_array();

	for (size_t i = 0; i < n; i++) {
		json_t *o = json_object();

		json_object_set_new(o, "key", json_string(v[i].key));
		json_object_set_new(o, "label", json_string(v[i].label));
		if (with_text)
			json_object_set_new(o, "text",
			    json_string(v[i].text != NULL ? v[i].text : ""));
		json_array_append_new(a, o);
	}
	return a;
}

json_t *
bank_view_candidate(const struct question *q)
{
	json_t	*o = json_object();

	json_object_set_new(o, "id", json_string(q->id));
	json_object_set_new(o, "title", json_string(q->title));
	json_object_set_new(o, "prompt", json_string(q->prompt));
	json_object_set_new(o, "category", json_string(q->category));
	json_object_set_new(o, "category_key", json_string(q->category_key));
	json_object_set_new(o, "difficulty",
	    json_string(questions_difficulty_name(q->difficulty)));
	json_object_set_new(o, "company", str_or_null(q->company));
	json_object_set_new(o, "role", str_or_null(q->role));
	json_object_set_new(o, "round", str_or_null(q->round));
	return o;
}

/* The candidate's keys: an allow-list, so that a field added to the
 * interviewer's view later can never reach a candidate by default. */
static const char *const candidate_keys[] = { "id", "title", "prompt",
	"category", "category_key", "difficulty", "company", "role", "round",
	NULL };

json_t *
bank_view_candidate_of(const json_t *interviewer)
{
	json_t *c = json_object();

	for (const char *const *k = candidate_keys; *k != NULL; k++) {
		json_t *v = json_object_get(interviewer, *k);

		if (v != NULL)
			json_object_set(c, *k, v);
	}
	return c;
}

json_t *
bank_view_interviewer(const struct question *q)
{
	json_t	*o = bank_view_candidate(q), *pit = json_array();

	json_object_set_new(o, "quick_answer", json_string(q->quick_answer));
	json_object_set_new(o, "model_answer", json_string(q->model_answer));
	json_object_set_new(o, "approach",
	    items_json(q->approach, q->n_approach, 1));
	json_object_set_new(o, "checklist",
	    items_json(q->checklist, q->n_checklist, 0));
	json_object_set_new(o, "default_checklist",
	    json_boolean(q->default_checklist));
	json_object_set_new(o, "red_flags",
	    items_json(q->pitfalls, q->n_pitfalls, 0));
	for (size_t i = 0; i < q->n_pitfalls; i++)
		json_array_append_new(pit, json_string(q->pitfalls[i].label));
	json_object_set_new(o, "pitfalls", pit);
	return o;
}
