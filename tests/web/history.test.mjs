// history.test.mjs — the history screens in chromium against a real
// mockintd whose history was played over the protocol from node: the
// list pages with More, a search goes on through the pages not loaded
// yet, a report holds every note and chat message past the first page,
// each export downloads and is the bytes the terminal client exports
// (byte for byte), the stats
// charts come with tables of the right numbers, what a peer wrote stays
// text, the print stylesheet hides the controls, and axe finds nothing
// serious at desktop and phone sizes. Every wait is for an event.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { before, describe, test } from 'node:test';

import { askAs, auditBoth, closeClean, PASSWORD, submitSignIn, useServer,
	waitFor, WAIT_MS } from './flows.mjs';
import { audit, byName, mockint, openPage, registerUser, shot,
	wsConnect } from './harness.mjs';

const XSS = '<img src=x onerror=alert(1)>';
const FORMULA = '=HYPERLINK("http://example.invalid","click"), "quoted"';
// Near the 4 KiB limit: 20 of them are two pages of 64 KiB.
const BIG = 3900;
const BIG_COUNT = 20;
// Sessions bob plays: more than a page of history.list (20).
const AS_INTERVIEWER = 3;
const AS_CANDIDATE = 22;

// Bob's own history: as many sessions an hour and requests a second as
// the seeding takes.
const env = useServer(['--limit-sessions-per-hour', '0',
	'--limit-requests-per-s', '0', '--limit-pushes-per-s', '0',
	'--limit-room-joins-per-min', '1000000']);
let bob, big, small, expected;

// ---- the history, played over the protocol ----

async function user(name) {
	await registerUser(env.srv, name, PASSWORD);
	const c = await wsConnect(env.srv);
	const r = await c.request('login', { username: name, password: PASSWORD });
	return { name, c, token: r.token };
}

const text = (tag, n) => `${tag}-${String(n).padStart(2, '0')} ` +
    'lorem ipsum dolor sit amet '.repeat(BIG).slice(0, BIG - 20);

/*
 * One session through a room: iv interviews cand; scores [[index,
 * score]...] on the checklist, notes [{item, text}], chat [[who, text]],
 * then the end and the candidate's feedback. Returns what was recorded.
 */
async function play(iv, cand, { scores = [], notes = [], chat = [],
    feedback = null } = {}) {
	const { code } = await iv.c.request('room.create', { role: 'interviewer' });
	const { session_id: sid } = await cand.c.request('room.join', { code });
	const { session } = await iv.c.request('session.get', { session_id: sid });
	const keys = session.question.checklist.map(e => e.key);
	const latest = new Map();
	for (const [i, score] of scores) {
		await iv.c.request('note.add', { session_id: sid, item: keys[i], score });
		latest.set(keys[i], score);
	}
	for (const n of notes)
		await iv.c.request('note.add', { session_id: sid, ...n,
			item: n.item ?? keys[0] });
	for (const [who, t] of chat)
		await who.c.request('chat.send', { session_id: sid, text: t });
	await iv.c.request('session.end', { session_id: sid });
	if (feedback)
		await cand.c.request('feedback.give', { session_id: sid, ...feedback });
	return { sid, latest, question: session.question, notes, chat };
}

/* What history.stats must say of bob, from what was played. */
function expect(played, ratings) {
	const items = new Map();
	const trend = [];
	for (const p of played) {
		for (const [k, v] of p.latest) {
			const e = items.get(k) || { sum: 0, count: 0 };
			e.sum += v;
			e.count++;
			items.set(k, e);
		}
		const v = [...p.latest.values()];
		trend.push(v.reduce((a, b) => a + b, 0) / v.length);
	}
	return { items, trend, ratings };
}

async function seed() {
	const alice = await user('alice'), carol = await user('carol');
	bob = await user('bob');
	const ratings = [];
	for (let i = 0; i < AS_INTERVIEWER; i++) {
		const rating = i + 2;
		ratings.push(rating);
		await play(bob, carol, { scores: [[0, 3]], feedback: { rating,
			text: i === 0 ? `${XSS} but useful` : `comment ${i}` } });
	}
	const played = [];
	for (let i = 0; i < AS_CANDIDATE - 1; i++)
		played.push(await play(alice, bob, { scores: [[0, i % 4 + 1],
			[1, (i + 1) % 4 + 1], [2, (i * 3) % 4 + 1]] }));
	// The newest: long notes and chat (past the first page), a score
	// given twice (the latest counts), a peer's markup and a formula.
	big = await play(alice, bob, {
		scores: [[0, 1], [1, 2], [0, 4]],
		notes: [...Array.from({ length: BIG_COUNT }, (_, i) =>
		    ({ text: text('note', i) })),
			{ item: 'general', text: `${XSS}\nsecond line` },
			{ item: 'general', text: FORMULA }],
		chat: [...Array.from({ length: BIG_COUNT }, (_, i) =>
		    [i % 2 ? bob : alice, text('chat', i)]), [alice, XSS]],
		feedback: { rating: 3, text: 'thanks' } });
	played.push(big);
	small = played[0];
	expected = expect(played, ratings);
	for (const u of [alice, bob, carol])
		u.c.close();
}

