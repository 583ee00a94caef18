/*
 * app.js — the browser client's boot and router. One WebSocket for the
 * whole page (net.js); after each (re)connection it authenticates with
 * the token kept in localStorage. Screens are mounted by the hash
 * (web-contract.md): #/signin, #/home, #/room/CODE, #/session/ID, and the
 * history screens from js/history/ (loaded on demand, so that a missing
 * module shows "not available" rather than breaking the app).
 */
import { h, clear, replace, setText } from './dom.js';
import { Net, wsUrl } from './net.js';
import { Clock } from './clock.js';
import { Outbox } from './outbox.js';
import { announce } from './announce.js';
import * as store from './store.js';
import { mountSignin } from './signin.js';
import { mountHome } from './home.js';
import { mountRoom } from './room.js';
import { mountInterview } from './interview.js';

const login = store.loadLogin();

export const app = {
	user: login ? login.user : null,
	/* From the last auth or login: {session_id, role, phase} or null. */
	liveSession: null,
	/* A word for the next screen (why the user was signed out). */
	flash: null,
	clock: new Clock(),
	outbox: new Outbox(),
	pushListeners: new Set(),
	linkListeners: new Set(),
	net: null,

	request(type, fields = {}, opts) {
		return app.net.request(type, fields, opts);
	},
	navigate(hash) {
		if (location.hash === hash)
			route();
		else
			location.hash = hash;
	},
	onPush(fn) {
		app.pushListeners.add(fn);
		return () => app.pushListeners.delete(fn);
	},
	onLink(fn) {
		app.linkListeners.add(fn);
		return () => app.linkListeners.delete(fn);
	},
	saveOutbox() {
		if (app.user)
			store.saveOutbox(app.user.id, app.outbox.items);
	},
	signedIn(reply, token) {
		const before = app.user?.id;

		app.user = { id: reply.user_id, name: reply.username };
		if (token)
			store.saveLogin(token, app.user);
		else
			store.saveUser(app.user);
		app.liveSession = reply.session ?? null;
		/* Another user on this browser: their own outbox. (The same
		 * one, re-authenticated: the outbox in memory is the newest.) */
		if (before !== app.user.id)
			app.outbox = Outbox.from(store.loadOutbox(app.user.id));
		drawNav();
	},
	signedOut(why) {
		store.clearLogin();
		store.saveQueue(null);
		app.user = null;
		app.liveSession = null;
		app.outbox = new Outbox();
		app.flash = why || null;
		drawNav();
		app.navigate('#/signin');
	},
};

if (app.user)
	app.outbox = Outbox.from(store.loadOutbox(app.user.id));

function ctx() {
	return { request: app.request, navigate: app.navigate, user: app.user,
	    h, app };
}

/* ---- the connection ---- */

async function onOpen(net) {
	const saved = store.loadLogin();

	if (!saved)
		return;
	try {
		const r = await net.request('auth', { token: saved.token },
		    { gate: false });

		app.signedIn(r, null);
	} catch (e) {
		if (e.code !== 'unauthenticated')
			throw e;
		app.signedOut('Your sign-in has expired or was revoked: please sign in again.');
	}
}

function onPush(msg) {
	if (msg.type === 'logged_out') {
		app.signedOut('You were signed out on another device.');
		return;
	}
	if (msg.type === 'match') {
		app.liveSession = { session_id: msg.session_id, role: msg.role,
		    phase: 'prep' };
		store.saveQueue(null);
		announce(`Paired with ${msg.peer?.username ?? 'a partner'}: ` +
		    `you are the ${msg.role}.`);
		const want = `#/session/${msg.session_id}`;
		if (location.hash !== want)
			app.navigate(want);
	}
	if (msg.type === 'ended' && app.liveSession?.session_id === msg.session_id)
		app.liveSession = null;
	for (const fn of app.pushListeners)
		fn(msg);
}

let linkShown = null;

