// harness.mjs — the shared harness of the browser tests (tests/web/): a
// real mockintd on a free port with its own temporary database, Debian's
// chromium through puppeteer-core, one fresh browser context per page, an
// axe-core audit, screenshots, and a plain WebSocket client for setting
// things up from node. Every wait is bounded: a test fails, it never hangs.
//
//   const srv = await startServer({ args: [] });
//   const browser = await launchBrowser();
//   const page = await openPage(browser, srv, { mobile: false, hash: '#/signin' });
//   await byName(page, 'Username').fill('alice');
//   await audit(page, 'signin');
//   await shot(page, 'signin');
//   await closePage(page); await browser.close(); await srv.stop();
//
// Environment: MOCKINTD (the server; default the test build's), MOCKINT
// (the terminal client, for mixed tests), MOCKINT_WEB_DIR (serve that
// directory with --web instead of the assets compiled in), CHROMIUM
// (default /usr/bin/chromium), WEB_SHOTS (where shot() writes; default
// build-test/web-shots), MOCKINT_KEEP_TMP (keep the servers' directories).

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import puppeteer from 'puppeteer-core';
import WebSocket from 'ws';

const here = path.dirname(fileURLToPath(import.meta.url));
export const repo = path.resolve(here, '../..');
export const mockintd = process.env.MOCKINTD ||
	path.join(repo, 'build-test/server/mockintd');
export const mockint = process.env.MOCKINT ||
	path.join(repo, 'build-test/client/mockint');
export const subprotocol = 'mockint.v1';

// ASan and valgrind start slowly: the listening line gets this long.
const START_MS = 60000;
const STOP_MS = 30000;
// A restart on the same port: the old socket may linger a moment.
const RESTART_TRIES = 20;
const RESTART_PAUSE_MS = 250;
const REQUEST_MS = 15000;

// What the C harness gives every server (tests/integration/harness*.c):
// fast hashing, debug logs, and no registration limit (tests register
// many users from one address; a test's own args come later and win).
const BASE_ARGS = ['--pwhash-ops', '1', '--pwhash-mem', '8192',
	'--log-level', 'debug', '--limit-registrations-per-hour', '0'];

const live = new Set();
process.on('exit', () => {
	for (const child of live)
		child.kill('SIGKILL');
});

function sleep(ms) {
	return new Promise(resolve => setTimeout(resolve, ms));
}

function tail(file, lines = 40) {
	try {
		return fs.readFileSync(file, 'utf8').split('\n').slice(-lines)
		    .join('\n');
	} catch {
		return '(no log)';
	}
}

// Start mockintd with argv; resolve with {child, port} once it prints
// "listening on HOST:PORT", reject with its log if it exits first.
async function spawnServer(argv, log) {
	const err = fs.openSync(log, 'a');
	const child = spawn(mockintd, argv, { stdio: ['ignore', 'pipe', err] });
	fs.closeSync(err);
	live.add(child);
	child.once('exit', () => live.delete(child));
	let out = '';
	const port = await new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			child.kill('SIGKILL');
			reject(new Error(`mockintd did not start in ${START_MS} ms:\n` +
			    tail(log)));
		}, START_MS);
		child.stdout.on('data', chunk => {
			out += chunk;
			const m = /listening on [^:\n]+:(\d+)\n/.exec(out);
			if (m) {
				clearTimeout(timer);
				resolve(Number(m[1]));
			}
		});
		child.once('exit', (code, signal) => {
			clearTimeout(timer);
			reject(new Error(`mockintd exited (${code ?? signal}) before ` +
			    `listening:\n${tail(log)}`));
		});
	});
	child.stdout.resume();
	return { child, port };
}

async function waitExit(child, ms) {
	if (child.exitCode !== null || child.signalCode !== null)
		return { code: child.exitCode, signal: child.signalCode };
	const timer = setTimeout(() => child.kill('SIGKILL'), ms);
	const [code, signal] = await once(child, 'exit');
	clearTimeout(timer);
	return { code, signal };
}

/**
 * A real mockintd: its own temporary directory and database, the repo's
 * question bank, a free port. opts.args are extra arguments. Resolves with
 * srv: {url: 'http://127.0.0.1:PORT/', wsUrl, port, dir, db, log,
 * kill9(), restart(), stop()}. restart() starts it again on the same
 * database and port (after kill9 or stop). stop() sends SIGTERM and
 * rejects unless it exits 0 (under ASan, a leak is a failure too), then
 * removes the directory (kept with MOCKINT_KEEP_TMP).
 */
