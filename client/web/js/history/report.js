/*
 * report.js — #/history/ID: one session's report, printable, with its
 * exports. The record is fetched whole (record.js: every page of notes
 * and chat); the page shows what the Markdown export holds, in the same
 * order (export.js noteGroups): the facts, the question, the timeline,
 * each checklist item with its latest score and its notes, the red
 * flags, the general notes, the chat and the feedback. Whatever a peer
 * wrote goes in as text. history.css's print rules drop the controls.
 */
import { h, download } from '../dom.js';
import { exportFile, noteGroups } from './export.js';
import { fetchRecord } from './record.js';
import { arr, fmtClock, fmtDuration, fmtTime, noteWhat, outcome,
	overallText, scoreName, str } from './text.js';
import { dataTable, loadingScreen, plural, setStatus } from './ui.js';

const EXPORTS = [['md', 'Export Markdown'], ['json', 'Export JSON'],
	['csv', 'Export CSV']];

/* Free text a person wrote: its lines kept (history.css pre-wrap). */
const prose = text => h('p', { class: 'hist-text' }, text);

function noteList(notes) {
	return h('ol', { class: 'hist-notes' }, notes.map(n => {
		const what = noteWhat(n);
		return h('li', {}, h('p', { class: 'hist-line' },
		    h('span', { class: 'hist-time' }, fmtClock(n.at)),
		    what ? h('span', { class: 'hist-what' }, what) : null),
		    str(n, 'text') ? prose(str(n, 'text')) : null);
	}));
}

/* One item (checklist or red flag): its label, its state, its notes. */
function itemBlock(label, state, stateCls, notes) {
	return h('section', { class: 'hist-item' },
	    h('h3', {}, label),
	    h('p', { class: `hist-state ${stateCls}` }, state),
	    notes ? noteList(notes) : null);
}

function facts(rec) {
	const s = rec.session || {};
	const name = side => str(s[side], 'username');
	const by = [s.interviewer, s.candidate].find(p => p &&
	    p.user_id === s.ended_by);
	const swap = rec.swap || {};
	const link = (id, text) => h('a', { href: `#/history/${id}` }, text);
	const rows = [
		['Question', str(rec.question, 'title')],
		['You were', `the ${str(s, 'role')}`],
		['Interviewer', name('interviewer')],
		['Candidate', name('candidate')],
		['Started', fmtTime(s.started_at)],
		['Ended', Number.isInteger(s.ended_at) ? fmtTime(s.ended_at) :
		    'not yet: the session is live'],
		['Outcome', outcome(s) + (by ? ` by ${str(by, 'username')}` : '')],
		['Overall', overallText(s.overall)],
		['Paired by', str(s, 'origin')],
		Number.isInteger(swap.of) ? ['Swapped from',
		    link(swap.of, `session ${swap.of}`)] : null,
		Number.isInteger(swap.next) ? ['Swapped into',
		    link(swap.next, `session ${swap.next}`)] : null,
	].filter(Boolean);
	return h('dl', { class: 'hist-facts' }, rows.map(([k, v]) =>
	    h('div', {}, h('dt', {}, k), h('dd', {}, v))));
}

function questionSection(q) {
	const meta = ['category', 'difficulty', 'company', 'role', 'round']
	    .map(k => str(q, k)).filter(Boolean).join(' · ');
	return h('section', { class: 'hist-section' },
	    h('h2', {}, 'Question'),
	    h('p', { class: 'hist-qtitle' }, str(q, 'title')),
	    meta ? h('p', { class: 'hist-meta' }, meta) : null,
	    prose(str(q, 'prompt')),
	    str(q, 'quick_answer') ? [h('h3', {}, 'Quick answer'),
		prose(str(q, 'quick_answer'))] : null,
	    str(q, 'model_answer') ? [h('h3', {}, 'Model answer'),
		prose(str(q, 'model_answer'))] : null);
}

function timelineSection(rec) {
	const rows = arr(rec, 'phases').map(p => [str(p, 'phase'),
		fmtTime(p.started_at), fmtTime(p.ended_at),
		Number.isInteger(p.ended_at) && Number.isInteger(p.started_at) ?
		fmtDuration(p.ended_at - p.started_at) : '-']);
	return h('section', { class: 'hist-section' }, h('h2', {}, 'Timeline'),
	    dataTable({ caption: 'The phases the session went through',
		head: ['Phase', 'Started', 'Ended', 'Length'], rows }));
}

function scoresSection(rec, byKey) {
	const items = arr(rec, 'checklist');
	return h('section', { class: 'hist-section' },
	    h('h2', {}, 'Checklist'),
	    h('p', { class: 'hist-overall' }, `Overall: ${overallText(
		rec.session?.overall)}`),
	    items.length ? items.map(e => {
		const sc = e.score;
		const scored = Number.isInteger(sc) && sc >= 1;
		return itemBlock(str(e, 'label'), scored ? `Score: ${sc} ` +
		    `(${scoreName(sc)})` : 'Not scored',
		    scored ? `hist-score-${sc}` : 'hist-unscored',
		    byKey.get(str(e, 'key')));
	    }) : h('p', { class: 'hist-none' }, 'No checklist to show yet.'));
}

