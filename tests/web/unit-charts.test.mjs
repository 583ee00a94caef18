// unit-charts.test.mjs — the stats charts' geometry and data without a
// browser (client/web/js/history/charts.js): scales, bars, the trend
// line with no, one and many points, the weakest-first order and the
// ratings' histogram; and the history list's search (search.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { barLayout, ratingCounts, scaleLinear, trendLayout, truncate,
	weakestFirst } from '../../client/web/js/history/charts.js';
import { filterEntries, matches, searchTerms } from
    '../../client/web/js/history/search.js';

test('a linear scale maps, clamps, and centres a one-value domain', () => {
	const x = scaleLinear([0, 4], [0, 200]);
	assert.equal(x(0), 0);
	assert.equal(x(2), 100);
	assert.equal(x(4), 200);
	assert.equal(x(9), 200);
	assert.equal(x(-1), 0);
	const y = scaleLinear([1, 4], [150, 0]);	// SVG's y grows down
	assert.equal(y(1), 150);
	assert.equal(y(4), 0);
	assert.equal(y(2.5), 75);
	const one = scaleLinear([3, 3], [10, 30]);
	assert.equal(one(3), 20);
	assert.ok(Number.isFinite(one(7)));
});

test('bars: one row per item, lengths in proportion, labels that fit', () => {
	const rows = [{ label: 'Action', value: 4, valueText: '4.00' },
		{ label: 'Result', value: 2, valueText: '2.00' },
		{ label: 'x'.repeat(300), value: 0, valueText: '0' }];
	const lay = barLayout(rows, { width: 400, max: 4 });
	assert.equal(lay.rows.length, 3);
	const [a, b, c] = lay.rows;
	assert.ok(a.w > 0 && Math.abs(b.w - a.w / 2) < 0.2, `${a.w} ${b.w}`);
	assert.equal(c.w, 0);
	assert.ok(a.x + a.w + 40 <= 400, 'the value text has room after the bar');
	assert.ok(b.y > a.y && c.y > b.y, 'rows go down');
	assert.ok(c.short.length < 300 && c.short.endsWith('…'));
	assert.equal(c.label.length, 300, 'the full label stays for the tooltip');
	assert.ok(lay.height >= c.y + c.h);
	assert.deepEqual(barLayout([], { width: 400, max: 4 }),
	    { width: 400, height: 0, rows: [] });
	// A max of 0 (no ratings at all) draws no bar rather than NaN.
	assert.equal(barLayout([{ label: 'a', value: 0, valueText: '0' }],
	    { width: 300, max: 0 }).rows[0].w, 0);
});

test('truncate counts characters, not UTF-16 units', () => {
	assert.equal(truncate('short', 10), 'short');
	assert.equal(truncate('abcdefghij', 5), 'abcd…');
	assert.equal(truncate('🎉🎉🎉🎉', 3), '🎉🎉…');
});

test('the trend: no points, one point, many on the fixed 1–4 scale', () => {
	const size = { width: 300, height: 200 };
	const none = trendLayout([], size);
	assert.equal(none.empty, true);
	assert.equal(none.path, '');
	const one = trendLayout([{ overall: 2.5 }], size);
	assert.equal(one.points.length, 1);
	const mid = (one.plot.x0 + one.plot.x1) / 2;
	assert.ok(Math.abs(one.points[0].x - mid) < 0.1, 'one point is centred');
	assert.match(one.path, /^M[\d.]+ [\d.]+$/);
	const many = trendLayout([{ overall: 1 }, { overall: 4 },
		{ overall: 2.5 }, { overall: null }], size);
	assert.equal(many.points.length, 3, 'a session without a score is left out');
	const [p, q, r] = many.points;
	assert.equal(p.x, many.plot.x0);
	assert.equal(r.x, many.plot.x1);
	assert.equal(p.y, many.plot.y1, '1 is the bottom');
	assert.equal(q.y, many.plot.y0, '4 is the top');
	assert.ok(Math.abs(r.y - (many.plot.y0 + many.plot.y1) / 2) < 0.1);
	assert.equal(many.path.split(' L').length, 3);
	assert.deepEqual(many.yTicks.map(t => t.value), [1, 2, 3, 4]);
	assert.ok(many.yTicks[0].y > many.yTicks[3].y);
});

test('checklist items weakest first, then by label, as `mockint stats`', () => {
	const items = [{ key: 'a', label: 'Result', mean: 3, count: 2 },
		{ key: 'b', label: 'Action', mean: 1.5, count: 4 },
		{ key: 'c', label: 'Learning', mean: 3, count: 1 },
		{ key: 'd', label: 'Bad', mean: null, count: 0 }];
	assert.deepEqual(weakestFirst(items).map(e => e.key), ['b', 'c', 'a']);
	assert.equal(items[0].key, 'a', 'the input is left as it was');
	assert.deepEqual(weakestFirst(undefined), []);
});

test('ratings counted 1 to 4; junk ignored', () => {
	assert.deepEqual(ratingCounts([{ rating: 4 }, { rating: 4 }, { rating: 1 },
		{ rating: 7 }, { rating: '3' }, null]).map(c => c.count), [1, 0, 0, 2]);
	assert.deepEqual(ratingCounts([]).map(c => c.rating), [1, 2, 3, 4]);
});

// ---- the history list's search ----

const entry = (id, title, peer, extra = {}) => ({ session_id: id,
	started_at: 1, phase: 'done', reason: 'completed', role: 'candidate',
	peer: { user_id: 9, username: peer }, overall: 3,
	question: { id: `q${id}`, title, category: 'Behavioral & Leadership',
		difficulty: 'hard' }, ...extra });

test('search: any case, every word somewhere, accents folded', () => {
	const list = [entry(1, 'Tell me about a conflict', 'alice'),
		entry(2, 'Design a URL shortener', 'bob', { role: 'interviewer',
		    question: { title: 'Design a URL shortener', category:
			'System Design', difficulty: 'medium' } }),
		entry(3, 'Résumé walk-through', 'carol', { reason: 'no_show',
		    overall: null })];
	const ids = q => filterEntries(list, q).map(e => e.session_id);
	assert.deepEqual(ids(''), [1, 2, 3]);
	assert.deepEqual(ids('   '), [1, 2, 3]);
	assert.deepEqual(ids('CONFLICT'), [1]);
	assert.deepEqual(ids('bob'), [2]);
	assert.deepEqual(ids('system'), [2], 'by category');
	assert.deepEqual(ids('interviewer'), [2], 'by role');
	assert.deepEqual(ids('medium'), [2], 'by difficulty');
	assert.deepEqual(ids('no-show'), [3], 'by result');
	assert.deepEqual(ids('resume'), [3], 'accents folded');
	assert.deepEqual(ids('hard alice'), [1], 'every word');
	assert.deepEqual(ids('hard bob'), [], 'every word, not any');
	assert.deepEqual(ids('<img src=x>'), []);
	assert.deepEqual(searchTerms(' A  b '), ['a', 'b']);
	assert.equal(matches({}, ['x']), false, 'a bare entry does not throw');
});
