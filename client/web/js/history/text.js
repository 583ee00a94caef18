/*
 * text.js — the words and numbers a session record is shown with, the
 * same as the terminal client's (client/text/fmt.c, sanitize.c), so that
 * the browser's report and exports read like `mockint history export`:
 * times, score names, reasons, "3.50 / 4", and text made safe to print on
 * a terminal. Pure functions: no DOM, no network (tests/web/unit-*.mjs).
 */

const SCORE_NAMES = ['', 'not shown', 'weak', 'good', 'strong'];

const pad2 = n => String(n).padStart(2, '0');

/* A server time (Unix ms) that is one: 0, null and junk are not. */
function isTime(ms) {
	return Number.isFinite(ms) && ms > 0;
}

/* Local "2025-11-26 19:37"; "-" when there is no time (fmt_time). */
export function fmtTime(ms) {
	if (!isTime(ms))
		return '-';
	const d = new Date(ms);
	return `${d.getFullYear()}-${pad2(d.getMonth() + 1)}-` +
	    `${pad2(d.getDate())} ${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

/* Local "19:37"; "--:--" when there is no time (fmt_clock). */
export function fmtClock(ms) {
	if (!isTime(ms))
		return '--:--';
	const d = new Date(ms);
	return `${pad2(d.getHours())}:${pad2(d.getMinutes())}`;
}

/* UTC "2025-11-26T18:37:00Z"; "" when there is no time (fmt_time_iso). */
export function fmtTimeIso(ms) {
	if (!isTime(ms))
		return '';
	return new Date(Math.floor(ms / 1000) * 1000).toISOString()
	    .replace(/\.\d{3}Z$/, 'Z');
}

/* "4:05", "1:02:03", rounded up; "-" for a negative or missing span. */
export function fmtDuration(ms) {
	if (!Number.isFinite(ms) || ms < 0)
		return '-';
	const s = Math.ceil(ms / 1000);
	if (s >= 3600)
		return `${Math.floor(s / 3600)}:${pad2(Math.floor(s / 60) % 60)}:` +
		    `${pad2(s % 60)}`;
	return `${Math.floor(s / 60)}:${pad2(s % 60)}`;
}

/* 1 "not shown", 2 "weak", 3 "good", 4 "strong", else "". */
export function scoreName(score) {
	return Number.isInteger(score) && score >= 1 && score <= 4 ?
	    SCORE_NAMES[score] : '';
}

/* Why a session ended, for people; another reason as it is. */
export function reasonText(reason) {
	if (reason === 'ended_early')
		return 'ended early';
	if (reason === 'no_show')
		return 'no-show';
	return typeof reason === 'string' ? reason : '';
}

/*
 * x with two decimals as C's printf("%.2f") writes it: the exact binary
 * value rounded, a tie to even. toFixed() breaks a tie upwards, and means
 * of scores are exact ties often enough (2.125 is 17/8): without this the
 * two clients would print 2.13 and 2.12 for the same session. A tie at
 * the third decimal is exact in binary only for a multiple of 1/8, and
 * then x * 100 is exact too.
 */
export function fixed2(x) {
	const t = x * 100;
	const fl = Math.floor(t);
	if (Number.isInteger(x * 8) && t - fl === 0.5)
		return ((fl % 2 === 0 ? fl : fl + 1) / 100).toFixed(2);
	return x.toFixed(2);
}

/* An overall score: "3.50 / 4", or "not scored" without one. */
export function overallText(overall) {
	return typeof overall === 'number' && Number.isFinite(overall) ?
	    `${fixed2(overall)} / 4` : 'not scored';
}

/* What a note records besides its text: "scored 3 (good)", "flagged". */
export function noteWhat(note) {
	const { score, flag } = note;
	if (score === 0)
		return 'score cleared';
	if (Number.isInteger(score))
		return `scored ${score} (${scoreName(score)})`;
	if (typeof flag === 'boolean')
		return flag ? 'flagged' : 'flag cleared';
	return '';
}

/* Why the session ended, or the phase it is in. */
export function outcome(s) {
	return str(s, 'reason') ? reasonText(str(s, 'reason')) : str(s, 'phase');
}

/* o[k] when it is a string, else "" (a newer server cannot break us). */
export function str(o, k) {
	const v = o && typeof o === 'object' ? o[k] : undefined;
	return typeof v === 'string' ? v : '';
}

/* o[k] when it is an array, else []. */
export function arr(o, k) {
	const v = o && typeof o === 'object' ? o[k] : undefined;
	return Array.isArray(v) ? v : [];
}

/*
 * The label of a note's item in a record: "General", a checklist item's
 * or red flag's label, else the key itself (an item the question no
 * longer lists). known says which of these it was.
 */
export function itemLabel(h, key) {
	if (key === 'general')
		return { label: 'General', known: true };
	for (const list of ['checklist', 'red_flags'])
		for (const e of arr(h, list))
			if (str(e, 'key') === key)
				return { label: str(e, 'label'), known: true };
	return { label: key, known: false };
}

/* ---- terminal-safe text (client/text/sanitize.c, the same rules) ---- */

const ESC = 0x1b, BEL = 0x07, DEL = 0x7f;
const C1_DCS = 0x90, C1_SOS = 0x98, C1_CSI = 0x9b, C1_ST = 0x9c,
    C1_OSC = 0x9d, C1_PM = 0x9e, C1_APC = 0x9f;

/* Past an OSC/DCS/SOS/PM/APC string starting at i of cps. */
function skipString(cps, i) {
	for (; i < cps.length; i++) {
		if (cps[i] === BEL || cps[i] === C1_ST)
			return i + 1;
		if (cps[i] === ESC && cps[i + 1] === 0x5c)
			return i + 2;
	}
	return i;
}

/* Code points in [lo, hi], then one final one in [flo, fhi]. */
function skipRun(cps, i, lo, hi, flo, fhi) {
	while (i < cps.length && cps[i] >= lo && cps[i] <= hi)
		i++;
	if (i < cps.length && cps[i] >= flo && cps[i] <= fhi)
		i++;
	return i;
}

const skipCsi = (cps, i) => skipRun(cps, i, 0x20, 0x3f, 0x40, 0x7e);

/* What follows an ESC at i - 1. */
function skipEscape(cps, i) {
	const c = String.fromCodePoint(cps[i] ?? 0);
	if (c === '[')
		return skipCsi(cps, i + 1);
	if (']PX^_'.includes(c))
		return skipString(cps, i + 1);
	return skipRun(cps, i, 0x20, 0x2f, 0x30, 0x7e);
}

function skipC1(cps, i) {
	const cp = cps[i];
	if (cp === C1_CSI)
		return skipCsi(cps, i + 1);
	if ([C1_OSC, C1_DCS, C1_SOS, C1_PM, C1_APC].includes(cp))
		return skipString(cps, i + 1);
	return i + 1;
}

/*
 * s without what a terminal would act on: C0 controls (but '\n' and
 * '\t', kept when multiline, else spaces), DEL, C1 controls and whole
 * escape sequences. A lone surrogate (not UTF-8) becomes '?', as an
 * invalid byte does in C. Used on the Markdown and CSV exports, which
 * people print with cat as often as they open them.
 */
export function sanitize(s, multiline = true) {
	const cps = Array.from(String(s), ch => ch.codePointAt(0));
	let out = '';
	for (let i = 0; i < cps.length;) {
		const cp = cps[i];
		if (cp === 0x0a || cp === 0x09) {
			out += multiline ? String.fromCodePoint(cp) : ' ';
			i++;
		} else if (cp === ESC) {
			i = skipEscape(cps, i + 1);
		} else if (cp >= 0x80 && cp <= 0x9f) {
			i = skipC1(cps, i);
		} else if (cp >= 0xd800 && cp <= 0xdfff) {
			out += '?';
			i++;
		} else {
			if (cp >= 0x20 && cp !== DEL)
				out += String.fromCodePoint(cp);
			i++;
		}
	}
	return out;
}

/* A deep copy of a record with every string sanitized (cmd_sanitize). */
export function sanitizeDeep(v) {
	return mapStrings(v, s => sanitize(s, true));
}

/* A copy of v with every string (not keys) through f (cmd_map_strings). */
export function mapStrings(v, f) {
	if (typeof v === 'string')
		return f(v);
	if (Array.isArray(v))
		return v.map(x => mapStrings(x, f));
	if (v && typeof v === 'object') {
		const o = {};
		for (const [k, x] of Object.entries(v))
			o[k] = mapStrings(x, f);
		return o;
	}
	return v;
}
