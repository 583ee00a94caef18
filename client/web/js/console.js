/*
 * console.js — the interviewer's scoring console: the checklist, each
 * item a radiogroup named by its label with the radios "1 not shown" to
 * "4 strong" (native radios: the most accessible), a clear button and a
 * note per item; the red flags as checkboxes; a general note; and the
 * notes with saved / sending / not saved. Every mark goes through the
 * controller's outbox (live.js), so it survives a reconnect or a reload.
 */
import { h, setText } from './dom.js';
import { SCORE_WORDS, meanScore } from './session.js';
import { effectiveMarks } from './outbox.js';
import { createNotesList } from './notes.js';
import { keepDraft, MAX_TEXT_BYTES } from './draft.js';

function slug(key) {
	return String(key).replace(/[^A-Za-z0-9_-]/g, '_');
}

/* A note's textarea, its draft kept until it is saved (Ctrl+Enter). */
function draftArea(id, label, draftName, onSave, saveName = null) {
	const area = h('textarea', { id, rows: '2', maxlength: String(MAX_TEXT_BYTES) });
	const msg = h('span', { class: 'error', role: 'alert' });
	const save = h('button', { type: 'button', 'aria-label': saveName }, 'Save note');
	const submit = keepDraft(area, draftName, msg, 'note', onSave);

	save.addEventListener('click', submit);
	area.addEventListener('keydown', ev => {
		if (ev.key === 'Enter' && (ev.ctrlKey || ev.metaKey)) {
			ev.preventDefault();
			submit();
		}
	});
	return { area, el: h('div', { class: 'note-field' },
	    h('label', { for: id }, label), area,
	    h('div', { class: 'actions' }, save, msg)) };
}

function checklistItem(live, it, sid) {
	const s = slug(it.key);
	const labelId = `it-${s}`;
	const radios = [1, 2, 3, 4].map(n => h('input', { type: 'radio',
	    name: `score-${s}`, value: String(n), id: `sc-${s}-${n}` }));
	const state = h('span', { class: 'item-state' });
	const clearBtn = h('button', { type: 'button', class: 'small',
	    'aria-label': `Clear the score of ${it.label}` }, 'Clear');
	const noteBtn = h('button', { type: 'button', class: 'small',
	    'aria-expanded': 'false', 'aria-controls': `nf-${s}` }, 'Note');
	const note = draftArea(`note-${s}`, `Note on ${it.label}`, `${sid}.note.${it.key}`,
	    text => live.note({ item: it.key, text }), `Save note on ${it.label}`);
	const noteBox = h('div', { id: `nf-${s}`, hidden: true }, note.el);
	const el = h('li', { class: 'item', 'data-item': it.key },
	    h('div', { role: 'radiogroup', 'aria-labelledby': labelId, class: 'scores' },
		h('span', { id: labelId, class: 'item-label' }, it.label),
		h('span', { class: 'segs' }, radios.map((r, i) =>
		    h('label', { class: 'seg', for: r.id }, r, `${i + 1} ${SCORE_WORDS[i + 1]}`)))),
	    h('div', { class: 'item-tools' }, state, clearBtn, noteBtn),
	    noteBox);

	for (const r of radios)
		r.addEventListener('change', () => {
			if (r.checked)
				live.note({ item: it.key, score: Number(r.value) });
		});
	clearBtn.addEventListener('click', () => live.note({ item: it.key, score: 0 }));
	function openNote() {
		noteBox.hidden = false;
		noteBtn.setAttribute('aria-expanded', 'true');
		note.area.focus();
	}
	noteBtn.addEventListener('click', () => {
		if (noteBox.hidden)
			openNote();
		else {
			noteBox.hidden = true;
			noteBtn.setAttribute('aria-expanded', 'false');
		}
	});
	if (note.area.value)
		noteBox.hidden = false;
	return { key: it.key, el, radios, state, clearBtn, openNote };
}

function flagBox(live, f) {
	const s = slug(f.key);
	const box = h('input', { type: 'checkbox', id: `rf-${s}` });

	box.addEventListener('change', () => live.note({ item: f.key, flag: box.checked }));
	return { key: f.key, box, el: h('li', {}, h('label', { class: 'check', for: box.id }, box, f.label)) };
}

/* The latest word on an item from the outbox: sending, or refused. */
function itemState(pending, key, scored) {
	for (let i = pending.length - 1; i >= 0; i--) {
		const it = pending[i];

		if (it.kind === 'note' && it.fields.item === key &&
		    Number.isInteger(it.fields.score))
			return it.state === 'failed' ? `not saved: ${it.error}` : 'sending…';
	}
	return scored ? 'saved' : '';
}

export function createConsole(live, q) {
	const sid = live.sid;
	const items = (q.checklist ?? []).map(it => checklistItem(live, it, sid));
	const flags = (q.red_flags ?? []).map(f => flagBox(live, f));
	const mean = h('p', { class: 'mean' });
	const general = draftArea('general-note', 'General note', `${sid}.general`,
	    text => live.note({ item: 'general', text }));
	const notes = createNotesList(live);
	let current = items[0]?.key ?? null;

	const el = h('section', { class: 'pane console', 'aria-labelledby': 'cl-h' },
	    h('h2', { id: 'cl-h' }, 'Checklist'), mean,
	    h('ol', { class: 'checklist' }, items.map(i => i.el)),
	    flags.length ? h('fieldset', { class: 'flags' }, h('legend', {}, 'Red flags'),
		h('ul', {}, flags.map(f => f.el))) : null,
	    general.el, notes.el);

	el.addEventListener('focusin', ev => {
		const li = ev.target.closest?.('.item');

		if (li)
			current = li.dataset.item;
	});

	function update() {
		const m = live.model;
		const pending = live.outbox.forSession(sid);
		const { scores, flags: ticked } = effectiveMarks(m.scores, m.flags, pending);
		const avg = meanScore(scores, q.checklist);

		setText(mean, avg === null ? 'No item scored yet.' : `Mean ${avg.toFixed(2)} / 4`);
		for (const it of items) {
			const sc = scores[it.key];

			for (const r of it.radios)
				r.checked = Number(r.value) === sc;
			setText(it.state, itemState(pending, it.key, Number.isInteger(sc)));
			it.clearBtn.disabled = !Number.isInteger(sc);
		}
		for (const f of flags)
			f.box.checked = ticked[f.key] === true;
		notes.update(q);
	}

	function item(key) {
		return items.find(i => i.key === key) ?? items[0] ?? null;
	}

	/* The item with focus, else the one last used. */
	function focused() {
		const li = document.activeElement?.closest?.('.item');

		return item(li ? li.dataset.item : current);
	}

	return {
		el, update,
		score(n) {
			const it = focused();

			if (!it)
				return;
			const r = it.radios[n - 1];
			r.focus();
			if (!r.checked) {
				r.checked = true;
				live.note({ item: it.key, score: n });
			}
		},
		note() {
			focused()?.openNote();
		},
		general() {
			general.area.focus();
		},
		flag() {
			const f = flags.find(x => x.box === document.activeElement);

			if (f)
				f.box.click();
			else
				flags[0]?.box.focus();
		},
		focusCurrent() {
			const it = focused();

			(it?.radios.find(r => r.checked) ?? it?.radios[0])?.focus();
		},
	};
}