export async function startServer(opts = {}) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mockint-web-'));
	const db = path.join(dir, 'mockint.db');
	const log = path.join(dir, 'mockintd.log');
	const extra = [...(opts.args || [])];
	if (process.env.MOCKINT_WEB_DIR)
		extra.push('--web', process.env.MOCKINT_WEB_DIR);
	const argv = port => ['--host', '127.0.0.1', '--port', String(port),
		'--db', db, '--questions', path.join(repo, 'server/bank'),
		...BASE_ARGS, ...extra];
	let { child, port } = await spawnServer(argv(0), log);

	const srv = {
		port, dir, db, log,
		url: `http://127.0.0.1:${port}/`,
		wsUrl: `ws://127.0.0.1:${port}/`,
		get pid() { return child.pid; },
		async kill9() {
			child.kill('SIGKILL');
			await waitExit(child, STOP_MS);
		},
		async restart() {
			if (child.exitCode === null && child.signalCode === null)
				throw new Error('restart: the server is still running');
			for (let i = 0; ; i++) {
				try {
					({ child } = await spawnServer(argv(port), log));
					return;
				} catch (e) {
					if (i + 1 >= RESTART_TRIES)
						throw e;
					await sleep(RESTART_PAUSE_MS);
				}
			}
		},
		async stop() {
			let r = { code: 0, signal: null };
			if (child.exitCode === null && child.signalCode === null) {
				child.kill('SIGTERM');
				r = await waitExit(child, STOP_MS);
			}
			if (r.code !== 0)
				throw new Error(`mockintd exited ${r.code ?? r.signal} ` +
				    `at SIGTERM:\n${tail(log)}`);
			if (!process.env.MOCKINT_KEEP_TMP)
				fs.rmSync(dir, { recursive: true, force: true });
		},
	};
	return srv;
}

/** Headless chromium (Debian's; CHROMIUM to use another). */
export async function launchBrowser(opts = {}) {
	const args = ['--disable-dev-shm-usage', '--disable-gpu',
		'--no-first-run', '--disable-extensions', '--mute-audio'];
	// Chromium's sandbox refuses to run as root.
	if (process.getuid && process.getuid() === 0)
		args.push('--no-sandbox');
	return puppeteer.launch({
		executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
		headless: true,
		args: [...args, ...(opts.args || [])],
	});
}

export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 390, height: 844, isMobile: true,
	hasTouch: true, deviceScaleFactor: 1 };

/**
 * A page in a fresh incognito context, at srv.url + opts.hash (opts.path
 * for another path), 390×844 with touch when opts.mobile. Besides
 * puppeteer's own:
 *   page.errors      console errors and uncaught page errors (strings);
 *                    tests assert it stays empty
 *   page.frames      every WebSocket text frame received (payloads), via
 *                    CDP — this replaces puppeteer's page.frames()
 *                    method on this page (use page.mainFrame())
 *   page.sentFrames  every WebSocket text frame sent
 *   page.mobile      opts.mobile
 *   page.response    the navigation's response (its status, headers)
 */
export async function openPage(browser, srv, opts = {}) {
	const context = await browser.createBrowserContext();
	const page = await context.newPage();
	await page.setViewport(opts.mobile ? PHONE : DESKTOP);
	page.mobile = !!opts.mobile;
	page.errors = [];
	page.frames = [];
	page.sentFrames = [];
	page.on('console', msg => {
		if (msg.type() === 'error')
			page.errors.push(`console: ${msg.text()}`);
	});
	page.on('pageerror', e => page.errors.push(`page: ${e.message}`));
	const cdp = await page.createCDPSession();
	await cdp.send('Network.enable');
	cdp.on('Network.webSocketFrameReceived', ({ response }) => {
		if (response.opcode === 1)
			page.frames.push(response.payloadData);
	});
	cdp.on('Network.webSocketFrameSent', ({ response }) => {
		if (response.opcode === 1)
			page.sentFrames.push(response.payloadData);
	});
	const url = new URL(opts.path || '/', srv.url);
	url.hash = opts.hash || '';
	page.response = await page.goto(url.href, { waitUntil: 'load' });
	return page;
}

/**
 * Resolve once fn() (may be async) returns something truthy, with it;
 * reject after ms. For what arrives on its own time (frames, pushes).
 */
