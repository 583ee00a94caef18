// flows.mjs — the steps the browser tests of the web client share (auth,
// interview, resilience, mixed): signing up and in through the page,
// pairing two pages, reading what a page shows. Everything waits for an
// event on the page (a selector, a text), never a fixed time.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';

import { audit, byName, closePage, DESKTOP, launchBrowser, openPage, PHONE,
	registerUser, shot, startServer, wsConnect } from './harness.mjs';

export const PASSWORD = 'a long enough password';
export const WAIT_MS = 20000;

let seq = 0;

/* A username no other test of this run has used. */
export function uniqueName(prefix) {
	return `${prefix}${process.pid % 1000}${++seq}`;
}

/* A server (extra args) and a browser for the tests of one file:
 * env.srv and env.browser from the first test on. */
export function useServer(args = []) {
	const env = {};

	before(async () => {
		env.srv = await startServer({ args });
		env.browser = await launchBrowser();
	});
	after(async () => {
		await env.browser?.close();
		await env.srv?.stop();
	});
	return env;
}

/* Phases for tests that move on by hand: prep passes by itself. */
export const MANUAL_PHASES = ['--phases', 'prep=2,answer=600,followup=600,scoring=600'];

/* A user registered from node and signed in on a page of their own. */
export async function browserUser(env, prefix, opts = {}) {
	const name = uniqueName(prefix);

	await registerUser(env.srv, name, PASSWORD);
	const page = await openPage(env.browser, env.srv, { hash: '#/signin', ...opts });
	await signIn(page, name);
	return { name, page };
}

/* One request as a user, over a WebSocket from node: the ok reply. */
export async function askAs(env, name, type, fields) {
	const c = await wsConnect(env.srv);

	try {
		await c.request('login', { username: name, password: PASSWORD });
		return await c.request(type, fields);
	} finally {
		c.close();
	}
}

export function heading(page, name) {
	return byName(page, name, 'heading');
}

export async function waitText(page, text, timeout = WAIT_MS) {
	try {
		await page.waitForFunction(t => document.body.innerText.includes(t),
		    { timeout, polling: 'mutation' }, text);
	} catch (e) {
		const body = await page.evaluate(() => document.body.innerText);
		throw new Error(`'${text}' never appeared:\n${body}`);
	}
}

export async function waitGone(page, text, timeout = WAIT_MS) {
	await page.waitForFunction(t => !document.body.innerText.includes(t),
	    { timeout, polling: 'mutation' }, text);
}

export function bodyText(page) {
	return page.evaluate(() => document.body.innerText);
}

export async function fillCredentials(page, name, password = PASSWORD) {
	await byName(page, 'Username', 'textbox').fill(name);
	await byName(page, 'Password', 'textbox').fill(password);
}

/* Fill in and press Sign in; where it leads is the caller's to wait for. */
export async function submitSignIn(page, name, password = PASSWORD) {
	await fillCredentials(page, name, password);
	await byName(page, 'Sign in', 'button').click();
}

export async function signIn(page, name, password = PASSWORD) {
	await submitSignIn(page, name, password);
	await heading(page, `Hello, ${name}`).wait();
}

/* Pair two signed-in pages on their home screens through the queue. */
export async function pairByQueue(interviewer, candidate) {
	await interviewer.select('select#role', 'interviewer');
	await byName(interviewer, 'Find a partner', 'button').click();
	await byName(interviewer, 'Leave the queue', 'button').wait();
	await candidate.select('select#role', 'candidate');
	await byName(candidate, 'Find a partner', 'button').click();
	await heading(interviewer, 'Checklist').wait();
	await heading(candidate, 'Question').wait();
}

/* The session id the page's URL names. */
export async function sessionId(page) {
	const m = /#\/session\/(\d+)$/.exec(page.url());
	assert.ok(m, `not on an interview: ${page.url()}`);
	return Number(m[1]);
}

/* Wait for fn(arg) to be true in the page; the page's text on failure. */
export async function waitFor(page, fn, arg, what) {
	try {
		await page.waitForFunction(fn, { timeout: WAIT_MS, polling: 'mutation' }, arg);
	} catch (e) {
		throw new Error(`${what}: not so in ${WAIT_MS} ms; the page says:\n` +
		    await bodyText(page));
	}
}

/* A fact of the interview's header ("Phase", "You", "Partner"). */
export async function waitFact(page, label, value) {
	await waitFor(page, ([l, v]) => [...document.querySelectorAll('.fact')]
	    .some(f => f.querySelector('dt')?.textContent === l &&
		f.querySelector('dd')?.textContent === v),
	    [label, value], `${label} ${value}`);
}

export function waitPhase(page, name) {
	return waitFact(page, 'Phase', name);
}

/* The radio of a checklist item (named by its label) for a score 1-4. */
export async function scoreRadio(page, itemLabel, score) {
	const group = await byName(page, itemLabel, 'radiogroup').waitHandle();
	const words = ['', '1 not shown', '2 weak', '3 good', '4 strong'];
	const radio = await group.$(`::-p-aria([name="${words[score]}"][role="radio"])`);
	assert.ok(radio, `no radio ${words[score]} in ${itemLabel}`);
	return radio;
}

/* The labels of the checklist items, in order. */
export function checklistLabels(page) {
	return page.$$eval('[role=radiogroup] .item-label', els =>
	    els.map(e => e.textContent));
}

/* No console or page error; allow: patterns of errors this test causes
 * on purpose (chromium logs each refused WebSocket while a server is down,
 * and a page cannot silence it). */
export function assertNoErrors(page, what, allow = []) {
	assert.deepEqual(page.errors.filter(e => !allow.some(re => re.test(e))),
	    [], `errors on ${what}`);
}

/* The end of a page: it said no error, then it goes. */
export async function closeClean(page, what, allow = []) {
	assertNoErrors(page, what, allow);
	await closePage(page);
}

/*
 * Audit and screenshot the page as it is, at desktop then phone size.
 * Only the size changes: puppeteer reloads a page whose isMobile or
 * hasTouch changes, which would lose the state being photographed.
 */
export async function auditBoth(page, name) {
	const mobile = page.mobile;
	const base = page.viewport();

	for (const phone of [false, true]) {
		const size = phone ? PHONE : DESKTOP;

		page.mobile = phone;
		await page.setViewport({ ...base, width: size.width, height: size.height });
		await audit(page, name);
		await shot(page, name);
		const wide = await page.evaluate(() =>
		    document.documentElement.scrollWidth > window.innerWidth);
		assert.equal(wide, false, `${name}${phone ? ' (phone)' : ''} scrolls sideways`);
	}
	page.mobile = mobile;
	await page.setViewport(base);
}
