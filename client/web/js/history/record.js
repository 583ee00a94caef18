/*
 * record.js — one session's whole record: history.get, then the older
 * pages of its notes and chat (PROTOCOL.md, "Pages of notes and chat":
 * the reply holds the newest page; notes_before/chat_before is the cursor
 * of the page before), put in front until the first item, as the
 * terminal client does (client/cmd/cmd-history.c fetch_older). Bounded:
 * at most MAX_PAGES more pages of each list; past that the record says
 * how much it holds and the page shows that it was cut.
 *
 * Pure over a request function (ctx.request), so that node tests drive
 * it with a fake server (tests/web/unit-record.test.mjs).
 */

/*
 * Pages of one list fetched after the first. A page holds up to 64 KiB
 * of items, so 200 pages are 12 MiB — ten times the default per-session
 * limit of notes (1 MiB) or chat; an operator's larger limits are the
 * only way to reach it.
 */
export const MAX_PAGES = 200;
/* Times a request refused with rate_limited is tried again. */
export const MAX_RETRIES = 5;
/* The wait when a rate_limited reply does not say (retry_after_ms). */
export const RETRY_MS = 1000;

const LISTS = ['notes', 'chat'];

/* Thrown when the caller stopped wanting the record (left the page). */
export class Cancelled extends Error {
	constructor() {
		super('cancelled');
		this.code = 'cancelled';
	}
}

const defaultSleep = ms => new Promise(resolve => setTimeout(resolve, ms));

/*
 * request(type, fields), tried again while the server says rate_limited
 * (the 20-a-second limit is easy to reach paging a long record), waiting
 * what it asks; opts.alive() false stops it.
 */
async function call(request, type, fields, opts) {
	const sleep = opts.sleep || defaultSleep;
	for (let tries = 0; ; tries++) {
		if (opts.alive && !opts.alive())
			throw new Cancelled();
		try {
			return await request(type, fields);
		} catch (e) {
			if (e?.code !== 'rate_limited' || tries >= MAX_RETRIES)
				throw e;
			const wait = e.retryAfter ?? e.retry_after_ms;
			await sleep(Number.isInteger(wait) && wait > 0 ? wait : RETRY_MS);
		}
	}
}

/*
 * The older pages of h[list] put in front of it. Returns null when the
 * list is whole, else {loaded, total} when MAX_PAGES ran out first (the
 * record's cursor then still points at what is missing).
 */
async function fetchOlder(request, h, id, list, opts) {
	const cursor = `${list}_before`;
	const maxPages = opts.maxPages ?? MAX_PAGES;
	if (!Array.isArray(h[list]))
		h[list] = [];
	for (let pages = 0; Number.isInteger(h[cursor]); pages++) {
		if (pages >= maxPages)
			return { loaded: h[list].length, total: h[`${list}_total`] };
		const page = await call(request, 'history.get',
		    { session_id: id, [cursor]: h[cursor] }, opts);
		const older = page?.[list];
		/* Each page holds at least one item, and its cursor moves back:
		 * anything else would loop for ever. */
		if (!Array.isArray(older) || older.length === 0 ||
		    page[cursor] === h[cursor])
			throw new Error(`a page of the ${list} was empty`);
		h[list] = older.concat(h[list]);
		h[cursor] = page[cursor] ?? null;
	}
	return null;
}

/*
 * The record of session id: resolves with {record, cut}, record the
 * history.get reply with every page of notes and chat, cut {notes, chat}
 * each null or {loaded, total}. Rejects with the request's error (.code
 * not_found for a session that is not the user's), or Cancelled.
 * opts: alive() (false: stop), maxPages, sleep(ms) (tests).
 */
export async function fetchRecord(request, id, opts = {}) {
	const record = await call(request, 'history.get', { session_id: id },
	    opts);
	const cut = {};
	for (const list of LISTS)
		cut[list] = await fetchOlder(request, record, id, list, opts);
	return { record, cut };
}
