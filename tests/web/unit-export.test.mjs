// unit-export.test.mjs — the history exports without a browser
// (client/web/js/history/export.js, text.js): the Markdown report, the
// JSON as jansson writes it, CSV quoting and formula defusing, and the
// record's pages gathered by record.js. The browser test
// (history.test.mjs) also compares them with the terminal client's.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';

// Times print in the local zone, as the terminal client's: pin it.
process.env.TZ = 'UTC';

const { csvField, exportFile, jsonReal, noteGroups, toCsv, toJson,
	toMarkdown } = await import('../../client/web/js/history/export.js');
const { fixed2, fmtClock, fmtDuration, fmtTime, fmtTimeIso, noteWhat,
	sanitize } = await import('../../client/web/js/history/text.js');
const { Cancelled, fetchRecord } =
    await import('../../client/web/js/history/record.js');

const T0 = Date.UTC(2025, 10, 26, 18, 37, 5);

// A small record shaped as history.get replies.
function record() {
	return {
		type: 'ok', re: 7,
		session: { session_id: 12, origin: 'room', phase: 'done',
			reason: 'ended_early', ended_by: 1, started_at: T0,
			ended_at: T0 + 600000, role: 'candidate',
			interviewer: { user_id: 1, username: 'alice' },
			candidate: { user_id: 2, username: 'bob' }, overall: 2.5 },
		phases: [{ phase: 'prep', started_at: T0, ended_at: T0 + 60000 },
			{ phase: 'done', started_at: T0 + 600000, ended_at: null }],
		question: { id: 'q', title: 'Tell me | about it', prompt: 'Line 1\nLine 2',
			category: 'Behavioral', difficulty: 'hard', company: '',
			role: '', round: 'Onsite', quick_answer: 'Quick.',
			model_answer: '' },
		checklist: [{ key: 'action', label: 'Action', score: 3 },
			{ key: 'result', label: 'Re|sult', score: null }],
		red_flags: [{ key: 'blame', label: 'Blames others', flagged: true }],
		notes: [
			{ note_id: 1, item: 'action', text: 'good\nsecond', score: 3,
				flag: null, at: T0 + 61000, client_id: null },
			{ note_id: 2, item: 'general', text: '=HYPERLINK("x"), "q"',
				score: null, flag: null, at: T0 + 62000, client_id: 'c1' },
			{ note_id: 3, item: 'blame', text: '', score: null, flag: true,
				at: T0 + 63000, client_id: null },
			{ note_id: 4, item: 'gone_item', text: 'old', score: 0,
				flag: null, at: T0 + 64000, client_id: null },
		],
		notes_total: 4, notes_before: null,
		chat: [{ chat_id: 1, from: 2, username: 'bob',
			text: '<img src=x onerror=alert(1)>', at: T0 + 65000,
			client_id: null }],
		chat_total: 1, chat_before: null,
		feedback: { rating: 4, text: 'thanks\u001b[2J', at: T0 + 700000 },
		swap: { of: null, next: null },
	};
}

test('times, durations, score words and two decimals as fmt.c prints them', () => {
	assert.equal(fmtTime(T0), '2025-11-26 18:37');
	assert.equal(fmtTime(0), '-');
	assert.equal(fmtTime(null), '-');
	assert.equal(fmtClock(T0), '18:37');
	assert.equal(fmtClock(undefined), '--:--');
	assert.equal(fmtTimeIso(T0 + 999), '2025-11-26T18:37:05Z');
	assert.equal(fmtTimeIso(0), '');
	assert.equal(fmtDuration(245000), '4:05');
	assert.equal(fmtDuration(3723000), '1:02:03');
	assert.equal(fmtDuration(1), '0:01');
	assert.equal(fmtDuration(-1), '-');
	// printf's ties go to even; toFixed's go up.
	assert.equal(fixed2(2.125), '2.12');
	assert.equal(fixed2(2.375), '2.38');
	assert.equal(fixed2(10 / 3), '3.33');
	assert.equal(fixed2(3), '3.00');
	assert.equal(noteWhat({ score: 0 }), 'score cleared');
	assert.equal(noteWhat({ score: 2 }), 'scored 2 (weak)');
	assert.equal(noteWhat({ flag: false }), 'flag cleared');
	assert.equal(noteWhat({ score: null, flag: null }), '');
});

