/*
 * stats.js — #/stats: history.stats as charts (svg.js) with their numbers
 * in tables beside them, as `mockint stats` prints them: the mean score
 * of each checklist item as candidate, weakest first; the trend of the
 * overall scores, oldest first; as interviewer, the ratings and comments
 * candidates gave; the questions had, against the bank (questions.list).
 * The charts are drawn at their box's width, again when it changes, so
 * that their text keeps its size on a phone.
 */
import { h, clear } from '../dom.js';
import { ratingCounts, weakestFirst } from './charts.js';
import { barChart, trendChart } from './svg.js';
import { arr, fixed2, fmtTime, str } from './text.js';
import { dataTable, loadingScreen, plural } from './ui.js';

const TREND_HEIGHT = 220;
/* Narrower than this, a chart is drawn this wide and scrolls. */
const MIN_CHART_WIDTH = 260;

/*
 * A figure: a heading, the chart drawn by draw(width) into a box that
 * redraws it when its width changes, and the table of its numbers.
 * observers collects the ResizeObservers for the screen's cleanup.
 */
function figure(title, draw, table, observers) {
	const box = h('div', { class: 'hist-chart' });
	let drawn = 0;
	const redraw = () => {
		const w = Math.max(MIN_CHART_WIDTH, Math.floor(box.clientWidth));
		if (w === drawn)
			return;
		drawn = w;
		clear(box);
		box.append(draw(w));
	};
	const ro = new ResizeObserver(redraw);
	ro.observe(box);
	observers.push(ro);
	queueMicrotask(redraw);
	return h('section', { class: 'hist-figure' }, h('h3', {}, title), box,
	    table);
}

/* A long table in a box of its own height: a region the keyboard can
 * scroll (focusable, named). */
const scroll = (name, table) => h('div', { class: 'hist-scroll',
	tabindex: '0', role: 'region', 'aria-label': name }, table);

const link = id => h('a', { href: `#/history/${id}` }, `Session ${id}`);

function candidateSection(c, observers) {
	const items = weakestFirst(arr(c, 'items'));
	const trend = arr(c, 'trend').filter(p => Number.isFinite(p?.overall));
	const sessions = Number.isInteger(c?.sessions) ? c.sessions : 0;
	const out = [h('h2', {}, 'As candidate'),
		h('p', {}, `${plural(sessions, 'ended session')}.`)];
	if (items.length)
		out.push(figure('Mean score per checklist item, weakest first',
		    w => barChart({ name: 'Mean score per checklist item, ' +
			'weakest first, on a scale of 1 to 4', width: w, max: 4,
			rows: items.map(e => ({ label: str(e, 'label'),
			    value: e.mean, valueText: fixed2(e.mean),
			    cls: `hist-bar-${Math.round(e.mean)}` })) }),
		    scroll('Mean score per checklist item', dataTable({
			caption: 'Mean score per checklist item',
			head: ['Checklist item', 'Mean score', 'Sessions scored'],
			rows: items.map(e => [str(e, 'label'), fixed2(e.mean),
			    String(e.count ?? '')]) })), observers));
	if (!trend.length) {
		out.push(h('p', { class: 'hist-none' }, 'No scored sessions yet.'));
		return h('section', { class: 'hist-section' }, out);
	}
	const first = trend[0], last = trend[trend.length - 1];
	const name = `Overall score of ${plural(trend.length, 'session')}, ` +
	    `oldest first, on a scale of 1 to 4: from ${fixed2(first.overall)} ` +
	    `to ${fixed2(last.overall)}`;
	out.push(figure('Overall score over time', w => trendChart({ name,
		width: w, height: TREND_HEIGHT, points: trend,
		pointTitle: p => `Session ${p.session_id}, ` +
		    `${fmtTime(p.ended_at)}: ${fixed2(p.overall)}`,
		xLabels: [fmtTime(first.ended_at).slice(0, 10),
		    fmtTime(last.ended_at).slice(0, 10)] }),
	    scroll('Overall score per session', dataTable({
		caption: 'Overall score per session, oldest first',
		head: ['Session', 'Ended', 'Overall'],
		rows: trend.map(p => [link(p.session_id), fmtTime(p.ended_at),
		    fixed2(p.overall)]) })), observers));
	return h('section', { class: 'hist-section' }, out);
}

