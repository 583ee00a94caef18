/*
 * outbox.js — notes and chat messages typed here on their way to the
 * server (the terminal's vm_notes.c and live_send.c). Each carries a
 * random client_id chosen once; the server stores a client_id once per
 * session, so an item whose acknowledgement was lost with the connection
 * (or with a reload: the outbox is saved) is simply sent again and never
 * stored twice. States: unsent → inflight → gone (acknowledged), or
 * failed (refused for good, kept so the text is not lost). Pure data.
 */

/* Bounded: a browser that cannot reach the server must not grow forever. */
export const OUTBOX_MAX = 500;

/* 128 random bits as 32 hex digits. */
export function newClientId() {
	const b = new Uint8Array(16);

	globalThis.crypto.getRandomValues(b);
	return [...b].map(x => x.toString(16).padStart(2, '0')).join('');
}

export class Outbox {
	constructor(items = []) {
		/* A reload interrupts whatever was in flight: send it again. */
		this.items = items.filter(it => it && it.cid && it.kind)
		    .map(it => ({ ...it, state: it.state === 'failed' ?
		    'failed' : 'unsent' }));
	}

	static from(json) {
		return new Outbox(Array.isArray(json) ? json : []);
	}

	toJSON() {
		return this.items;
	}

	/* kind 'note' ({item, text, score, flag}) or 'chat' ({text}). */
	add(kind, sid, fields, cid = newClientId()) {
		if (this.items.length >= OUTBOX_MAX)
			throw Object.assign(new Error('too many unsent notes and ' +
			    'messages: wait for the connection'), { code: 'too_large' });
		const it = { kind, sid, cid, fields, state: 'unsent', error: null,
		    at: Date.now() };
		this.items.push(it);
		return it;
	}

	forSession(sid, kind) {
		return this.items.filter(it => it.sid === sid &&
		    (!kind || it.kind === kind));
	}

	byCid(cid) {
		return this.items.find(it => it.cid === cid) || null;
	}

	/* What to send now for session sid: marked inflight. */
	takeUnsent(sid, kinds = ['note', 'chat']) {
		const out = this.items.filter(it => it.sid === sid &&
		    it.state === 'unsent' && kinds.includes(it.kind));

		for (const it of out)
			it.state = 'inflight';
		return out;
	}

	/* The server stored it: it leaves the outbox. */
	ack(cid) {
		const i = this.items.findIndex(it => it.cid === cid);

		if (i < 0)
			return null;
		return this.items.splice(i, 1)[0];
	}

	refuse(cid, message) {
		const it = this.byCid(cid);

		if (it) {
			it.state = 'failed';
			it.error = message || 'refused';
		}
	}

	/* Not now (rate_limited, no answer): send again later. */
	retry(cid) {
		const it = this.byCid(cid);

		if (it && it.state === 'inflight')
			it.state = 'unsent';
	}

	/* The connection dropped: whatever was in flight goes again. */
	linkLost() {
		for (const it of this.items)
			if (it.state === 'inflight')
				it.state = 'unsent';
	}

	dismiss(cid) {
		this.items = this.items.filter(it => it.cid !== cid);
	}

	/*
	 * The server's lists (a session push, a page, a note pushed from
	 * another connection) name client_ids it stored: those are done.
	 * Returns how many left.
	 */
	settle(sid, serverItems) {
		const seen = new Set((serverItems || []).map(x => x?.client_id)
		    .filter(Boolean));
		const n = this.items.length;

		this.items = this.items.filter(it => it.sid !== sid ||
		    it.state === 'failed' || !seen.has(it.cid));
		return n - this.items.length;
	}

	/* How many the server has not acknowledged for sid. */
	pending(sid) {
		return this.items.filter(it => it.sid === sid &&
		    it.state !== 'failed').length;
	}
}

/* The note.add fields for a note in the outbox. */
export function noteRequest(it) {
	const f = { session_id: it.sid, item: it.fields.item, client_id: it.cid };

	if (it.fields.text)
		f.text = it.fields.text;
	if (Number.isInteger(it.fields.score))
		f.score = it.fields.score;
	if (typeof it.fields.flag === 'boolean')
		f.flag = it.fields.flag;
	return f;
}

export function chatRequest(it) {
	return { session_id: it.sid, text: it.fields.text, client_id: it.cid };
}

/*
 * The scores and flags to show: the server's, then ours it has not
 * stored yet, in the order they were made (the latest counts).
 */
export function effectiveMarks(scores, flags, pending) {
	const s = { ...scores }, f = { ...flags };

	for (const it of pending) {
		if (it.kind !== 'note' || it.state === 'failed')
			continue;
		if (Number.isInteger(it.fields.score)) {
			if (it.fields.score === 0)
				delete s[it.fields.item];
			else
				s[it.fields.item] = it.fields.score;
		}
		if (typeof it.fields.flag === 'boolean')
			f[it.fields.item] = it.fields.flag;
	}
	return { scores: s, flags: f };
}
