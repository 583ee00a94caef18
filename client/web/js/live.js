/*
 * live.js — one live interview's controller, without the DOM (the
 * terminal's live.c and live_send.c): the session model fed by pushes and
 * session.get, the outbox flushed whenever the connection allows, and the
 * interviewer's and candidate's requests. The screen (interview.js)
 * subscribes and draws; node tests drive this with a fake connection.
 */
import { applyPush, applySession, applyPage, addNote, addChat, createModel }
    from './session.js';
import { noteRequest, chatRequest } from './outbox.js';

/* Never resend sooner than this after the server said to slow down. */
const MIN_RESEND_MS = 1000;
/* Writes are answered once committed; a long wait is still no failure. */
const WRITE_MS = 30000;
/* Codes after which a note or message is sent again rather than dropped. */
const AGAIN = new Set(['rate_limited', 'disconnected', 'timeout', 'offline',
	'internal']);

export class Live {
	/*
	 * net: {ready, request(type, fields, opts)}; outbox: shared Outbox;
	 * persist(): save the outbox; me: {id, name}; sid: the session id.
	 */
	constructor({ net, outbox, persist, me, sid }) {
		this.net = net;
		this.outbox = outbox;
		this.persist = persist || (() => {});
		this.model = createModel(me);
		this.model.id = sid;
		this.sid = sid;
		this.listeners = new Set();
		this.resendTimer = null;
		this.loadError = null;
		this.closed = false;
	}

	subscribe(fn) {
		this.listeners.add(fn);
		return () => this.listeners.delete(fn);
	}

	emit(events = []) {
		for (const fn of this.listeners)
			fn(events);
	}

	close() {
		this.closed = true;
		clearTimeout(this.resendTimer);
		this.listeners.clear();
	}

	/* The whole state from the server (after mount, after each auth). */
	async load() {
		try {
			const r = await this.net.request('session.get',
			    { session_id: this.sid });

			if (this.closed)
				return;
			this.loadError = null;
			applySession(this.model, r.session);
			this.settle();
			this.emit([{ kind: 'loaded' }]);
			this.flush();
		} catch (e) {
			if (this.closed)
				return;
			/* A dropped connection reloads on the next auth. */
			if (e.code !== 'disconnected' && e.code !== 'offline' &&
			    e.code !== 'timeout') {
				this.loadError = e;
				this.emit([{ kind: 'load_error' }]);
			}
		}
	}

	/* The server lists what it stored: those leave the outbox. */
	settle() {
		const n = this.outbox.settle(this.sid, this.model.notes) +
		    this.outbox.settle(this.sid, this.model.chat);

		if (n)
			this.persist();
	}

	push(msg) {
		if (this.closed)
			return;
		const ev = applyPush(this.model, msg);

		if (ev === null)
			return;
		if (msg.type === 'note' || msg.type === 'chat' ||
		    msg.type === 'session')
			this.settle();
		this.emit(ev);
		if (msg.type === 'session')
			this.flush();
	}

	linkLost() {
		this.outbox.linkLost();
		this.emit([{ kind: 'link' }]);
	}

	linkBack() {
		this.load();
	}

	/* A note: {item, text?, score?, flag?}. */
	note(fields) {
		this.outbox.add('note', this.sid, fields);
		this.persist();
		this.emit([{ kind: 'outbox' }]);
		this.flush();
	}

	chat(text) {
		this.outbox.add('chat', this.sid, { text });
		this.persist();
		this.emit([{ kind: 'outbox' }]);
		this.flush();
	}

	dismiss(cid) {
		this.outbox.dismiss(cid);
		this.persist();
		this.emit([{ kind: 'outbox' }]);
	}

	later(ms) {
		if (this.resendTimer)
			return;
		this.resendTimer = setTimeout(() => {
			this.resendTimer = null;
			this.flush();
		}, Math.max(MIN_RESEND_MS, ms || 0));
	}

	/* Send everything unsent, in order, when the connection allows. */
	flush() {
		if (this.closed || !this.net.ready || !this.model.loaded)
			return;
		for (const it of this.outbox.takeUnsent(this.sid)) {
			const note = it.kind === 'note';

			this.net.request(note ? 'note.add' : 'chat.send',
			    note ? noteRequest(it) : chatRequest(it),
			    { timeout: WRITE_MS })
			    .then(r => this.acked(it, r), e => this.failed(it, e));
		}
		this.emit([{ kind: 'outbox' }]);
	}

	acked(it, r) {
		if (!this.outbox.ack(it.cid))
			return;
		this.persist();
		if (it.kind === 'note')
			addNote(this.model, { ...it.fields, note_id: r.note_id,
			    at: r.at, client_id: it.cid,
			    score: it.fields.score ?? null,
			    flag: it.fields.flag ?? null,
			    text: it.fields.text ?? '' });
		else
			addChat(this.model, { chat_id: r.chat_id, from:
			    this.model.me.id, username: this.model.me.name,
			    text: it.fields.text, at: r.at, client_id: it.cid });
		this.emit([{ kind: 'acked', item: it }]);
	}

	failed(it, e) {
		if (AGAIN.has(e.code)) {
			this.outbox.retry(it.cid);
			/* A drop is resent after the next auth; others later. */
			if (e.code !== 'disconnected' && e.code !== 'offline')
				this.later(e.retryAfter);
		} else {
			this.outbox.refuse(it.cid, e.message);
		}
		this.persist();
		this.emit([{ kind: 'outbox' }]);
	}

	/* The session's requests: resolve with the reply, or reject. */
	call(type, extra = {}) {
		return this.net.request(type, { session_id: this.sid, ...extra });
	}

	next() {
		return this.call('phase.next');
	}

	end() {
		return this.call('session.end');
	}

	async extend() {
		const r = await this.call('phase.extend');

		this.model.extendedMs = r.extended_ms ?? this.model.extendedMs;
		if (Number.isInteger(r.ends_at))
			this.model.phaseEndsAt = r.ends_at;
		this.emit([{ kind: 'extend' }]);
		return r;
	}

	async swap() {
		const r = await this.call('session.swap');

		this.model.swapPending = r.pending === true;
		this.emit([{ kind: 'swap' }]);
		return r;
	}

	async feedback(rating, text) {
		const f = { rating };

		if (text)
			f.text = text;
		await this.call('feedback.give', f);
		this.model.feedbackSent = true;
		this.emit([{ kind: 'feedback' }]);
	}

	async older(which) {
		const cursor = which === 'chat' ? this.model.chatBefore :
		    this.model.notesBefore;

		if (!cursor)
			return;
		const r = await this.call('session.get',
		    { [`${which}_before`]: cursor });
		applyPage(this.model, r);
		this.emit([{ kind: 'page' }]);
	}
}