function feedbackList(fb) {
	return h('ol', { class: 'hist-feedback' }, fb.map(f => h('li', {},
	    h('p', { class: 'hist-line' },
		h('span', { class: 'hist-rating' }, `${f.rating} / 4`),
		h('span', { class: 'hist-time' }, fmtTime(f.at)),
		link(f.session_id)),
	    str(f, 'text') ? h('p', { class: 'hist-text' }, str(f, 'text')) :
		null)));
}

function interviewerSection(iv, observers) {
	const sessions = Number.isInteger(iv?.sessions) ? iv.sessions : 0;
	const fb = arr(iv, 'feedback');
	const count = Number.isInteger(iv?.feedback_count) ?
	    iv.feedback_count : fb.length;
	const mean = typeof iv?.feedback_mean === 'number' ?
	    `, rated ${fixed2(iv.feedback_mean)} / 4 by candidates ` +
	    `(${plural(count, 'rating')})` : '';
	const out = [h('h2', {}, 'As interviewer'),
		h('p', {}, `${plural(sessions, 'ended session')}${mean}.`)];
	if (!fb.length) {
		out.push(h('p', { class: 'hist-none' },
		    'No feedback from candidates yet.'));
		return h('section', { class: 'hist-section' }, out);
	}
	const counts = ratingCounts(fb);
	const max = Math.max(1, ...counts.map(c => c.count));
	const scope = fb.length < count ? `the newest ${fb.length}` :
	    `all ${fb.length}`;
	out.push(figure(`Ratings candidates gave you (${scope})`, w => barChart({
		name: `Ratings candidates gave your interviewing, ${scope}: ` +
		    counts.map(c => `${c.rating} / 4 ${plural(c.count, 'time')}`)
		    .join(', '),
		width: w, max, cls: 'hist-ratings',
		rows: counts.map(c => ({ label: `${c.rating} / 4`, value: c.count,
		    valueText: plural(c.count, 'rating') })) }),
	    dataTable({ caption: 'Ratings received', head: ['Rating', 'Times'],
		rows: counts.map(c => [`${c.rating} / 4`, String(c.count)]) }),
	    observers),
	    h('h3', {}, 'What candidates said, newest first'), feedbackList(fb));
	return h('section', { class: 'hist-section' }, out);
}

/* The questions had; with the bank's list, its category and coverage. */
function questionsSection(had, bank) {
	if (!had.length)
		return null;
	const byId = new Map((bank?.questions || []).map(q => [q.id, q]));
	const inBank = had.filter(q => byId.has(q.id)).length;
	return h('section', { class: 'hist-section' },
	    h('h2', {}, 'Questions you had'),
	    bank ? h('p', {}, `You have had ${inBank} of the ` +
		`${plural(bank.questions.length, 'question')}` +
		`${bank.more ? ' listed' : ''} in the bank.`) : null,
	    dataTable({ caption: 'Questions you had as candidate, most ' +
		'recent first', head: ['Question', 'Category', 'Times'],
		rows: had.map(q => [str(q, 'title'),
		    str(byId.get(q.id), 'category') || '-', String(q.times ?? '')]) }));
}

/* The page for r (history.stats) and bank (questions.list, or null). */
function show(body, [r, bank], observers) {
	const c = r?.as_candidate, iv = r?.as_interviewer;
	if (!c?.sessions && !iv?.sessions) {
		body.append(h('div', { class: 'hist-empty' },
		    h('p', {}, 'No sessions yet.'),
		    h('p', {}, 'Your stats appear here once a session ends. ',
			h('a', { href: '#/home' }, 'Find a partner'), '.')));
		return;
	}
	/* Through h(): no questions section is a null. */
	body.append(h('div', {}, candidateSection(c, observers),
	    interviewerSection(iv, observers),
	    questionsSection(arr(r, 'questions'),
		Array.isArray(bank?.questions) ? bank : null)));
}

export function mountStats(root, ctx) {
	const observers = [];
	const stop = loadingScreen(root, {
		heading: h('h1', { tabindex: '-1' }, 'Stats'), cls: 'hist-stats',
		what: 'stats',
		loading: 'Loading your stats…',
		/* The bank's list only adds to the page: never fail for it. */
		fetch: () => Promise.all([ctx.request('history.stats', {}),
			ctx.request('questions.list', {}).catch(() => null)]),
		show: (body, data) => show(body, data, observers),
	});
	return () => {
		stop();
		for (const ro of observers)
			ro.disconnect();
	};
}
