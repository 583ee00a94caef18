/*
 * load_abuse.c — mockint-load's attackers and its bystander (see load.h).
 *
 * --flooders N: N of the paired sessions flood their own session: both
 * sides send chat, and the interviewer notes, of the most text a request
 * may carry, FLOOD_WINDOW of each in flight per connection, the next sent
 * the moment a reply comes back (whatever it says). --guessers N: N
 * authenticated connections that try random room codes, one in flight
 * each, as fast as the replies allow. --bystander: one more connection
 * that pings every BYSTANDER_GAP_MS, under the default request limit, so
 * that its round trip shows what the attacks cost everyone else.
 *
 * What the server answered the attackers is tallied by error code, apart
 * from the honest clients' figures: their senders never include an
 * attacker, and a flooder's chat carries no send time, so the honest
 * relay latency is measured on honest messages only.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "load.h"

#define FLOOD_TEXT	PROTO_MAX_TEXT	/* bytes: the most a text may be */
#define FLOOD_WINDOW	8		/* of each kind in flight */
#define BYSTANDER_GAP_MS 100	/* 10 pings/s: half the default limit */
#define ROOM_CODE_LEN	8

/* mockintd's room codes: no look-alikes (lobby_room.c). */
static const char room_alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

/*
 * What the database may grow by in the window: the per-session limits'
 * defaults (SECURITY.md, "Limits") for the flood; for each honest message
 * its text and the room its row takes beyond it (its other columns, the
 * row and index entries, pages not full: about 100 bytes measured, 256
 * allowed); and the WAL, whose file keeps the largest size it reached:
 * the checkpointer lets it grow to CHECKPOINT_PAGES (1,000 pages of
 * 4 KiB, store/checkpointer.h) and commits go on while it copies.
 */
#define SESSION_CHAT_BYTES	(1024L * 1024)
#define SESSION_NOTE_BYTES	(1024L * 1024)
#define CHAT_ROW_BYTES		256
#define WAL_SLACK_KIB		(2 * 1000 * 4)

static char *
flood_text(void)
{
	static char text[FLOOD_TEXT + 1];

	if (text[0] == '\0') {
		/* No "t<time> s<sender>" prefix: never taken for honest. */
		memset(text, 'f', FLOOD_TEXT);
		text[FLOOD_TEXT] = '\0';
	}
	return text;
}

static void
send_flood(struct client *c, int kind)
{
	static char buf[FLOOD_TEXT + 512];
	int n;

	if (kind == RK_FLOOD_CHAT)
		n = snprintf(buf, sizeof buf, "{\"type\":\"chat.send\",\"id\":"
		    "%lld,\"session_id\":%lld,\"text\":\"%s\"}",
		    (long long)c->next_id, (long long)c->session_id,
		    flood_text());
	else
		n = snprintf(buf, sizeof buf, "{\"type\":\"note.add\",\"id\":"
		    "%lld,\"session_id\":%lld,\"item\":\"%s\",\"text\":\"%s\","
		    "\"client_id\":\"f%d-%llu\"}", (long long)c->next_id,
		    (long long)c->session_id, c->nkeys ?
		    c->keys[c->seq % c->nkeys] : "general", flood_text(),
		    c->idx, (unsigned long long)c->seq);
	c->seq++;
	if (n > 0 && (size_t)n < sizeof buf &&
	    send_request(c, buf, (size_t)n, kind) == 0)
		L.flood.sent++;
}

static void
send_guess(struct client *c)
{
	char buf[128], code[ROOM_CODE_LEN + 1];
	int n;

	for (int i = 0; i < ROOM_CODE_LEN; i++)
		code[i] = room_alphabet[randombytes_uniform(
		    sizeof room_alphabet - 1)];
	code[ROOM_CODE_LEN] = '\0';
	n = snprintf(buf, sizeof buf, "{\"type\":\"room.join\",\"id\":%lld,"
	    "\"code\":\"%s\"}", (long long)c->next_id, code);
	if (send_request(c, buf, (size_t)n, RK_GUESS) == 0)
		L.guess.sent++;
}

/* The first --flooders sessions, by their interviewers' order. */
void
abuse_pick(void)
{
	int left = L.o.flooders;

	for (int i = 0; i < L.o.conns && left > 0; i++) {
		struct client *c = &L.c[i];

		if (!c->ready || c->role != 0 || c->peer < 0 ||
		    c->kind != CK_HONEST || !L.c[c->peer].ready)
			continue;
		c->kind = L.c[c->peer].kind = CK_FLOODER;
		left--;
	}
	if (left > 0)
		fprintf(stderr, "mockint-load: %d of %d flooding sessions "
		    "found\n", L.o.flooders - left, L.o.flooders);
}

static int
up(const struct client *c)
{
	return c->ws != NULL && (c->state == CS_AUTHED ||
	    (c->ready && c->state != CS_CLOSED));
}

void
abuse_start(void)
{
	if (L.o.bystander)
		L.ping_gap_ns = BYSTANDER_GAP_MS * 1000000ULL;
	for (int i = 0; i < L.n; i++) {
		struct client *c = &L.c[i];

		if (!up(c))
			continue;
		if (c->kind == CK_GUESSER)
			send_guess(c);
		for (int k = 0; c->kind == CK_FLOODER && k < FLOOD_WINDOW;
		    k++) {
			send_flood(c, RK_FLOOD_CHAT);
			if (c->role == 0)
				send_flood(c, RK_FLOOD_NOTE);
		}
	}
}

