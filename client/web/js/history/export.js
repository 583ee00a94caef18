/*
 * export.js — one session's record (history.get with every page of notes
 * and chat, see record.js) as the files the terminal client writes with
 * `mockint history export` (client/cmd/export.c): a Markdown report, the
 * record as JSON, one CSV row per note. The same bytes for the same
 * record and time zone, so that a session exported from either client
 * reads the same; both defuse a CSV cell that a spreadsheet would take
 * for a formula (csvField here, export_csv_field there).
 *
 * Pure functions over the record; the page calls dom.js download().
 * The record is read defensively, as in C: a missing field prints as ""
 * or "-", so a newer server cannot break an export.
 */
import { arr, fmtClock, fmtTime, fmtTimeIso, itemLabel, mapStrings,
	noteWhat, outcome, overallText, sanitize, sanitizeDeep, scoreName,
	str } from './text.js';

/* ---- Markdown ---- */

/* Text in a table cell: no pipes, no line breaks. */
function mdCell(s) {
	return s.replace(/\r/g, '').replace(/\|/g, '\\|').replace(/\n/g, '<br>');
}

/*
 * Free text keeping its lines: Markdown joins lines into a paragraph
 * unless they end in two spaces; continuation lines get indent (to stay
 * in a list item or a quote). A final newline stays a plain one.
 */
function mdIndented(s, indent) {
	return s.replace(/\r/g, '').replace(/\n(?=[^])/g, `  \n${indent}`);
}

/* A "### title" section of free text, if there is any. */
function mdSection(title, text) {
	return text ? `\n### ${title}\n\n${mdIndented(text, '')}\n` : '';
}

function mdHead(h, ov) {
	const s = h.session, q = h.question;
	const who = side => str(s?.[side], 'username');
	let out = `# Mock interview: ${str(q, 'title')}\n\n` +
	    `- **Session:** ${num(s, 'session_id')} (${str(s, 'origin')}), ` +
	    `${fmtTime(num(s, 'started_at'))} to ${fmtTime(num(s, 'ended_at'))}\n` +
	    `- **Interviewer:** ${who('interviewer')} · **Candidate:** ` +
	    `${who('candidate')}\n` +
	    `- **Outcome:** ${outcome(s)} · **Overall:** ${ov}\n\n` +
	    `## Question\n\n**${str(q, 'title')}** — ${str(q, 'category')}, ` +
	    `${str(q, 'difficulty')}`;
	if (str(q, 'company'))
		out += `, ${str(q, 'company')}`;
	if (str(q, 'round'))
		out += `, ${str(q, 'round')}`;
	out += `\n\n> ${mdIndented(str(q, 'prompt'), '> ')}\n`;
	return out + mdSection('Quick answer', str(q, 'quick_answer')) +
	    mdSection('Model answer', str(q, 'model_answer'));
}

function mdScores(h, ov) {
	let out = '\n## Scores\n\n| Item | Score |\n| --- | --- |\n';
	for (const e of arr(h, 'checklist')) {
		const sc = e?.score;
		out += `| ${mdCell(str(e, 'label'))} | ` + (Number.isInteger(sc) ?
		    `${sc} (${scoreName(sc)}) |\n` : '– |\n');
	}
	return out + `| **Overall** | **${ov}** |\n\n`;
}

function mdFlags(h) {
	const flagged = arr(h, 'red_flags').filter(e => e?.flagged === true)
	    .map(e => str(e, 'label'));
	return '**Red flags:** ' + (flagged.length ? `${flagged.join('; ')}\n\n` :
	    'none\n\n');
}

function mdNote(n) {
	const what = noteWhat(n), text = str(n, 'text');
	return `- ${fmtClock(num(n, 'at'))} — ` +
	    (what ? `*${what}*${text ? ': ' : ''}` : '') +
	    `${mdIndented(text, '  ')}\n`;
}

function mdNotes(h) {
	let out = '## Notes\n\n';
	if (arr(h, 'notes').length === 0)
		out += 'No notes.\n\n';
	for (const g of noteGroups(h))
		out += `### ${g.title}\n\n${g.notes.map(mdNote).join('')}\n`;
	return out;
}