function flagsSection(rec, byKey) {
	const flags = arr(rec, 'red_flags');
	return h('section', { class: 'hist-section' },
	    h('h2', {}, 'Red flags'),
	    flags.length ? flags.map(e => itemBlock(str(e, 'label'),
		e.flagged === true ? 'Flagged' : 'Not flagged',
		e.flagged === true ? 'hist-flagged' : 'hist-unflagged',
		byKey.get(str(e, 'key')))) :
		h('p', { class: 'hist-none' }, 'No red flags to show.'));
}

/* The general notes, and those on items the question no longer lists. */
function otherNotesSections(rec, groups) {
	const listed = new Set(['checklist', 'red_flags'].flatMap(l =>
	    arr(rec, l).map(e => str(e, 'key'))));
	const general = groups.find(g => g.key === 'general');
	const others = groups.filter(g => g.key !== 'general' &&
	    !listed.has(g.key));
	return [h('section', { class: 'hist-section' },
	    h('h2', {}, 'General notes'),
	    general ? noteList(general.notes) :
		h('p', { class: 'hist-none' }, 'No general notes.')),
	    others.length ? h('section', { class: 'hist-section' },
		h('h2', {}, 'Notes on items no longer in the question'),
		others.map(g => [h('h3', {}, g.title), noteList(g.notes)])) : null];
}

function chatSection(rec) {
	const chat = arr(rec, 'chat');
	return h('section', { class: 'hist-section' }, h('h2', {}, 'Chat'),
	    chat.length ? h('ol', { class: 'hist-chat' }, chat.map(c =>
		h('li', {}, h('p', { class: 'hist-line' },
		    h('span', { class: 'hist-who' }, str(c, 'username')),
		    h('span', { class: 'hist-time' }, fmtClock(c.at))),
		    prose(str(c, 'text'))))) :
		h('p', { class: 'hist-none' }, 'No messages.'));
}

function feedbackSection(rec) {
	const fb = rec.feedback;
	const given = fb && typeof fb === 'object';
	return h('section', { class: 'hist-section' },
	    h('h2', {}, 'Feedback on the interviewing'),
	    given ? [h('p', { class: 'hist-rating' }, `${fb.rating} / 4`),
		str(fb, 'text') ? prose(str(fb, 'text')) : null] :
		h('p', { class: 'hist-none' }, 'No feedback was given.'));
}

/* What was left out when a list had more pages than record.js fetches. */
function cutNotice(cut) {
	const parts = ['notes', 'chat'].filter(l => cut[l]).map(l =>
	    `the newest ${cut[l].loaded} of ${cut[l].total} ` +
	    (l === 'notes' ? 'notes' : 'chat messages'));
	return parts.length ? h('p', { class: 'hist-cut', role: 'note' },
	    `This report holds ${parts.join(' and ')}: the rest is more than ` +
	    'the browser loads at once.') : null;
}

function actions(rec, status) {
	const save = fmt => {
		const f = exportFile(rec, fmt);
		download(f.filename, f.mime, f.text);
		setStatus(status, `Downloaded ${f.filename}.`);
	};
	return h('div', { class: 'hist-actions', role: 'group',
		'aria-label': 'Export and print' },
	    EXPORTS.map(([fmt, label]) => h('button', { type: 'button',
		on: { click: () => save(fmt) } }, label)),
	    h('button', { type: 'button', on: { click: () => window.print() } },
		'Print'));
}

function render(body, rec, cut, status) {
	const groups = noteGroups(rec);
	const byKey = new Map(groups.map(g => [g.key, g.notes]));
	const live = str(rec.session, 'phase') !== 'done';
	/* Through h(): it skips the nulls and flattens the lists. */
	body.append(h('div', { class: 'hist-record' },
	    actions(rec, status), cutNotice(cut),
	    live ? h('p', { class: 'hist-cut', role: 'note' }, 'This session ' +
		'is still live: the report shows it as it was when you opened ' +
		'it.') : null,
	    facts(rec), questionSection(rec.question || {}),
	    timelineSection(rec), scoresSection(rec, byKey),
	    flagsSection(rec, byKey), otherNotesSections(rec, groups),
	    chatSection(rec), feedbackSection(rec)));
}

export function mountReport(root, ctx, params) {
	const id = Number(params?.id);
	const title = h('h1', { tabindex: '-1' }, `Session ${id}`);

	return loadingScreen(root, {
		before: h('p', { class: 'hist-back' },
		    h('a', { href: '#/history' }, 'All sessions')),
		heading: title, cls: 'hist-report', what: 'session',
		loading: 'Loading the session…',
		fetch: alive => fetchRecord(ctx.request, id, { alive }),
		/* Someone else's session: trying again cannot help. */
		retry: e => e?.code !== 'not_found',
		show(body, { record, cut }, status) {
			const t = str(record.question, 'title');
			title.textContent = t ? `Session ${id}: ${t}` : `Session ${id}`;
			document.title = `${title.textContent} · mockint`;
			setStatus(status, `${plural(arr(record, 'notes').length,
			    'note')} and ${plural(arr(record, 'chat').length,
			    'chat message')}.`);
			render(body, record, cut, status);
		},
	});
}
