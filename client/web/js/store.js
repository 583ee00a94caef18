/*
 * store.js — what the browser keeps between visits: the login (token and
 * who it is) in localStorage, as the issue says; the drafts of notes and
 * chat, and the outbox of what the server has not acknowledged, in
 * localStorage too, so that a reload or a crash of the tab loses nothing
 * typed. Storage may be disabled or full: then the app still works, it
 * only forgets on reload.
 */

const TOKEN = 'mockint.token';
const USER = 'mockint.user';
const OUTBOX = 'mockint.outbox.';
const DRAFT = 'mockint.draft.';
/* Where to go after signing in (a room link opened signed out). */
const AFTER = 'mockint.after';
const QUEUE = 'mockint.queue';

function get(area, k) {
	try {
		return area.getItem(k);
	} catch {
		return null;
	}
}

function put(area, k, v) {
	try {
		if (v === null || v === undefined || v === '')
			area.removeItem(k);
		else
			area.setItem(k, v);
	} catch {
		/* Full or disabled: only the memory of this page remains. */
	}
}

function getJSON(area, k) {
	try {
		return JSON.parse(get(area, k) ?? 'null');
	} catch {
		return null;
	}
}

export function loadLogin() {
	const token = get(localStorage, TOKEN);
	const user = getJSON(localStorage, USER);

	return token ? { token, user: user && typeof user === 'object' ? user :
	    { id: 0, name: '' } } : null;
}

export function saveLogin(token, user) {
	put(localStorage, TOKEN, token);
	put(localStorage, USER, JSON.stringify(user));
}

export function saveUser(user) {
	put(localStorage, USER, JSON.stringify(user));
}

export function clearLogin() {
	put(localStorage, TOKEN, null);
	put(localStorage, USER, null);
}

export function loadOutbox(userId) {
	return getJSON(localStorage, OUTBOX + userId) || [];
}

export function saveOutbox(userId, items) {
	put(localStorage, OUTBOX + userId, items.length ?
	    JSON.stringify(items) : null);
}

/* A draft, named by session and field ("12.chat", "12.note.result"). */
export function loadDraft(name) {
	return get(localStorage, DRAFT + name) ?? '';
}

export function saveDraft(name, text) {
	put(localStorage, DRAFT + name, text);
}

/* Drafts of sessions long gone: a session's drafts go with it. */
export function dropDrafts(sessionId) {
	try {
		const prefix = `${DRAFT}${sessionId}.`;

		for (let i = localStorage.length - 1; i >= 0; i--) {
			const k = localStorage.key(i);

			if (k && k.startsWith(prefix))
				localStorage.removeItem(k);
		}
	} catch {
		/* nothing kept, nothing to drop */
	}
}

export function takeAfter() {
	const v = get(sessionStorage, AFTER);

	put(sessionStorage, AFTER, null);
	return v;
}

export function setAfter(hash) {
	put(sessionStorage, AFTER, hash);
}

/* The queue preferences while waiting: a reload rejoins. */
export function loadQueue() {
	return getJSON(sessionStorage, QUEUE);
}

export function saveQueue(prefs) {
	put(sessionStorage, QUEUE, prefs ? JSON.stringify(prefs) : null);
}