int
abuse_reply(struct client *c, const struct pend *p, json_t *m, int ok)
{
	struct abuse_tally *t;

	switch (p->kind) {
	case RK_FLOOD_CHAT:
	case RK_FLOOD_NOTE:
		t = &L.flood;
		break;
	case RK_GUESS:
		t = &L.guess;
		break;
	default:
		return 0;
	}
	if (ok) {
		t->ok++;
		if (p->kind != RK_GUESS)
			t->ok_bytes += FLOOD_TEXT;
	} else
		t->err[proto_err_from_name(json_string_value(
		    json_object_get(m, "code")))]++;
	/* Whatever the answer, the next one at once, while the window
	 * lasts: an attacker does not wait for retry_after_ms. */
	if (!L.driving || !up(c))
		return 1;
	if (p->kind == RK_GUESS)
		send_guess(c);
	else
		send_flood(c, p->kind);
	return 1;
}

static uint64_t
other_errors(const struct abuse_tally *t, enum proto_err a, enum proto_err b)
{
	uint64_t n = 0;

	for (int i = 0; i <= PROTO_E__COUNT; i++)
		if (i != (int)a && i != (int)b)
			n += t->err[i];
	return n;
}

/*
 * The most the database should have grown by in window w: every flooding
 * session full to its limits, and each honest message acknowledged with
 * its row (the abuse scenario sends no honest notes); -1 without
 * flooders or a database to measure.
 */
long
abuse_db_bound_kib(const struct window *w)
{
	uint64_t honest = w->chat_ok * (uint64_t)(L.o.size + CHAT_ROW_BYTES);

	if (L.o.flooders == 0 || w->db0_kib < 0 || w->db1_kib < 0)
		return -1;
	return (long)(((uint64_t)L.o.flooders * (SESSION_CHAT_BYTES +
	    SESSION_NOTE_BYTES) + honest) / 1024) + WAL_SLACK_KIB;
}

/* A figure of a tally, named as the table says it. */
struct shown {
	const char *name;
	unsigned long long v;
};

#define SHOWN_MAX 6

/* The figures shown of a tally, in the CSV's order; how many. */
static int
tally_shown(const struct abuse_tally *t, int flood, struct shown *out)
{
	enum proto_err refused = flood ? PROTO_E_TOO_LARGE : PROTO_E_NOT_FOUND;
	int n = 0;

	out[n++] = (struct shown){ "sent", t->sent };
	if (flood) {
		out[n++] = (struct shown){ "ok", t->ok };
		out[n++] = (struct shown){ "KiB of text ok", t->ok_bytes / 1024 };
	}
	out[n++] = (struct shown){ proto_err_name(refused), t->err[refused] };
	out[n++] = (struct shown){ "rate_limited",
	    t->err[PROTO_E_RATE_LIMITED] };
	if (!flood)
		out[n++] = (struct shown){ "ok", t->ok };
	out[n++] = (struct shown){ "other", other_errors(t, refused,
	    PROTO_E_RATE_LIMITED) };
	return n;
}

/* A line for people: head, then every figure of t by name. */
static void
print_tally(const char *head, const struct abuse_tally *t, int flood)
{
	struct shown sh[SHOWN_MAX];
	int n = tally_shown(t, flood, sh);

	printf("  %s:", head);
	for (int i = 0; i < n; i++)
		printf("%s %s %llu", i ? "," : "", sh[i].name, sh[i].v);
	printf("\n");
}

/* CSV fields: how many attackers, then the figures of t (or empties). */
static void
csv_tally(int attackers, const struct abuse_tally *t, int flood)
{
	struct shown sh[SHOWN_MAX];
	int n = tally_shown(t, flood, sh);

	if (attackers > 0)
		printf(",%d", attackers);
	else
		printf(",");
	for (int i = 0; i < n; i++)
		if (attackers > 0)
			printf(",%llu", sh[i].v);
		else
			printf(",");
}

void
abuse_print(const struct window *w)
{
	char head[128];
	long bound = abuse_db_bound_kib(w);

	snprintf(head, sizeof head, "flood      %d session(s), %d-byte "
	    "texts, %d in flight per kind", L.o.flooders, FLOOD_TEXT,
	    FLOOD_WINDOW);
	if (L.o.flooders > 0)
		print_tally(head, &L.flood, 1);
	snprintf(head, sizeof head, "guesses    %d connections",
	    L.o.guessers);
	if (L.o.guessers > 0)
		print_tally(head, &L.guess, 0);
	if (L.o.bystander)
		printf("  bystander  a ping every %d ms in the window\n",
		    BYSTANDER_GAP_MS);
	if (w->s0.rss_kib >= 0)
		printf("  growth     server RSS %ld KiB -> %ld KiB (%+ld KiB) "
		    "in the window\n", w->s0.rss_kib, w->s1.rss_kib,
		    w->s1.rss_kib - w->s0.rss_kib);
	if (w->db0_kib >= 0 && w->db1_kib >= 0)
		printf("  database   %ld KiB -> %ld KiB with its WAL (%+ld KiB)"
		    "%s", w->db0_kib, w->db1_kib, w->db1_kib - w->db0_kib,
		    bound >= 0 ? "" : "\n");
	if (bound >= 0)
		printf("; the limits allow %ld KiB\n", bound);
}

/* The CSV's columns db_bound_kib .. guess_other (see load_report.c). */
void
abuse_csv(const struct window *w)
{
	long bound = abuse_db_bound_kib(w);

	if (bound >= 0)
		printf(",%ld", bound);
	else
		printf(",");
	csv_tally(L.o.flooders, &L.flood, 1);
	csv_tally(L.o.guessers, &L.guess, 0);
}
