/*
 * ui.js — pieces the three history screens share: a status line that
 * screen readers hear, a failure with a way to try again, a data table
 * with a caption and header cells, and a session's one-line result.
 * Every string goes in as text (dom.js h()).
 */
import { h, clear } from '../dom.js';
import { fixed2, outcome } from './text.js';

/* A polite live region for "Loading…", "3 of 20 match", "Saved …". */
export function statusLine(text = '') {
	return h('p', { class: 'hist-status', role: 'status' }, text);
}

export function setStatus(el, text) {
	if (el.textContent !== text)
		el.textContent = text;
}

/* What to tell a person about a failed request. */
export function errorText(e, what) {
	if (e?.code === 'not_found')
		return `No ${what} of yours has that number.`;
	if (e?.code === 'rate_limited')
		return `The server is busy: could not load the ${what}. ` +
		    'Try again in a moment.';
	return `Could not load the ${what}: ${e?.message || 'no reply'}.`;
}

/*
 * Show a failure in box (an alert: it interrupts) with a "Try again"
 * button calling retry; box is emptied first. The button goes once
 * pressed: the keyboard's focus goes to focusAfter (a heading with
 * tabindex -1), not to nowhere.
 */
export function showError(box, message, retry, focusAfter) {
	clear(box);
	box.hidden = false;
	box.append(h('p', { role: 'alert' }, message));
	if (retry)
		box.append(h('button', { type: 'button', on: { click: () => {
		    focusAfter?.focus();
		    clear(box);
		    box.hidden = true;
		    retry();
	    } } }, 'Try again'));
}

export function errorBox() {
	return h('div', { class: 'hist-error', hidden: true });
}

/*
 * A table: caption, column heads, rows of cells (strings or nodes); the
 * first cell of each row heads its row. cls adds classes.
 */
export function dataTable({ caption, head, rows, cls = '' }) {
	return h('table', { class: `hist-table ${cls}` },
	    caption ? h('caption', {}, caption) : null,
	    h('thead', {}, h('tr', {}, head.map(t => h('th', { scope: 'col' },
		t)))),
	    h('tbody', {}, rows.map(cells => h('tr', {}, cells.map((c, i) =>
		i === 0 ? h('th', { scope: 'row' }, c) : h('td', {}, c))))));
}

/* A history.list entry's result: "completed 3.50", "answer" (live). */
export function resultText(e) {
	const why = outcome(e);
	return typeof e?.overall === 'number' ? `${why} ${fixed2(e.overall)}` :
	    why;
}

/* "1 session", "3 sessions". */
export function plural(n, word) {
	return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/*
 * A screen that loads once, then draws: before (or null) and heading,
 * a status line saying loading, a place for a failure, and a body of
 * class cls. fetch(alive) resolves with what show(body, data, status)
 * draws; a failure shows with "Try again" when retry(e) says so.
 * Returns stop(): after it (the screen left) a late reply is dropped.
 */
export function loadingScreen(root, { before = null, heading, cls, loading,
    what, fetch, show, retry = () => true }) {
	let alive = true;
	const status = statusLine(loading);
	const err = errorBox();
	const body = h('div', { class: cls });

	async function load() {
		setStatus(status, loading);
		try {
			const data = await fetch(() => alive);
			if (!alive)
				return;
			setStatus(status, '');
			show(body, data, status);
		} catch (e) {
			if (!alive || e?.code === 'cancelled')
				return;
			setStatus(status, '');
			showError(err, errorText(e, what), retry(e) ? load : null,
			    heading);
		}
	}

	if (before)
		root.append(before);
	root.append(heading, status, err, body);
	load();
	return () => {
		alive = false;
	};
}
