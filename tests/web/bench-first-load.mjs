// bench-first-load.mjs — `make bench`'s web row (tests/bench/run-bench.sh):
// the browser client's first load in headless chromium on loopback,
// against a real mockintd (MOCKINTD: the bench's Release build) with the
// default Argon2id cost, so that signing in costs what it costs people.
//
// Each of BENCH_WEB_RUNS (5) runs is a cold load in a fresh incognito
// context (nothing cached): the bytes of every HTTP response of the load
// (as transferred, gzipped where the server gzips, headers included; and
// their bodies uncompressed), the time from navigation to the sign-in form
// (the fields Username and Password and the button Sign in all visible),
// and from clicking Sign in to the home screen (the button Find a
// partner visible). Prints a summary on stderr and a CSV header and line
// on stdout, which tests/bench/bench-table.sh reads.
import { byName, closePage, launchBrowser, openPage, registerUser,
	startServer } from './harness.mjs';

const RUNS = Number(process.env.BENCH_WEB_RUNS || 5);
const WAIT_MS = 30000;
const USER = 'bench_web';
const PASSWORD = 'quartz-lantern-meadow-47';

function median(v) {
	const s = [...v].sort((a, b) => a - b);
	return s[Math.floor((s.length - 1) / 2)];
}

/*
 * In the page, from its first moment: note (on window.benchMarks) the
 * performance.now() at which the sign-in form and the home screen are
 * first visible, and at which Sign in is clicked, checked on every DOM
 * change and every frame. performance.now() counts from the navigation's
 * start, so the form's mark is the time from navigation; puppeteer's own
 * waits would add their polling to it. The accessible name is the usual
 * one for these elements: aria-label, aria-labelledby, a <label>, or a
 * button's text.
 */
function marker() {
	const marks = window.benchMarks = {};
	const name = el => (el.getAttribute('aria-label') ||
	    (el.getAttribute('aria-labelledby') || '').split(' ')
	    .map(id => document.getElementById(id)?.textContent || '').join(' ') ||
	    [...(el.labels || [])].map(l => l.textContent).join(' ') ||
	    (el.tagName === 'BUTTON' ? el.textContent : '')).trim();
	const shown = el => el.getClientRects().length > 0 &&
	    getComputedStyle(el).visibility !== 'hidden';
	const has = (sel, n) => [...document.querySelectorAll(sel)]
	    .some(el => name(el) === n && shown(el));
	const check = () => {
		const now = performance.now();
		if (!marks.form && has('input', 'Username') &&
		    has('input', 'Password') && has('button', 'Sign in'))
			marks.form = now;
		if (!marks.home && has('button', 'Find a partner'))
			marks.home = now;
	};
	new MutationObserver(check).observe(document, { subtree: true,
	    childList: true, attributes: true });
	const frame = () => {
		check();
		if (!marks.home)
			requestAnimationFrame(frame);
	};
	requestAnimationFrame(frame);
	document.addEventListener('click', e => {
		if (e.target.closest && e.target.closest('button') &&
		    name(e.target.closest('button')) === 'Sign in')
			marks.click ??= performance.now();
	}, true);
}

function visible(page, name, role) {
	const q = s => JSON.stringify(s);
	return page.waitForSelector(role ? `::-p-aria([name=${q(name)}]` +
	    `[role=${q(role)}])` : `::-p-aria(${name})`,
	    { visible: true, timeout: WAIT_MS });
}

// Count what the page loads over HTTP from now on (not the WebSocket).
async function meter(page) {
	const cdp = await page.createCDPSession();
	const seen = new Map();
	const m = { requests: 0, transferred: 0, raw: 0 };
	await cdp.send('Network.enable');
	await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
	cdp.on('Network.responseReceived', e => {
		if (e.type !== 'WebSocket')
			seen.set(e.requestId, 0);
	});
	cdp.on('Network.dataReceived', e => {
		if (seen.has(e.requestId))
			seen.set(e.requestId, seen.get(e.requestId) + e.dataLength);
	});
	cdp.on('Network.loadingFinished', e => {
		if (!seen.has(e.requestId))
			return;
		m.requests++;
		m.transferred += e.encodedDataLength;
		m.raw += seen.get(e.requestId);
	});
	return m;
}

async function run(browser, srv) {
	// A blank page first, so that the metering starts with nothing of
	// the app loaded (and the cache is off).
	const page = await openPage(browser, srv, { path: 'about:blank' });
	const m = await meter(page);
	await page.evaluateOnNewDocument(marker);
	await page.goto(srv.url, { waitUntil: 'domcontentloaded' });
	await Promise.all([visible(page, 'Username'), visible(page, 'Password'),
		visible(page, 'Sign in', 'button')]);
	await byName(page, 'Username').fill(USER);
	await byName(page, 'Password').fill(PASSWORD);
	await byName(page, 'Sign in', 'button').click();
	await visible(page, 'Find a partner', 'button');
	const marks = await page.waitForFunction(() => window.benchMarks.home &&
	    window.benchMarks, { timeout: WAIT_MS }).then(h => h.jsonValue());
	if (!marks.form || !marks.click)
		throw new Error(`the page's marks are incomplete: ` +
		    JSON.stringify(marks));
	const form = marks.form, home = marks.home - marks.click;
	// Whatever the load still fetched after the form showed.
	await page.waitForNetworkIdle({ idleTime: 300, timeout: WAIT_MS })
	    .catch(() => {});
	if (page.errors.length > 0)
		throw new Error(`the page logged errors:\n${page.errors.join('\n')}`);
	await closePage(page);
	return { ...m, form, home };
}

const srv = await startServer({ args: ['--log-level', 'info',
	'--pwhash-ops', '2', '--pwhash-mem', String(64 * 1024 * 1024)] });
const browser = await launchBrowser();
let rc = 0;
try {
	await registerUser(srv, USER, PASSWORD);
	const runs = [];
	for (let i = 0; i < RUNS; i++)
		runs.push(await run(browser, srv));
	const last = runs[runs.length - 1];
	const forms = runs.map(r => r.form), homes = runs.map(r => r.home);
	const row = {
		label: 'web', runs: RUNS, requests: last.requests,
		bytes_gzip: last.transferred, bytes_raw: last.raw,
		form_p50_ms: median(forms).toFixed(1),
		form_max_ms: Math.max(...forms).toFixed(1),
		home_p50_ms: median(homes).toFixed(1),
		home_max_ms: Math.max(...homes).toFixed(1),
	};
	console.error(`web first load: ${row.requests} requests, ` +
	    `${row.bytes_gzip} bytes transferred (${row.bytes_raw} ` +
	    `uncompressed); sign-in form after ${row.form_p50_ms} ms ` +
	    `(max ${row.form_max_ms}), home ${row.home_p50_ms} ms after ` +
	    `Sign in (max ${row.home_max_ms}); ${RUNS} cold loads`);
	console.log(Object.keys(row).join(','));
	console.log(Object.values(row).join(','));
} catch (e) {
	console.error(`web first load: ${e.message}`);
	rc = 1;
} finally {
	await browser.close();
	await srv.stop();
}
process.exit(rc);
