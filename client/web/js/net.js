/*
 * net.js — the WebSocket to mockintd, speaking mockint.v1 (PROTOCOL.md):
 * requests matched to replies by id, pushes handed on, and a connection
 * that comes back by itself. After each (re)connection the app's onOpen
 * (auth with the saved token) runs before anything else is sent; requests
 * made meanwhile wait for it, up to their timeout. Silence is noticed: a
 * ping every 15 s that gets no answer in 10 s drops the connection (a
 * server that died without closing it), and a retry follows with backoff.
 */

export const REPLY_MS = 15000;
const PING_EVERY_MS = 15000;
const PING_TIMEOUT_MS = 10000;
const BACKOFF_FIRST_MS = 500;
/* Shorter than the terminal's 15 s: a person looks at this page. */
export const BACKOFF_MAX_MS = 8000;
const JITTER_MS = 250;

/* 0.5 s, 1, 2, 4, then 8; a little jitter so that clients do not move
 * in step after a restart. */
export function backoffMs(attempt, rand = Math.random) {
	const base = Math.min(BACKOFF_MAX_MS,
	    BACKOFF_FIRST_MS * 2 ** Math.min(10, Math.max(0, attempt - 1)));

	return base + Math.floor(rand() * JITTER_MS);
}

export class ReplyError extends Error {
	constructor(code, message, extra = {}) {
		super(message || code);
		this.code = code;
		this.retryAfter = Number.isInteger(extra.retry_after_ms) ?
		    extra.retry_after_ms : null;
	}
}

export function wsUrl(loc) {
	return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}/`;
}

export class Net {
	/*
	 * hooks: onOpen(net) async, before the connection counts as online;
	 * onPush(msg); onLink(state, info) with state 'connecting', 'online'
	 * or 'reconnecting' (info: {attempt, retryAt}); onServerTime(t, local).
	 */
	constructor(url, hooks) {
		this.url = url;
		this.hooks = hooks;
		this.ws = null;
		this.ready = false;
		this.stopped = false;
		this.nextId = 1;
		this.pending = new Map();
		this.waiting = [];
		this.attempt = 0;
		this.retryTimer = null;
		this.pingTimer = null;
		this.link = 'connecting';
	}

	start() {
		this.stopped = false;
		this.connect();
	}

	setLink(state, info = {}) {
		this.link = state;
		this.hooks.onLink?.(state, info);
	}

	connect() {
		clearTimeout(this.retryTimer);
		this.retryTimer = null;
		let ws;
		try {
			ws = new WebSocket(this.url, 'mockint.v1');
		} catch (e) {
			this.lost(ws);
			return;
		}
		this.ws = ws;
		ws.onopen = () => this.opened(ws);
		ws.onmessage = ev => this.received(ws, ev.data);
		ws.onclose = () => this.lost(ws);
		ws.onerror = () => {};
	}

	async opened(ws) {
		try {
			await this.hooks.onOpen?.(this);
		} catch (e) {
			/* The connection went, or auth could not be asked: retry. */
			if (this.ws === ws)
				ws.close();
			return;
		}
		if (this.ws !== ws || ws.readyState !== WebSocket.OPEN)
			return;
		this.attempt = 0;
		this.ready = true;
		this.setLink('online');
		this.pingTimer = setInterval(() => this.keepalive(ws),
		    PING_EVERY_MS);
		for (const w of this.waiting.splice(0))
			this.send(w);
	}

	keepalive(ws) {
		this.request('ping', {}, { timeout: PING_TIMEOUT_MS })
		    .catch(e => {
			if (e.code === 'timeout' && this.ws === ws)
				this.lost(ws);
		});
	}

	received(ws, data) {
		let msg;
		try {
			msg = JSON.parse(data);
		} catch {
			return;
		}
		if (!msg || typeof msg !== 'object')
			return;
		if (Number.isInteger(msg.server_time))
			this.hooks.onServerTime?.(msg.server_time, performance.now());
		if ('re' in msg && (msg.type === 'ok' || msg.type === 'error')) {
			const p = this.pending.get(msg.re);

			if (!p)
				return;
			this.pending.delete(msg.re);
			clearTimeout(p.timer);
			if (msg.type === 'ok')
				p.resolve(msg);
			else
				p.reject(new ReplyError(msg.code, msg.message, msg));
			return;
		}
		this.hooks.onPush?.(msg);
	}

	/* The connection is gone (closed, or silent): keep going later. */
	lost(ws) {
		if (ws && this.ws !== ws)
			return;
		if (this.ws) {
			this.ws.onopen = this.ws.onmessage = this.ws.onclose = null;
			if (this.ws.readyState <= WebSocket.OPEN)
				this.ws.close();
		}
		this.ws = null;
		this.ready = false;
		clearInterval(this.pingTimer);
		for (const p of this.pending.values()) {
			clearTimeout(p.timer);
			p.reject(new ReplyError('disconnected',
			    'the connection to the server was lost'));
		}
		this.pending.clear();
		if (this.stopped)
			return;
		this.attempt++;
		const delay = backoffMs(this.attempt);
		this.setLink('reconnecting', { attempt: this.attempt,
		    retryAt: Date.now() + delay });
		this.retryTimer = setTimeout(() => this.connect(), delay);
	}

	/* Try at once (the user asked, or the browser is back online). */
	retryNow() {
		if (this.ws === null && !this.stopped && this.retryTimer) {
			clearTimeout(this.retryTimer);
			this.connect();
		}
	}

	send(w) {
		const id = this.nextId++;

		if (!this.ws || this.ws.readyState !== WebSocket.OPEN) {
			w.reject(new ReplyError('disconnected', 'not connected'));
			return;
		}
		clearTimeout(w.timer);
		w.timer = setTimeout(() => {
			this.pending.delete(id);
			w.reject(new ReplyError('timeout',
			    'no answer from the server'));
		}, w.timeout);
		this.pending.set(id, w);
		this.ws.send(JSON.stringify({ ...w.fields, type: w.type, id }));
	}

	/*
	 * Resolves with the ok reply, rejects with a ReplyError (code from
	 * the error reply, or 'disconnected', 'timeout', 'offline').
	 * opts.gate false: send now, before onOpen finished (auth itself).
	 */
	request(type, fields = {}, opts = {}) {
		const timeout = opts.timeout ?? REPLY_MS;

		return new Promise((resolve, reject) => {
			const w = { type, fields: fields || {}, resolve, reject,
			    timeout, timer: null };

			if (this.ready || opts.gate === false) {
				this.send(w);
				return;
			}
			this.waiting.push(w);
			w.timer = setTimeout(() => {
				this.waiting = this.waiting.filter(x => x !== w);
				reject(new ReplyError('offline', 'not connected to ' +
				    'the server; try again when the connection is back'));
			}, timeout);
		});
	}

	stop() {
		this.stopped = true;
		clearTimeout(this.retryTimer);
		this.lost(this.ws);
	}
}
