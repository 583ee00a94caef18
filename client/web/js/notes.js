/*
 * notes.js — the list of notes (scores, flags, text) with where each is:
 * saved (the server stored it), sending (not acknowledged yet: it will be
 * sent again after a reconnect), or not saved (refused, with the reason,
 * kept until dismissed). Text notes all show; of the score-only and
 * flag-only ones, the latest per item: history keeps every change, the
 * list shows what counts (the terminal's vm_note_shown).
 */
import { h, reconcile } from './dom.js';
import { SCORE_WORDS } from './session.js';

export function itemLabels(q) {
	const m = new Map([['general', 'General']]);

	for (const it of [...(q?.checklist ?? []), ...(q?.red_flags ?? [])])
		m.set(it.key, it.label ?? it.key);
	return m;
}

/* Server notes then ours in the outbox, oldest first, as shown. */
export function noteRows(model, pending) {
	const rows = model.notes.map(n => ({ key: `n${n.note_id}`, item: n.item,
	    text: n.text ?? '', score: n.score, flag: n.flag, state: 'saved' }));

	for (const it of pending)
		if (it.kind === 'note')
			rows.push({ key: `c${it.cid}`, cid: it.cid, item: it.fields.item,
			    text: it.fields.text ?? '', score: it.fields.score ?? null,
			    flag: it.fields.flag ?? null,
			    state: it.state === 'failed' ? 'refused' : 'sending',
			    error: it.error });
	return rows.filter((r, i) => {
		if (r.text || r.state === 'refused')
			return true;
		return !rows.slice(i + 1).some(o => o.item === r.item && !o.text &&
		    o.state !== 'refused' &&
		    ((Number.isInteger(r.score) && Number.isInteger(o.score)) ||
		    (typeof r.flag === 'boolean' && typeof o.flag === 'boolean')));
	});
}

const STATE_TEXT = { saved: 'saved', sending: 'sending…', refused: 'not saved' };

function noteLine(r, labels, dismiss) {
	const what = [];

	if (Number.isInteger(r.score))
		what.push(r.score === 0 ? 'score cleared' : `${r.score} ${SCORE_WORDS[r.score]}`);
	if (typeof r.flag === 'boolean')
		what.push(r.flag ? 'flag ticked' : 'flag cleared');
	return h('li', { class: `note ${r.state}` },
	    h('span', { class: 'state' }, STATE_TEXT[r.state]),
	    ' ', h('strong', {}, labels.get(r.item) ?? r.item),
	    what.length ? ` = ${what.join(', ')}` : '',
	    r.text ? [': ', h('span', { class: 'text' }, r.text)] : '',
	    r.state === 'refused' ? [h('span', { class: 'why' }, ` (${r.error})`), ' ',
		h('button', { type: 'button', class: 'small',
		    on: { click: () => dismiss(r.cid) } }, 'Dismiss')] : null);
}

/* A notes list: update(model, pending, q) redraws it in place. */
export function createNotesList(live, title = 'Notes') {
	const count = h('span', { class: 'muted' });
	const list = h('ol', { class: 'notes', reversed: true });
	const more = h('button', { type: 'button', class: 'small', hidden: true,
	    on: { click: () => live.older('notes').catch(() => {}) } }, 'Earlier notes');
	const el = h('section', { class: 'notes-pane', 'aria-labelledby': 'notes-h' },
	    h('h3', { id: 'notes-h' }, title, ' ', count), list, more);

	function update(q) {
		const m = live.model;
		const labels = itemLabels(q);
		const rows = noteRows(m, live.outbox.forSession(m.id)).reverse();
		const dismiss = cid => live.dismiss(cid);

		count.textContent = `(${m.notesTotal + live.outbox.forSession(m.id, 'note').length})`;
		reconcile(list, rows, r => r.key, r => `${r.state}|${r.error}|${labels.get(r.item)}`,
		    r => noteLine(r, labels, dismiss));
		more.hidden = !m.notesBefore;
	}
	return { el, update };
}
