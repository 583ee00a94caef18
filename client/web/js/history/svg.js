/*
 * svg.js — the stats charts drawn as inline SVG from charts.js's layouts.
 * Elements come from document.createElementNS and attributes from
 * setAttribute (no style attributes: the CSP forbids them; colours come
 * from history.css classes). Every text is a text node. Each chart is
 * role="img" with an aria-label and a <title>: a screen reader hears its
 * name once and reads the numbers from the table beside it (stats.js);
 * the parts inside are for the eye (each bar and point has a <title> for
 * a pointer's tooltip).
 */
import { barLayout, trendLayout } from './charts.js';

const NS = 'http://www.w3.org/2000/svg';

/* An SVG element with attributes and children (strings as text). */
export function s(tag, attrs = {}, ...children) {
	const el = document.createElementNS(NS, tag);
	for (const [k, v] of Object.entries(attrs))
		if (v !== null && v !== undefined && v !== false)
			el.setAttribute(k, String(v));
	for (const c of children)
		if (c !== null && c !== undefined && c !== false)
			el.append(typeof c === 'string' ? document.createTextNode(c) : c);
	return el;
}

/* The outer <svg>: named, scaled to its box, drawn in user units. */
function frame(name, width, height, cls) {
	return s('svg', { class: `hist-svg ${cls}`, role: 'img',
		'aria-label': name, viewBox: `0 0 ${width} ${height}`,
		width, height, focusable: 'false' }, s('title', {}, name));
}

/*
 * A horizontal bar chart: rows [{label, value, valueText, cls?}] on
 * [0, max], width user units wide (the box's pixels, so that text stays
 * its size). cls (the chart's, a row's) picks colours; name is the
 * accessible name.
 */
export function barChart({ name, rows, max, width, cls = '' }) {
	const lay = barLayout(rows, { width, max });
	const svg = frame(name, width, lay.height, `hist-bars ${cls}`);
	lay.rows.forEach((r, i) => svg.append(s('g', {
		    class: `hist-bar ${rows[i].cls || ''}` },
		    s('title', {}, `${r.label}: ${r.valueText}`),
		    s('text', { x: r.x, y: r.labelY, class: 'hist-svg-label' },
		    r.short),
		    s('rect', { x: r.x, y: r.y, width: r.w, height: r.h, rx: 3 }),
		    s('text', { x: r.textX, y: r.y + r.h - 3,
		    class: 'hist-svg-value' }, r.valueText))));
	return svg;
}

/*
 * The trend of overall scores: points [{overall, ...}] oldest first, a
 * line through dots on the 1–4 scale with a grid; pointTitle(item) is
 * each dot's tooltip; xLabels [first, last] name the ends of the axis.
 */
export function trendChart({ name, points, width, height, pointTitle,
    xLabels }) {
	const lay = trendLayout(points, { width, height });
	const svg = frame(name, width, height, 'hist-trend');
	const { x0, x1, y1 } = lay.plot;
	for (const t of lay.yTicks)
		svg.append(s('line', { x1: x0, x2: x1, y1: t.y, y2: t.y,
			class: 'hist-svg-grid' }),
		    s('text', { x: x0 - 8, y: t.y + 4, class: 'hist-svg-axis',
			'text-anchor': 'end' }, String(t.value)));
	if (lay.points.length > 1)
		svg.append(s('path', { d: lay.path, class: 'hist-svg-line',
			fill: 'none' }));
	for (const p of lay.points)
		svg.append(s('circle', { cx: p.x, cy: p.y, r: 4,
			class: 'hist-svg-dot' }, s('title', {}, pointTitle(p.item))));
	if (xLabels && lay.points.length) {
		svg.append(s('text', { x: x0, y: y1 + 20, class: 'hist-svg-axis',
			'text-anchor': 'start' }, xLabels[0]));
		if (lay.points.length > 1)
			svg.append(s('text', { x: x1, y: y1 + 20,
				class: 'hist-svg-axis', 'text-anchor': 'end' }, xLabels[1]));
	}
	return svg;
}
