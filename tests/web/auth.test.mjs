// auth.test.mjs — signing up, in and out in the browser client against a
// real mockintd: an account made on the page, a wrong password said so,
// sign out, the token kept in localStorage bringing the user back after a
// reload, and "sign out everywhere" reaching the user's other browser.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { closePage, launchBrowser, openPage, registerUser, startServer,
	byName } from './harness.mjs';
import { PASSWORD, assertNoErrors, auditBoth, fillCredentials, heading,
	signIn, submitSignIn, uniqueName, waitText } from './flows.mjs';

let srv, browser;

before(async () => {
	srv = await startServer();
	browser = await launchBrowser();
});

after(async () => {
	await browser?.close();
	await srv?.stop();
});

test('create an account, sign out, a wrong password, sign in, reload', async () => {
	const page = await openPage(browser, srv, { hash: '#/signin' });
	const name = uniqueName('amy');

	await heading(page, 'Sign in to mockint').wait();
	await auditBoth(page, 'signin');
	/* A weak password: the server's reason, on the page. */
	await fillCredentials(page, name, 'password');
	await byName(page, 'Create account', 'button').click();
	await waitText(page, 'dictionary');

	await fillCredentials(page, name);
	await byName(page, 'Create account', 'button').click();
	await heading(page, `Hello, ${name}`).wait();
	assert.match(page.url(), /#\/home$/);
	const token = await page.evaluate(() => localStorage.getItem('mockint.token'));
	assert.match(token, /^[A-Za-z0-9_-]{43}$/);
	await auditBoth(page, 'home');

	/* The name is taken now. */
	const other = await openPage(browser, srv, { hash: '#/signin' });
	await fillCredentials(other, name);
	await byName(other, 'Create account', 'button').click();
	await waitText(other, 'That username is taken');
	await closePage(other);

	await byName(page, 'Sign out', 'button').click();
	await heading(page, 'Sign in to mockint').wait();
	await waitText(page, 'You are signed out.');
	assert.equal(await page.evaluate(() => localStorage.getItem('mockint.token')), null);

	await fillCredentials(page, name, 'not the password at all');
	await byName(page, 'Sign in', 'button').click();
	await waitText(page, 'Wrong username or password.');
	assert.match(page.url(), /#\/signin$/);

	await signIn(page, name);
	/* The token brings the user back: no sign-in form after a reload. */
	const frames = page.frames.length;
	await page.reload({ waitUntil: 'load' });
	await heading(page, `Hello, ${name}`).wait();
	await page.waitForFunction(() => document.getElementById('link').textContent === '');
	const sent = page.sentFrames.map(f => JSON.parse(f));
	assert.ok(sent.some(f => f.type === 'auth' && f.token), 'resumed with auth');
	assert.ok(page.frames.length > frames);
	/* A route that needs a login, opened directly, works too. */
	await page.goto(new URL('/#/home', srv.url).href);
	await heading(page, `Hello, ${name}`).wait();
	assertNoErrors(page, 'sign-in and home');
	await closePage(page);
});

test('sign out everywhere signs out the other browser too', async () => {
	const name = uniqueName('ben');
	await registerUser(srv, name, PASSWORD);
	const laptop = await openPage(browser, srv, { hash: '#/signin' });
	const phone = await openPage(browser, srv, { hash: '#/signin', mobile: true });

	await signIn(laptop, name);
	await signIn(phone, name);
	await byName(phone, 'Sign out everywhere', 'button').click();
	await heading(phone, 'Sign in to mockint').wait();
	await waitText(phone, 'signed out on every device');
	/* The laptop hears it (logged_out) and shows the sign-in form. */
	await heading(laptop, 'Sign in to mockint').wait();
	await waitText(laptop, 'You were signed out on another device.');
	assert.equal(await laptop.evaluate(() => localStorage.getItem('mockint.token')), null);
	/* A reload stays signed out: the old token is gone everywhere. */
	await laptop.reload({ waitUntil: 'load' });
	await heading(laptop, 'Sign in to mockint').wait();
	assertNoErrors(laptop, 'laptop');
	assertNoErrors(phone, 'phone');
	await closePage(laptop);
	await closePage(phone);
});

test('a page needing a login sends to sign-in and back', async () => {
	const name = uniqueName('cat');
	await registerUser(srv, name, PASSWORD);
	const page = await openPage(browser, srv, { hash: '#/history' });

	await heading(page, 'Sign in to mockint').wait();
	await submitSignIn(page, name);
	await page.waitForFunction(() => location.hash === '#/history');
	assertNoErrors(page, 'history after sign-in');
	await closePage(page);
});