export async function until(fn, ms = 10000, what = 'the condition') {
	const end = Date.now() + ms;
	for (;;) {
		const v = await fn();
		if (v)
			return v;
		if (Date.now() > end)
			throw new Error(`${what}: not within ${ms} ms`);
		await sleep(50);
	}
}

/** Close a page and its context. */
export async function closePage(page) {
	await page.browserContext().close();
}

/**
 * A locator for the element with this accessible name (and role, when
 * given): the names of issue 17 are the contract tests select by.
 */
export function byName(page, name, role) {
	const q = s => JSON.stringify(String(s));
	return page.locator(role ? `::-p-aria([name=${q(name)}][role=${q(role)}])`
	    : `::-p-aria(${name})`);
}

let axeSource;

/**
 * Run axe-core on the page as it is now; throw, listing them, when it
 * finds a serious or critical violation. Resolves with axe's results.
 * axe is evaluated through the DevTools protocol, which the page's CSP
 * does not govern (a <script> tag would be refused, as it should be).
 */
export async function audit(page, name) {
	axeSource ??= fs.readFileSync(path.join(here,
	    'node_modules/axe-core/axe.min.js'), 'utf8');
	if (!await page.evaluate(() => typeof window.axe === 'object'))
		await page.evaluate(axeSource);
	const results = await page.evaluate(() => window.axe.run(document,
	    { resultTypes: ['violations'] }));
	const bad = results.violations.filter(v =>
	    v.impact === 'serious' || v.impact === 'critical');
	if (bad.length > 0) {
		const lines = bad.map(v => `${v.impact} ${v.id}: ${v.help} — ` +
		    v.nodes.slice(0, 3).map(n => n.target.join(' ')).join('; '));
		throw new Error(`axe on ${name}${page.mobile ? ' (phone)' : ''}:\n` +
		    lines.join('\n'));
	}
	return results;
}

/** Screenshot the whole page to WEB_SHOTS/NAME-desktop.png (or -phone). */
export async function shot(page, name) {
	const dir = process.env.WEB_SHOTS || path.join(repo,
	    'build-test/web-shots');
	fs.mkdirSync(dir, { recursive: true });
	const file = path.join(dir, `${name}-${page.mobile ? 'phone' :
	    'desktop'}.png`);
	await page.screenshot({ path: file, fullPage: true });
	return file;
}

/**
 * A mockint.v1 connection from node (no Origin header, like the terminal
 * client). c.request(type, fields) resolves with the ok reply and rejects
 * with an Error carrying .code and .message of an error reply; c.pushes
 * holds the pushes received; c.close().
 */
export async function wsConnect(srv, opts = {}) {
	const ws = new WebSocket(srv.wsUrl, subprotocol, opts);
	const pending = new Map();
	const c = {
		ws, pushes: [], nextId: 1,
		request(type, fields = {}) {
			const id = c.nextId++;
			ws.send(JSON.stringify({ type, id, ...fields }));
			return new Promise((resolve, reject) => {
				const timer = setTimeout(() => {
					pending.delete(id);
					reject(new Error(`${type}: no reply in ${REQUEST_MS} ms`));
				}, REQUEST_MS);
				pending.set(id, { resolve, reject, timer });
			});
		},
		close() {
			ws.close();
		},
	};
	ws.on('message', data => {
		const m = JSON.parse(data.toString());
		const p = m.re !== undefined && pending.get(m.re);
		if (!p) {
			c.pushes.push(m);
			return;
		}
		pending.delete(m.re);
		clearTimeout(p.timer);
		if (m.type === 'ok')
			p.resolve(m);
		else
			p.reject(Object.assign(new Error(m.message), { code: m.code }));
	});
	await new Promise((resolve, reject) => {
		ws.once('open', resolve);
		ws.once('error', reject);
		ws.once('unexpected-response', (req, res) =>
		    reject(new Error(`WebSocket refused: HTTP ${res.statusCode}`)));
	});
	return c;
}

/** One request on a connection of its own: resolves with the ok reply. */
export async function requestOnce(srv, type, fields) {
	const c = await wsConnect(srv);
	try {
		return await c.request(type, fields);
	} finally {
		c.close();
	}
}

/** Register a user over a WebSocket from node: resolves with the ok reply. */
export function registerUser(srv, username, password) {
	return requestOnce(srv, 'register', { username, password });
}

/** Log a user in from node: resolves with the ok reply (its token). */
export function loginUser(srv, username, password) {
	return requestOnce(srv, 'login', { username, password });
}
