/*
 * list.js — #/history: the user's sessions, newest first, a page of
 * history.list at a time (More passes the reply's `next` as `before`,
 * as `mockint history --before` does), with a search (search.js) that
 * loads the older pages itself while it is on, as the terminal's browser
 * does, so that it covers the whole history. Each row's question is a
 * link to its report. A table on a desktop; history.css makes each row a
 * card on a phone.
 */
import { h, clear } from '../dom.js';
import { filterEntries } from './search.js';
import { fmtTime, str } from './text.js';
import { errorBox, errorText, plural, resultText, setStatus, showError,
	statusLine } from './ui.js';

/* Sessions a page asks for: the protocol's default, the terminal's. */
export const PAGE_SIZE = 20;

const COLUMNS = ['Date', 'Question', 'Role', 'Peer', 'Result'];

/*
 * The cursor of the page after one asked for with `before` (undefined:
 * the first), from the reply's `next`; null at the end. A cursor that
 * does not move back would repeat pages, and a search would load them
 * forever: that is the end too (browse.c's browse_add_page).
 */
export function olderCursor(before, next) {
	if (!Number.isInteger(next) || next <= 0)
		return null;
	return before === undefined || next < before ? next : null;
}

/* A cell with its column's name before it, shown only when the table is
 * cards (a phone), where there are no column heads to read it from. */
function cell(col, ...content) {
	return h('td', { class: `hist-col-${col.toLowerCase()}` },
	    h('span', { class: 'hist-cell-label' }, `${col}: `), ...content);
}

function row(e) {
	const id = e.session_id;
	const live = str(e, 'phase') !== 'done';
	return h('tr', {},
	    cell('Date', fmtTime(e.started_at)),
	    cell('Question', h('a', { href: `#/history/${id}` },
		str(e.question, 'title') || `Session ${id}`),
		h('span', { class: 'hist-meta' }, [str(e.question, 'category'),
		    str(e.question, 'difficulty')].filter(Boolean).join(' · '))),
	    cell('Role', str(e, 'role')),
	    cell('Peer', str(e.peer, 'username')),
	    cell('Result', resultText(e), live ? h('a', {
		href: `#/session/${id}`, class: 'hist-rejoin' },
		'Back to the interview') : null));
}

export function mountHistoryList(root, ctx) {
	const st = { entries: [], next: null, loaded: false, busy: false,
		gone: false };
	const search = h('input', { type: 'search', id: 'hist-search',
		name: 'q', autocomplete: 'off', spellcheck: 'false' });
	const status = statusLine('Loading your sessions…');
	const tbody = h('tbody', {});
	const table = h('table', { class: 'hist-table hist-list', hidden: true },
	    h('caption', { class: 'hist-sr' }, 'Your sessions, newest first'),
	    h('thead', {}, h('tr', {}, COLUMNS.map(c => h('th', { scope: 'col' },
		c)))), tbody);
	const more = h('button', { type: 'button', class: 'hist-more',
		hidden: true }, 'More');
	const empty = h('div', { class: 'hist-empty', hidden: true },
	    h('p', {}, 'No sessions yet.'),
	    h('p', {}, h('a', { href: '#/home' }, 'Find a partner'),
		' to practise your first interview.'));
	const err = errorBox();

	function describe(shown) {
		const q = search.value.trim();
		const n = st.entries.length;
		const all = st.next === null;
		/* A search still going through older pages, or not. */
		const older = all ? '' : q && st.busy ?
		    ' Searching older sessions…' :
		    ' Older sessions are not loaded yet: More loads them.';
		if (!q)
			return `${plural(n, 'session')} loaded.${older}`;
		if (shown === 0)
			return `No ${all ? '' : 'loaded '}session matches “${q}”.${older}`;
		return `${shown} of ${plural(n, all ? 'session' : 'loaded session')} ` +
		    `match “${q}”.${older}`;
	}

	/* A search covers what is not loaded yet too: the next page. */
	function searchOlder() {
		if (search.value.trim() && st.loaded && st.next !== null &&
		    !st.busy && !st.gone)
			load();
	}

	function draw() {
		const shown = filterEntries(st.entries, search.value);
		clear(tbody);
		tbody.append(...shown.map(row));
		table.hidden = shown.length === 0;
		empty.hidden = !(st.loaded && st.entries.length === 0);
		search.disabled = st.loaded && st.entries.length === 0;
		more.hidden = st.next === null;
		/* Not disabled: that would drop the focus of a keyboard user. */
		more.setAttribute('aria-disabled', String(st.busy));
		/* With none, the empty block says so: said once is enough. */
		if (st.loaded)
			setStatus(status, st.entries.length ? describe(shown.length) :
			    '');
		return shown;
	}

	async function load() {
		if (st.busy)
			return;
		st.busy = true;
		const hadFocus = document.activeElement === more;
		const before = st.entries.length;
		draw();
		if (st.loaded)
			setStatus(status, 'Loading older sessions…');
		try {
			const fields = { limit: PAGE_SIZE };
			if (st.next !== null)
				fields.before = st.next;
			const r = await ctx.request('history.list', fields);
			if (st.gone)
				return;
			const page = Array.isArray(r?.sessions) ? r.sessions : [];
			st.entries.push(...page);
			st.next = olderCursor(fields.before, r?.next);
			st.loaded = true;
		} catch (e) {
			if (st.gone)
				return;
			setStatus(status, '');
			showError(err, errorText(e, 'sessions'), load, title);
		} finally {
			st.busy = false;
		}
		if (st.gone)
			return;
		const shown = draw();
		/* A page that brought nothing (or failed) ends the search's
		 * loading: each has one session at least while there are more. */
		if (st.entries.length > before)
			searchOlder();
		/* Where a keyboard user was: on the first session More brought. */
		if (!hadFocus)
			return;
		const fresh = new Set(st.entries.slice(before));
		const i = shown.findIndex(e => fresh.has(e));
		const link = i >= 0 ? tbody.children[i].querySelector('a') : null;
		(err.querySelector('button') || link || (more.hidden ? search :
		    more)).focus();
	}

	search.addEventListener('input', () => {
		draw();
		searchOlder();
	});
	more.addEventListener('click', load);
	const title = h('h1', { tabindex: '-1' }, 'History');
	root.append(title,
	    h('div', { class: 'field hist-search' },
		h('label', { for: 'hist-search' }, 'Search history'), search,
		h('p', { class: 'hist-hint', id: 'hist-search-hint' },
		    'By question, category, difficulty, peer, role or result.')),
	    status, err, empty, table, more);
	search.setAttribute('aria-describedby', 'hist-search-hint');
	load();
	return () => {
		st.gone = true;
	};
}