// ---- the browser ----

/*
 * A page signed in as name at hash (the app goes back there after the
 * sign-in), in UTC as the terminal's exports here; page.dialogs gathers
 * any alert() a peer's text might have smuggled in.
 */
async function signedIn(name, hash) {
	const page = await openPage(env.browser, env.srv, { hash });
	page.dialogs = [];
	page.on('dialog', d => {
		page.dialogs.push(d.message());
		d.dismiss();
	});
	await page.emulateTimezone('UTC');
	await submitSignIn(page, name);
	await waitFor(page, h => location.hash === h, hash, `back at ${hash}`);
	return page;
}

const bobPage = hash => signedIn('bob', hash);

/* Wait for the history list to show n rows. */
const rowsShown = (page, n) => waitFor(page, k => document.querySelectorAll(
    '.hist-list tbody tr').length === k, n, `${n} rows`);


/* Every table on the page: {caption: [[cell text...]...]} (body rows). */
function tables(page) {
	return page.evaluate(() => Object.fromEntries([...document
	    .querySelectorAll('table')].map(t => [t.caption?.textContent ?? '',
		[...t.tBodies[0].rows].map(r => [...r.cells].map(c =>
		    c.textContent))])));
}

/* Nothing a peer wrote became markup, and no script of theirs ran;
 * then the page goes, having logged no error. */
async function closeInert(page, what) {
	assert.equal(await page.$$eval('#main img, #main script', e => e.length),
	    0);
	assert.deepEqual(page.dialogs, []);
	await closeClean(page, what);
}

/* Downloads of page go to a directory of their own; next() resolves with
 * {name, text} of the next one completed. */
async function downloads(page) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mockint-dl-'));
	const cdp = await env.browser.target().createCDPSession();
	await cdp.send('Browser.setDownloadBehavior', { behavior: 'allowAndName',
		downloadPath: dir, eventsEnabled: true,
		browserContextId: page.browserContext().id });
	const names = new Map();
	const waiting = new Set();
	cdp.on('Browser.downloadWillBegin', e => names.set(e.guid,
	    e.suggestedFilename));
	return {
		dir,
		next() {
			return new Promise((resolve, reject) => {
				const w = { timer: setTimeout(() => {
					waiting.delete(w);
					reject(new Error('no download'));
				}, WAIT_MS) };
				const done = e => {
					if (e.state !== 'completed')
						return;
					clearTimeout(w.timer);
					waiting.delete(w);
					cdp.off('Browser.downloadProgress', done);
					resolve({ name: names.get(e.guid), text: fs.readFileSync(
					    path.join(dir, e.guid), 'utf8') });
				};
				waiting.add(w);
				cdp.on('Browser.downloadProgress', done);
			});
		},
		/* A test that failed first leaves no download waiting. */
		async close() {
			for (const w of waiting)
				clearTimeout(w.timer);
			await cdp.detach();
			fs.rmSync(dir, { recursive: true, force: true });
		},
	};
}

/* `mockint history export ID --format f` as bob, in UTC. */
async function terminalExport(id, format) {
	const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mockint-cfg-'));
	fs.mkdirSync(path.join(home, 'mockint'), { mode: 0o700 });
	fs.writeFileSync(path.join(home, 'mockint', 'login'),
	    `server=${env.srv.wsUrl.replace(/\/$/, '')}\ntoken=${bob.token}\n` +
	    'username=bob\n', { mode: 0o600 });
	try {
		const { stdout } = await promisify(execFile)(mockint, ['history',
			'export', String(id), '--format', format], { env: { ...process.env,
			XDG_CONFIG_HOME: home, TZ: 'UTC' }, maxBuffer: 16 << 20 });
		return stdout;
	} finally {
		fs.rmSync(home, { recursive: true, force: true });
	}
}