function mdChat(h) {
	const chat = arr(h, 'chat');
	return '## Chat\n\n' + (chat.length ? '' : 'No messages.\n') +
	    chat.map(c => `- **${str(c, 'username')}** ` +
	    `(${fmtClock(num(c, 'at'))}): ${mdIndented(str(c, 'text'), '  ')}\n`)
	    .join('');
}

function mdFeedback(fb) {
	if (!fb || typeof fb !== 'object' || Array.isArray(fb))
		return '';
	const text = str(fb, 'text');
	return `\n## Feedback on the interviewing\n\n${num(fb, 'rating')} / 4` +
	    (text ? `: ${mdIndented(text, '')}` : '') + '\n';
}

function mdTimeline(h) {
	return '\n## Timeline\n\n| Phase | Started | Ended |\n| --- | --- | --- |\n' +
	    arr(h, 'phases').map(e => `| ${str(e, 'phase')} | ` +
	    `${fmtTime(num(e, 'started_at'))} | ${fmtTime(num(e, 'ended_at'))} |\n`)
	    .join('');
}

/* The Markdown report of record h (export.c's markdown renderer). */
export function toMarkdown(record) {
	/* Sanitized, and every '<' of the record's text, a peer's and the
	 * bank's alike, as "&lt;" (export.c's md_escaped): a Markdown viewer
	 * shows the '<' typed, and nobody's text becomes an HTML tag in the
	 * reader's viewer. One copy, one pass. */
	const h = mapStrings(record,
	    s => sanitize(s, true).replace(/</g, '&lt;'));
	const ov = overallText(h?.session?.overall);
	return mdHead(h, ov) + mdScores(h, ov) + mdFlags(h) + mdNotes(h) +
	    mdChat(h) + mdFeedback(h.feedback) + mdTimeline(h);
}

/* o[k] as an integer (json_integer_value: 0 when it is not one). */
function num(o, k) {
	const v = o && typeof o === 'object' ? o[k] : undefined;
	return Number.isInteger(v) ? v : 0;
}

/*
 * The notes under their items, as the reports group them: each checklist
 * item's, then each red flag's, then the general ones, then those on
 * items the question no longer lists (by first appearance). Items without
 * notes are left out. [{key, title, notes}]; the page uses it too.
 */
export function noteGroups(h) {
	const notes = arr(h, 'notes');
	const groups = [];
	const add = (key, title) => {
		const mine = notes.filter(n => str(n, 'item') === key);
		if (mine.length)
			groups.push({ key, title, notes: mine });
	};
	for (const list of ['checklist', 'red_flags'])
		for (const e of arr(h, list))
			add(str(e, 'key'), str(e, 'label'));
	add('general', 'General');
	const seen = new Set();
	for (const n of notes) {
		const key = str(n, 'item');
		if (!itemLabel(h, key).known && !seen.has(key)) {
			seen.add(key);
			add(key, key);
		}
	}
	return groups;
}

/* ---- JSON, as jansson writes it (JSON_INDENT(2)) ---- */

/* Fields the protocol says are reals: jansson writes 3.0, not 3. */
const REAL_KEYS = new Set(['overall', 'mean', 'feedback_mean']);

/* A real as C's "%.17g", with ".0" when it would read as an integer. */
export function jsonReal(x) {
	if (!Number.isFinite(x))
		return 'null';
	const [mant, e] = x.toExponential(16).split('e');
	const exp = Number(e);
	let out;
	if (exp < -4 || exp >= 17) {
		const m = mant.replace(/\.?0+$/, '');
		out = `${m}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp))
		    .padStart(2, '0')}`;
	} else {
		out = x.toFixed(Math.max(0, 16 - exp));
		if (out.includes('.'))
			out = out.replace(/\.?0+$/, '');
	}
	return /[.e]/.test(out) ? out : `${out}.0`;
}

/*
 * A JSON string as jansson escapes it (upper-case \u00XX for the C0
 * controls), and, as the terminal's export does, DEL and the C1
 * controls too: a terminal may take a raw U+009B for CSI when the file
 * is printed. A lone surrogate is escaped rather than written broken.
 */