test('sanitize drops what a terminal would act on and keeps the text', () => {
	assert.equal(sanitize('a\u001b[31mred\u001b[0m b'), 'ared b');
	assert.equal(sanitize('t\u001b]0;title\u0007x'), 'tx');
	assert.equal(sanitize('c1\u009b2Jz\u0085'), 'c1z');
	assert.equal(sanitize('tab\tnl\ncr\rdel\u007f'), 'tab\tnl\ncrdel');
	assert.equal(sanitize('one\ntwo', false), 'one two');
	assert.equal(sanitize('héllo 世界 🎉'), 'héllo 世界 🎉');
	assert.equal(sanitize('lone \ud800 half'), 'lone ? half');
});

test('the Markdown report has every part, in the terminal’s layout', () => {
	const md = toMarkdown(record());
	assert.ok(md.startsWith('# Mock interview: Tell me | about it\n\n' +
	    '- **Session:** 12 (room), 2025-11-26 18:37 to 2025-11-26 18:47\n' +
	    '- **Interviewer:** alice · **Candidate:** bob\n' +
	    '- **Outcome:** ended early · **Overall:** 2.50 / 4\n\n' +
	    '## Question\n\n**Tell me | about it** — Behavioral, hard, Onsite\n\n' +
	    '> Line 1  \n> Line 2\n\n### Quick answer\n\nQuick.\n'), md);
	assert.ok(!md.includes('### Model answer'));
	assert.ok(md.includes('| Action | 3 (good) |\n| Re\\|sult | – |\n' +
	    '| **Overall** | **2.50 / 4** |\n\n**Red flags:** Blames others\n\n'));
	assert.ok(md.includes('### Action\n\n- 18:38 — *scored 3 (good)*: ' +
	    'good  \n  second\n\n'));
	assert.ok(md.includes('### Blames others\n\n- 18:38 — *flagged*\n\n'));
	assert.ok(md.includes('### General\n\n- 18:38 — =HYPERLINK("x"), "q"\n\n'));
	// An item the question no longer lists still shows, by its key.
	assert.ok(md.includes('### gone_item\n\n- 18:38 — *score cleared*: old\n\n'));
	assert.ok(md.includes('## Chat\n\n- **bob** (18:38): ' +
	    '&lt;img src=x onerror=alert(1)>\n'));
	// The escape sequence in the feedback is gone, the text kept.
	assert.ok(md.includes('## Feedback on the interviewing\n\n4 / 4: thanks\n'));
	assert.ok(md.endsWith('## Timeline\n\n| Phase | Started | Ended |\n' +
	    '| --- | --- | --- |\n| prep | 2025-11-26 18:37 | 2025-11-26 18:38 |\n' +
	    '| done | 2025-11-26 18:47 | - |\n'));
	const groups = noteGroups(record()).map(g => g.key);
	assert.deepEqual(groups, ['action', 'blame', 'general', 'gone_item']);
});

// The terminal client's Markdown of the same records (test-export.c
// checks export.c against the same files): byte for byte.
test('the Markdown is export.c\u2019s for the fixtures, markup escaped', () => {
	const dir = new URL('../fixtures/export/', import.meta.url);
	for (const name of ['full', 'sparse', 'edge']) {
		const rec = JSON.parse(readFileSync(new URL(`${name}.json`, dir),
		    'utf8'));
		assert.equal(toMarkdown(rec), readFileSync(new URL(`${name}.md`,
		    dir), 'utf8'), name);
	}
	const edge = toMarkdown(JSON.parse(readFileSync(new URL(
	    '../fixtures/export/edge.json', import.meta.url), 'utf8')));
	assert.ok(!edge.includes('<script>') && !edge.includes('<img') &&
	    !edge.includes('<i>') && !edge.includes('<limiter>'));
	assert.ok(edge.includes('# Mock interview: Rate &lt;limiter>\n'));
});