// A suite: its seeding waits for useServer's server (root hooks run
// side by side).
describe('bob’s history', () => {
	before(seed);

	test('the list: a page, More, search, and the keyboard to a report', async () => {
		const all = AS_INTERVIEWER + AS_CANDIDATE;
		const page = await bobPage('#/history');
		await rowsShown(page, 20);
		const more = byName(page, 'More', 'button');
		await more.click();
		await rowsShown(page, all);
		assert.equal(await page.$eval('.hist-more', b => b.hidden), true,
		    'no More after the last page');

		// A fresh list: only the first page is loaded.
		await page.evaluate(() => { location.hash = '#/home'; });
		await waitFor(page, () => !document.querySelector('.hist-list'),
		    null, 'the list gone');
		await page.evaluate(() => { location.hash = '#/history'; });
		await rowsShown(page, 20);
		// Typing a search: carol is the peer of bob's interviewer
		// sessions, his oldest, none on the first page: the search loads
		// the older pages itself, as the terminal's does.
		await byName(page, 'Search history').click();
		await page.keyboard.type('CAROL');
		await rowsShown(page, AS_INTERVIEWER);
		await waitFor(page, () => /3 of 25 sessions match “CAROL”\.$/.test(
		    document.querySelector('.hist-status').textContent), null,
		    'the whole history searched');
		assert.equal(await page.$eval('.hist-more', b => b.hidden), true,
		    'no More once the search has loaded everything');
		await page.keyboard.type(' nothing-like-this');
		await waitFor(page, () => document.querySelector('.hist-list').hidden,
		    null, 'no row left');
		assert.match(await page.$eval('.hist-status', e => e.textContent),
		    /No session matches/);
		await page.$eval('#hist-search', e => e.select());
		await page.keyboard.press('Backspace');
		await rowsShown(page, all);

		// From the search box, Tab reaches the newest session's link.
		await page.keyboard.press('Tab');
		assert.equal(await page.evaluate(() => document.activeElement
		    .getAttribute('href')), `#/history/${big.sid}`);
		await page.keyboard.press('Enter');
		await waitFor(page, id => location.hash === `#/history/${id}`, big.sid,
		    'the report opened');
		await closeInert(page, 'the list');
	});

	test('the report: every note and message, exports, print', async () => {
		const page = await bobPage(`#/history/${big.sid}`);
		await waitFor(page, () => document.querySelector('.hist-actions'), null,
		    'the report');
		// Each note's and message's text, as text, past the first page too.
		const notes = await page.$$eval('.hist-notes .hist-text',
		    e => e.map(x => x.textContent));
		for (const n of big.notes)
			assert.ok(notes.includes(n.text), `note ${n.text.slice(0, 20)}`);
		assert.equal(notes.length, big.notes.length);
		const chat = await page.$$eval('.hist-chat .hist-text',
		    e => e.map(x => x.textContent));
		assert.deepEqual(chat, big.chat.map(([, t]) => t));
		// The score given twice shows the latest.
		const first = big.question.checklist[0].label;
		assert.equal(await page.$$eval('.hist-item', (els, l) => els.find(e =>
		    e.querySelector('h3').textContent === l)
		    .querySelector('.hist-state').textContent, first), 'Score: 4 (strong)');
		await audit(page, 'report-long');

		const dl = await downloads(page);
		try {
			const got = {};
			for (const [f, label] of [['md', 'Export Markdown'],
			    ['json', 'Export JSON'], ['csv', 'Export CSV']]) {
				const next = dl.next();
				await byName(page, label, 'button').click();
				got[f] = await next;
				assert.equal(got[f].name, `mockint-session-${big.sid}.${f}`);
			}
			const rec = JSON.parse(got.json.text);
			assert.equal(rec.notes.length, rec.notes_total);
			assert.equal(rec.chat.length, BIG_COUNT + 1);
			assert.equal(rec.notes_before, null);
			const lines = got.csv.text.split('\r\n');
			assert.equal(lines[0], 'session_id,note_id,at,item,item_label,score,' +
			    'flag,text');
			assert.equal(lines.length, rec.notes_total + 2);
			const quoted = FORMULA.replace(/"/g, '""');
			assert.ok(got.csv.text.includes(`,"'${quoted}"`));
			// A peer's '<' is written "&lt;": no tag in a Markdown viewer.
			assert.ok(got.md.text.includes(
			    `${XSS.replace('<', '&lt;')}  \n  second line`));
			assert.ok(!got.md.text.includes(XSS));
			// The same files as the terminal client's, byte for byte.
			assert.equal(got.md.text, await terminalExport(big.sid, 'md'));
			assert.equal(got.json.text, await terminalExport(big.sid, 'json'));
			assert.equal(got.csv.text, await terminalExport(big.sid, 'csv'));
		} finally {
			await dl.close();
		}

		await page.emulateMediaType('print');
		const printed = await page.evaluate(() => ({
			buttons: [...document.querySelectorAll('button')].filter(b =>
			    b.offsetParent !== null).map(b => b.textContent),
			nav: document.querySelector('nav')?.offsetParent ?? null,
			color: getComputedStyle(document.querySelector('.hist-report p'))
			    .color,
		}));
		assert.deepEqual(printed.buttons, []);
		assert.equal(printed.nav, null);
		assert.equal(printed.color, 'rgb(0, 0, 0)');
		await closeInert(page, 'the long report');
	});

	test('stats: charts with their names and tables of the right numbers', async () => {
		const stats = await askAs(env, 'bob', 'history.stats', {});
		for (const it of stats.as_candidate.items) {
			const e = expected.items.get(it.key);
			assert.ok(Math.abs(it.mean - e.sum / e.count) < 1e-9, it.key);
			assert.equal(it.count, e.count);
		}
		const page = await bobPage('#/stats');
		await waitFor(page, () => document.querySelectorAll('svg[role=img]')
		    .length === 3, null, 'three charts');
		const names = await page.$$eval('svg[role=img]', s => s.map(x => [
			x.getAttribute('aria-label'), x.querySelector('title')?.textContent]));
		for (const [label, title] of names) {
			assert.ok(label.length > 10);
			assert.equal(title, label);
		}
		const t = await tables(page);
		// Two decimals as C's printf: a tie (2.125) to even, as the terminal.
		const f2 = x => new Intl.NumberFormat('en-US', { useGrouping: false,
			minimumFractionDigits: 2, maximumFractionDigits: 2,
			roundingMode: 'halfEven' }).format(x);
		const weakest = [...stats.as_candidate.items].sort((a, b) =>
		    a.mean - b.mean || (a.label < b.label ? -1 : a.label > b.label));
		assert.deepEqual(t['Mean score per checklist item'], weakest.map(e =>
		    [e.label, f2(e.mean), String(e.count)]));
		assert.deepEqual(t['Overall score per session, oldest first'].map(r =>
		    r[2]), expected.trend.map(f2));
		assert.deepEqual(t['Ratings received'], [1, 2, 3, 4].map(r =>
		    [`${r} / 4`, String(expected.ratings.filter(x => x === r).length)]));
		assert.ok((await page.$eval('.hist-feedback', e => e.textContent))
		    .includes(`${XSS} but useful`));
		// The questions had, with their category from questions.list.
		const had = t['Questions you had as candidate, most recent first'];
		assert.deepEqual(had.map(r => [r[0], r[2]]), stats.questions.map(q =>
		    [q.title, String(q.times)]));
		assert.ok(had.every(r => r[1] !== '-'), 'every one is in the bank');
		assert.ok(await page.evaluate(n => document.body.innerText.includes(
		    `You have had ${n} of the `), stats.questions.length));
		await closeInert(page, 'the stats');
	});

	test('a newcomer: no sessions yet, and not another user’s report', async () => {
		await registerUser(env.srv, 'dave', PASSWORD);
		const page = await signedIn('dave', '#/history');
		await waitFor(page, () => document.body.innerText.includes(
		    'No sessions yet.'), null, 'an empty history');
		assert.equal(await page.$eval('.hist-list', t => t.hidden), true);
		assert.equal(await page.$eval('.hist-more', b => b.hidden), true);
		await page.evaluate(() => { location.hash = '#/stats'; });
		await waitFor(page, () => document.querySelector(
		    '.hist-stats .hist-empty'), null, 'empty stats');
		assert.equal(await page.$$eval('svg', s => s.length), 0);
		// bob's session is no session of dave's: said, with no retry.
		await page.evaluate(id => { location.hash = `#/history/${id}`; }, big.sid);
		await waitFor(page, () => document.querySelector(
		    '.hist-error [role=alert]'), null, 'refused');
		assert.match(await page.$eval('.hist-error', e => e.textContent),
		    /^No session of yours has that number\.$/);
		assert.equal(await page.$('.hist-report .hist-notes'), null);
		await audit(page, 'report-not-found');
		await closeInert(page, 'a newcomer');
	});

	test('each screen at desktop and phone size: fits, passes axe, printable',
	    async () => {
		for (const [hash, ready, name] of [
			['#/history', '.hist-list tbody tr', 'history'],
			[`#/history/${small.sid}`, '.hist-actions', 'report'],
			['#/stats', 'svg[role=img]', 'stats']]) {
			const page = await bobPage(hash);
			await waitFor(page, s => document.querySelector(s), ready, name);
			await auditBoth(page, name);
			if (name === 'report') {
				await page.emulateMediaType('print');
				await shot(page, 'report-print');
			}
			await closeInert(page, name);
		}
	});
});
