/*
 * charts.js — what the stats charts show and where it goes, in SVG user
 * units, without the DOM (svg.js draws it; tests/web/unit-charts.test.mjs
 * checks it): linear scales, the rows of a horizontal bar chart, the
 * points and path of the trend line, the order of the checklist items
 * (weakest first, as `mockint stats`), and the ratings' histogram.
 */

/* Scores and ratings are 1–4. */
export const SCORE_MIN = 1;
export const SCORE_MAX = 4;

/*
 * A linear map from domain [d0, d1] onto range [r0, r1], clamped to the
 * range. A domain of one value maps to the middle of the range (one
 * point, or every session with the same score, is drawn centred rather
 * than divided by zero).
 */
export function scaleLinear([d0, d1], [r0, r1]) {
	const lo = Math.min(r0, r1), hi = Math.max(r0, r1);
	if (d1 === d0)
		return () => (r0 + r1) / 2;
	return v => Math.min(hi, Math.max(lo, r0 + (v - d0) / (d1 - d0) *
	    (r1 - r0)));
}

/* Round SVG coordinates to 0.1: shorter paths, the same picture. */
export const r1 = v => Math.round(v * 10) / 10;

/* text cut to at most max characters, with "…" when cut. */
export function truncate(text, max) {
	const chars = Array.from(String(text));
	if (chars.length <= max)
		return chars.join('');
	return `${chars.slice(0, Math.max(1, max - 1)).join('').trimEnd()}…`;
}

/*
 * Checklist items weakest first (what to work on), then by label, the
 * way `mockint stats` orders them (the server sends them by key).
 * Items without a numeric mean are left out.
 */
export function weakestFirst(items) {
	return (Array.isArray(items) ? items : [])
	    .filter(e => e && Number.isFinite(e.mean))
	    .slice()
	    .sort((a, b) => a.mean - b.mean ||
	    (String(a.label) < String(b.label) ? -1 :
	    String(a.label) > String(b.label) ? 1 : 0));
}

/* The ratings received as counts: [{rating: 1..4, count}]. */
export function ratingCounts(feedback) {
	const counts = [1, 2, 3, 4].map(rating => ({ rating, count: 0 }));
	for (const f of Array.isArray(feedback) ? feedback : [])
		if (Number.isInteger(f?.rating) && f.rating >= SCORE_MIN &&
		    f.rating <= SCORE_MAX)
			counts[f.rating - 1].count++;
	return counts;
}

/* Sizes of the bar chart: a label line above each bar. */
const BAR = { labelH: 18, barH: 16, gap: 12, pad: 4, valueW: 64,
	charW: 7.2 };

/*
 * A horizontal bar chart of rows [{label, value, valueText}] on the
 * scale [0, max], width wide: {width, height, rows: [{label, short,
 * valueText, labelY, x, y, w, h, textX}]}. Each row is its label (cut to
 * what fits; the full one is the tooltip and the table's) above a bar;
 * the value's text sits after the bar. No rows: height 0.
 */
export function barLayout(rows, { width, max }) {
	const plotW = Math.max(1, width - 2 * BAR.pad - BAR.valueW);
	const x = scaleLinear([0, max], [0, plotW]);
	const maxChars = Math.max(8, Math.floor((width - 2 * BAR.pad) /
	    BAR.charW));
	const step = BAR.labelH + BAR.barH + BAR.gap;
	const out = rows.map((row, i) => {
		const top = BAR.pad + i * step;
		const w = max > 0 ? r1(x(Math.max(0, row.value))) : 0;
		return { label: row.label, short: truncate(row.label, maxChars),
			valueText: row.valueText, labelY: top + BAR.labelH - 5,
			x: BAR.pad, y: top + BAR.labelH, w, h: BAR.barH,
			textX: r1(BAR.pad + w + 6) };
	});
	return { width, height: rows.length ? BAR.pad * 2 + rows.length * step -
	    BAR.gap : 0, rows: out };
}

/* Margins of the trend chart: room for the score axis and the dates. */
const TREND = { left: 34, right: 14, top: 12, bottom: 30 };

/*
 * The trend of overall scores, oldest first: points [{overall, ...}]
 * spaced evenly (one per session, as the terminal's sparkline) on the
 * fixed 1–4 scale so that shapes compare. {empty, width, height, plot:
 * {x0, x1, y0, y1}, points: [{x, y, value, item}], path, yTicks: [{value,
 * y}]}. One point sits in the middle; none: empty.
 */
export function trendLayout(points, { width, height }) {
	const list = (Array.isArray(points) ? points : [])
	    .filter(p => p && Number.isFinite(p.overall));
	const plot = { x0: TREND.left, x1: width - TREND.right, y0: TREND.top,
		y1: height - TREND.bottom };
	const x = scaleLinear([0, list.length - 1], [plot.x0, plot.x1]);
	const y = scaleLinear([SCORE_MIN, SCORE_MAX], [plot.y1, plot.y0]);
	const pts = list.map((p, i) => ({ x: r1(x(i)), y: r1(y(p.overall)),
		value: p.overall, item: p }));
	const path = pts.map((p, i) => `${i ? 'L' : 'M'}${p.x} ${p.y}`)
	    .join(' ');
	const yTicks = [1, 2, 3, 4].map(value => ({ value, y: r1(y(value)) }));
	return { empty: pts.length === 0, width, height, plot, points: pts,
		path, yTicks };
}