function onLink(state, info) {
	const el = document.getElementById('link');

	if (el && state !== linkShown) {
		linkShown = state;
		if (state === 'online') {
			replace(el);
		} else if (state === 'connecting') {
			replace(el, 'Connecting…');
		} else {
			replace(el, 'Connection lost: reconnecting… ',
			    h('button', { type: 'button', class: 'small',
			    on: { click: () => app.net.retryNow() } }, 'Retry now'));
		}
	}
	document.body.classList.toggle('offline', state !== 'online');
	for (const fn of app.linkListeners)
		fn(state, info);
}

/* ---- the header ---- */

function drawNav() {
	const nav = document.getElementById('nav');

	if (!nav)
		return;
	nav.hidden = !app.user;
	setText(document.getElementById('who'), app.user ?
	    `Signed in as ${app.user.name}` : '');
}

async function signOut(all) {
	try {
		await app.request('logout', all ? { all: true } : {});
		app.signedOut(all ? 'You are signed out on every device.' :
		    'You are signed out.');
	} catch (e) {
		announce(`Could not sign out: ${e.message}`);
		app.flash = null;
		const el = document.getElementById('link');
		if (el)
			replace(el, `Could not sign out: ${e.message}`);
	}
}

/* ---- the router ---- */

async function historyScreen(file, fn) {
	try {
		const mod = await import(`./history/${file}`);

		return mod[fn];
	} catch {
		return (root) => {
			root.append(h('h1', { tabindex: '-1' }, 'Not available'),
			    h('p', {}, 'This part of mockint is not available in this build.'),
			    h('p', {}, h('a', { href: '#/home' }, 'Back home')));
		};
	}
}

const routes = [
	{ re: /^#\/signin$/, pub: true, mount: () => mountSignin },
	{ re: /^#\/home$/, mount: () => mountHome },
	{ re: /^#\/room\/([A-Za-z0-9]{1,16})$/, mount: () => mountRoom,
	    params: m => ({ code: m[1].toUpperCase() }) },
	{ re: /^#\/session\/(\d{1,15})$/, mount: () => mountInterview,
	    params: m => ({ id: Number(m[1]) }) },
	{ re: /^#\/history$/, mount: () => historyScreen('list.js', 'mountHistoryList') },
	{ re: /^#\/history\/(\d{1,15})$/, mount: () => historyScreen('report.js', 'mountReport'),
	    params: m => ({ id: Number(m[1]) }) },
	{ re: /^#\/stats$/, mount: () => historyScreen('stats.js', 'mountStats') },
];

let cleanup = null;
let generation = 0;

async function route() {
	const hash = location.hash || '';
	const r = routes.find(x => x.re.test(hash));

	if (!r) {
		app.navigate(app.user ? '#/home' : '#/signin');
		return;
	}
	if (!r.pub && !app.user) {
		store.setAfter(hash);
		app.navigate('#/signin');
		return;
	}
	if (r.pub && app.user) {
		app.navigate(store.takeAfter() || '#/home');
		return;
	}
	const gen = ++generation;
	const mount = await r.mount();
	if (gen !== generation)
		return;
	if (typeof cleanup === 'function')
		cleanup();
	cleanup = null;
	const root = document.getElementById('main');
	clear(root);
	document.body.dataset.screen = hash.split('/')[1] || '';
	cleanup = mount(root, ctx(), r.params ? r.params(hash.match(r.re)) : {});
	/* A new screen: focus its heading, as a page load would. */
	const first = root.querySelector('h1');
	if (first) {
		first.tabIndex = -1;
		first.focus({ preventScroll: true });
		document.title = `${first.textContent} · mockint`;
	}
}

function boot() {
	document.getElementById('signout').addEventListener('click', () => signOut(false));
	document.getElementById('signout-all').addEventListener('click', () => signOut(true));
	drawNav();
	app.net = new Net(wsUrl(location), {
		onOpen, onPush, onLink,
		onServerTime: (t, local) => app.clock.observe(t, local),
	});
	app.net.start();
	window.addEventListener('hashchange', route);
	window.addEventListener('online', () => app.net.retryNow());
	document.addEventListener('visibilitychange', () => {
		if (!document.hidden)
			app.net.retryNow();
	});
	route();
}

boot();