test('an empty record still makes a whole report', () => {
	const md = toMarkdown({ session: { session_id: 3, phase: 'answer' } });
	assert.match(md, /\*\*Outcome:\*\* answer · \*\*Overall:\*\* not scored/);
	assert.match(md, /## Notes\n\nNo notes\.\n\n## Chat\n\nNo messages\.\n/);
	assert.match(md, /\*\*Red flags:\*\* none\n/);
	assert.equal(toCsv({}), 'session_id,note_id,at,item,item_label,score,' +
	    'flag,text\r\n');
});

test('JSON keeps every byte as jansson writes it, without the envelope', () => {
	const rec = record();
	const json = toJson(rec);
	assert.ok(!/"type"|"re"/.test(json.slice(0, 40)));
	assert.deepEqual(JSON.parse(json), (({ type: _t, re: _r, ...x }) => x)(rec));
	// Reals as reals, controls upper-case, DEL and C1 escaped too.
	assert.match(json, /\n    "overall": 2\.5\n/);
	assert.match(json, /"text": "thanks\\u001B\[2J"/);
	assert.equal(toJson({ a: '\u007f\u0085/', b: [], c: {}, overall: 3 }),
	    '{\n  "a": "\\u007F\\u0085/",\n  "b": [],\n  "c": {},\n' +
	    '  "overall": 3.0\n}\n');
	assert.equal(jsonReal(3), '3.0');
	assert.equal(jsonReal(2.2), '2.2000000000000002');
	assert.equal(jsonReal(10 / 3), '3.3333333333333335');
	assert.equal(jsonReal(1e20), '1e+20');
	assert.equal(jsonReal(0.00001), '1.0000000000000001e-05');
	assert.equal(jsonReal(0.5), '0.5');
});

test('CSV quotes commas, quotes and line breaks, and defuses formulas', () => {
	assert.equal(csvField('plain'), 'plain');
	assert.equal(csvField('a,b'), '"a,b"');
	assert.equal(csvField('say "hi"'), '"say ""hi"""');
	assert.equal(csvField('two\nlines'), '"two\nlines"');
	assert.equal(csvField('cr\rhere'), '"cr\rhere"');
	// OWASP: a cell starting = + - @ tab or CR is text, not a formula.
	assert.equal(csvField('=1+1'), "'=1+1");
	assert.equal(csvField('+33 6'), "'+33 6");
	assert.equal(csvField('-2'), "'-2");
	assert.equal(csvField('@SUM(A1)'), "'@SUM(A1)");
	assert.equal(csvField('\tx'), "'\tx");
	assert.equal(csvField('=HYPERLINK("http://x","y")'),
	    '"\'=HYPERLINK(""http://x"",""y"")"');
	assert.equal(csvField('a=b'), 'a=b');
	assert.equal(csvField(''), '');
	const csv = toCsv(record());
	assert.equal(csv,
	    'session_id,note_id,at,item,item_label,score,flag,text\r\n' +
	    '12,1,2025-11-26T18:38:06Z,action,Action,3,,"good\nsecond"\r\n' +
	    '12,2,2025-11-26T18:38:07Z,general,General,,,' +
	    '"\'=HYPERLINK(""x""), ""q"""\r\n' +
	    '12,3,2025-11-26T18:38:08Z,blame,Blames others,,true,\r\n' +
	    '12,4,2025-11-26T18:38:09Z,gone_item,gone_item,0,,old\r\n');
});

test('the files are named as the terminal suggests', () => {
	const f = exportFile(record(), 'csv');
	assert.equal(f.filename, 'mockint-session-12.csv');
	assert.match(f.mime, /^text\/csv/);
	assert.equal(exportFile(record(), 'md').filename, 'mockint-session-12.md');
	assert.equal(exportFile(record(), 'json').mime, 'application/json');
	assert.throws(() => exportFile(record(), 'pdf'), /unknown export format/);
});

// ---- record.js: the pages of a record, against a fake server ----

// A server holding n notes and m chat messages, pageSize to a page,
// answering history.get as PROTOCOL.md says; calls are recorded.
function fakeServer(n, m, pageSize, { busyOnce = false } = {}) {
	const notes = Array.from({ length: n }, (_, i) => ({ note_id: i + 1,
		item: 'general', text: `n${i + 1}` }));
	const chat = Array.from({ length: m }, (_, i) => ({ chat_id: i + 1,
		text: `c${i + 1}` }));
	// The newest page of items older than the cursor.
	const page = (all, idKey, before) => {
		const older = all.filter(x => before == null || x[idKey] < before);
		const p = older.slice(-pageSize);
		return { items: p, before: older.length > p.length ? p[0][idKey] :
		    null };
	};
	const calls = [];
	let busy = busyOnce;
	const request = async (type, f) => {
		calls.push({ type, ...f });
		if (busy && f.notes_before !== undefined) {
			busy = false;
			throw Object.assign(new Error('busy'), { code: 'rate_limited',
				retryAfter: 5 });
		}
		if (f.session_id !== 9)
			throw Object.assign(new Error('no such session'),
			    { code: 'not_found' });
		if (f.notes_before !== undefined) {
			const p = page(notes, 'note_id', f.notes_before);
			return { session_id: 9, notes: p.items, notes_before: p.before };
		}
		if (f.chat_before !== undefined) {
			const p = page(chat, 'chat_id', f.chat_before);
			return { session_id: 9, chat: p.items, chat_before: p.before };
		}
		const pn = page(notes, 'note_id', null), pc = page(chat, 'chat_id',
		    null);
		return { session: { session_id: 9 }, notes: pn.items,
			notes_total: n, notes_before: pn.before, chat: pc.items,
			chat_total: m, chat_before: pc.before };
	};
	return { request, calls };
}

test('every page of notes and chat is fetched, oldest first', async () => {
	const srv = fakeServer(23, 7, 5);
	const { record: r, cut } = await fetchRecord(srv.request, 9);
	assert.deepEqual(r.notes.map(x => x.text), Array.from({ length: 23 },
	    (_, i) => `n${i + 1}`));
	assert.deepEqual(r.chat.map(x => x.text), Array.from({ length: 7 },
	    (_, i) => `c${i + 1}`));
	assert.equal(r.notes_before, null);
	assert.equal(r.chat_before, null);
	assert.deepEqual(cut, { notes: null, chat: null });
	// 1 record + 4 more pages of notes + 1 of chat.
	assert.equal(srv.calls.length, 6);
	assert.deepEqual(srv.calls[1], { type: 'history.get', session_id: 9,
		notes_before: 19 });
});

test('a record past the page bound says how much it holds', async () => {
	const srv = fakeServer(50, 2, 5);
	const { record: r, cut } = await fetchRecord(srv.request, 9,
	    { maxPages: 3 });
	assert.equal(r.notes.length, 20);
	assert.deepEqual(cut.notes, { loaded: 20, total: 50 });
	assert.equal(cut.chat, null);
	assert.equal(r.notes_before, 31);
	assert.equal(r.notes[0].text, 'n31');
});

test('rate_limited is waited out; other errors and leaving stop it', async () => {
	const waits = [];
	const srv = fakeServer(12, 1, 5, { busyOnce: true });
	const { record: r } = await fetchRecord(srv.request, 9,
	    { sleep: async ms => waits.push(ms) });
	assert.equal(r.notes.length, 12);
	assert.deepEqual(waits, [5]);
	await assert.rejects(fetchRecord(fakeServer(1, 1, 5).request, 8),
	    { code: 'not_found' });
	let alive = true;
	const slow = fakeServer(12, 1, 5);
	const req = async (type, f) => {
		alive = false;
		return slow.request(type, f);
	};
	await assert.rejects(fetchRecord(req, 9, { alive: () => alive }),
	    e => e instanceof Cancelled);
});

test('a page that does not move back is an error, not a loop', async () => {
	const req = async (type, f) => f.notes_before === undefined ?
	    { notes: [{ note_id: 5 }], notes_before: 5, chat: [],
		chat_before: null } : { notes: [], notes_before: 4 };
	await assert.rejects(fetchRecord(req, 1), /a page of the notes was empty/);
});
