// smoke.test.mjs — the platform under the browser tests, end to end: the
// page chromium loads from a real mockintd is served under the CSP and
// the browser enforces it; a WebSocket from the page speaks mockint.v1;
// the harness's own pieces (frames, audit, screenshots, kill9/restart,
// users from node) do what the other tests rely on.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, test } from 'node:test';

import { audit, closePage, launchBrowser, loginUser, openPage,
	registerUser, shot, startServer, subprotocol, until } from './harness.mjs';

const CSP = "default-src 'self'; connect-src 'self'; img-src 'self' data:; " +
	"object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

let srv, browser;

before(async () => {
	srv = await startServer();
	browser = await launchBrowser();
});

after(async () => {
	await browser?.close();
	await srv?.stop();
});

// In the page: open a WebSocket to url offering mockint.v1, send a ping,
// resolve with {protocol, reply} or {error} when it does not open.
function pingFromPage(page, url) {
	return page.evaluate((u, proto) => new Promise(resolve => {
		const ws = new WebSocket(u, proto);
		ws.onerror = () => resolve({ error: 'refused' });
		ws.onopen = () => ws.send('{"type":"ping","id":1}');
		ws.onmessage = e => {
			resolve({ protocol: ws.protocol, reply: JSON.parse(e.data) });
			ws.close();
		};
	}), url, subprotocol);
}

test('the document comes with the policy headers, gzipped; a reload is a 304',
    async () => {
	const page = await openPage(browser, srv);
	const resp = page.response;
	const h = resp.headers();
	assert.equal(resp.status(), 200);
	assert.match(h['content-type'], /^text\/html; charset=utf-8$/);
	assert.equal(h['content-security-policy'], CSP);
	assert.equal(h['x-content-type-options'], 'nosniff');
	assert.equal(h['referrer-policy'], 'no-referrer');
	assert.equal(h['cache-control'], 'no-cache');
	assert.equal(h['vary'], 'Accept-Encoding');
	assert.match(h['etag'], /^"[0-9a-f]{20}-gz"$/);
	assert.equal(h['content-encoding'], 'gzip');
	// no-cache: the browser asks again, and its If-None-Match matches.
	const again = await page.reload();
	assert.equal(again.status(), 304);
	assert.equal(again.headers()['etag'], h['etag']);
	assert.deepEqual(page.errors, []);
	await closePage(page);
});

test('the browser enforces the CSP: no inline script runs', async () => {
	const page = await openPage(browser, srv);
	// The page as served has none.
	assert.equal(await page.evaluate(() =>
	    document.querySelectorAll('script:not([src])').length), 0);
	const v = await page.evaluate(() => new Promise(resolve => {
		document.addEventListener('securitypolicyviolation', e =>
		    resolve({ directive: e.effectiveDirective,
		    ran: window.smokeRan === true }), { once: true });
		const s = document.createElement('script');
		s.textContent = 'window.smokeRan = true';
		document.head.append(s);
	}));
	assert.equal(v.directive, 'script-src-elem');
	assert.equal(v.ran, false);
	assert.equal(await page.evaluate(() => window.smokeRan), undefined);
	// The refusal is logged as a console error: exactly that one.
	assert.equal(page.errors.length, 1);
	assert.match(page.errors[0], /Content Security Policy/);
	await closePage(page);
});

test('a WebSocket from the page speaks mockint.v1; frames are captured',
    async () => {
	const page = await openPage(browser, srv);
	const r = await pingFromPage(page, srv.wsUrl);
	assert.equal(r.protocol, subprotocol);
	assert.equal(r.reply.type, 'ok');
	assert.equal(r.reply.re, 1);
	assert.equal(typeof r.reply.server_time, 'number');
	await until(() => page.frames.some(f => JSON.parse(f).re === 1),
	    5000, 'the ok frame captured');
	assert.ok(page.sentFrames.some(f => JSON.parse(f).type === 'ping'));
	assert.deepEqual(page.errors, []);
	await closePage(page);
});

test('users from node; the server killed and restarted keeps them',
    async () => {
	const ok = await registerUser(srv, 'smoke_ann', 'plum-tiger-quartz-41');
	assert.equal(typeof ok.user_id, 'number');
	await assert.rejects(registerUser(srv, 'smoke_ann',
	    'plum-tiger-quartz-41'), { code: 'conflict' });
	await srv.kill9();
	await srv.restart();
	const login = await loginUser(srv, 'smoke_ann', 'plum-tiger-quartz-41');
	assert.equal(login.user_id, ok.user_id);
	assert.match(login.token, /^[A-Za-z0-9_-]{43}$/);
	const page = await openPage(browser, srv, { mobile: true });
	assert.equal((await pingFromPage(page, srv.wsUrl)).reply.type, 'ok');
	await closePage(page);
});

test('audit runs axe under the CSP, and fails on a serious violation',
    async () => {
	const page = await openPage(browser, srv);
	// Whatever the app's state, axe itself must run here.
	const results = await audit(page, 'smoke').catch(e => {
		assert.match(e.message, /^axe on smoke:/);
		return null;
	});
	assert.ok(results === null || Array.isArray(results.violations));
	await page.setContent('<html lang="en"><title>t</title><main>' +
	    '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></main></html>');
	await assert.rejects(audit(page, 'broken'), /critical image-alt/);
	const file = await shot(page, 'smoke');
	assert.ok(fs.statSync(file).size > 0);
	assert.match(file, /smoke-desktop\.png$/);
	await closePage(page);
});