function jsonString(s) {
	let out = '"';
	for (const ch of s) {
		const c = ch.codePointAt(0);
		if (ch === '"' || ch === '\\')
			out += `\\${ch}`;
		else if (c === 0x08)
			out += '\\b';
		else if (c === 0x0c)
			out += '\\f';
		else if (c === 0x0a)
			out += '\\n';
		else if (c === 0x0d)
			out += '\\r';
		else if (c === 0x09)
			out += '\\t';
		else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) ||
		    (c >= 0xd800 && c <= 0xdfff))
			out += `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`;
		else
			out += ch;
	}
	return `${out}"`;
}

function jsonValue(v, key, indent) {
	if (typeof v === 'string')
		return jsonString(v);
	if (typeof v === 'number')
		return REAL_KEYS.has(key) || !Number.isInteger(v) ? jsonReal(v) :
		    String(v);
	if (typeof v === 'boolean')
		return String(v);
	if (v === null || typeof v !== 'object')
		return 'null';
	const inner = `${indent}  `;
	if (Array.isArray(v))
		return v.length === 0 ? '[]' : `[\n${v.map(x => inner +
		    jsonValue(x, key, inner)).join(',\n')}\n${indent}]`;
	const keys = Object.keys(v).filter(k => v[k] !== undefined);
	return keys.length === 0 ? '{}' : `{\n${keys.map(k => inner +
	    `${jsonString(k)}: ${jsonValue(v[k], k, inner)}`).join(',\n')}` +
	    `\n${indent}}`;
}

/* The record as JSON, every byte kept; the envelope is transport. */
export function toJson(record) {
	const { type: _type, re: _re, ...rest } = record || {};
	return `${jsonValue(rest, '', '')}\n`;
}

/* ---- CSV (RFC 4180) ---- */

/* Cells a spreadsheet evaluates when they begin so (OWASP, CSV
 * Injection): =, +, -, @, and tab and CR, which some skip first. */
const FORMULA_START = /^[=+\-@\t\r]/;

/*
 * One CSV field: quoted when it holds a comma, quote, CR or LF, quotes
 * doubled. A text that a spreadsheet would run as a formula ("=HYPERLINK
 * (...)", "@SUM(...)") gets a leading ' as OWASP recommends, so that it
 * shows as the text it is, as the terminal client's export_csv_field.
 */
export function csvField(value) {
	let s = String(value ?? '');
	if (FORMULA_START.test(s))
		s = `'${s}`;
	return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/* One row per note: session_id,note_id,at,item,item_label,score,flag,text. */
export function toCsv(record) {
	const h = sanitizeDeep(record);
	const sid = num(h.session, 'session_id');
	const rows = ['session_id,note_id,at,item,item_label,score,flag,text'];
	for (const n of arr(h, 'notes')) {
		const item = str(n, 'item');
		rows.push([sid, num(n, 'note_id'), csvField(fmtTimeIso(num(n, 'at'))),
			csvField(item), csvField(itemLabel(h, item).label),
			Number.isInteger(n.score) ? n.score : '',
			typeof n.flag === 'boolean' ? String(n.flag) : '',
			csvField(str(n, 'text'))].join(','));
	}
	/* RFC 4180: CRLF after every record, the header's included. */
	return rows.map(r => `${r}\r\n`).join('');
}

/* ---- the files ---- */

const FORMATS = {
	md: { ext: 'md', mime: 'text/markdown;charset=utf-8', write: toMarkdown },
	json: { ext: 'json', mime: 'application/json', write: toJson },
	csv: { ext: 'csv', mime: 'text/csv;charset=utf-8', write: toCsv },
};

/*
 * The download of record as format ('md', 'json' or 'csv'): {filename,
 * mime, text}; the name is the one the terminal's browser suggests.
 */
export function exportFile(record, format) {
	const f = FORMATS[format];
	if (!f)
		throw new Error(`unknown export format '${format}'`);
	const id = num(record?.session, 'session_id');
	return { filename: `mockint-session-${id}.${f.ext}`, mime: f.mime,
		text: f.write(record) };
}
