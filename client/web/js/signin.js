/*
 * signin.js — sign in, or create an account (register, then log in).
 * The token goes to localStorage (store.js); a room link opened while
 * signed out is followed once signed in.
 */
import { h, replace } from './dom.js';
import * as store from './store.js';

const DEVICE = 'mockint in a web browser';

/* What an error means to the person at the form. */
export function errorText(e) {
	switch (e.code) {
	case 'unauthenticated':
		return 'Wrong username or password.';
	case 'conflict':
		return 'That username is taken: choose another.';
	case 'rate_limited':
		return e.retryAfter ? `Too many attempts: try again in ${Math.ceil(e.retryAfter / 1000)} s.` :
		    'The server is busy: try again in a moment.';
	default:
		return e.message || String(e);
	}
}

export function mountSignin(root, ctx) {
	const { app } = ctx;
	const user = h('input', { id: 'username', name: 'username',
	    autocomplete: 'username', autocapitalize: 'none', spellcheck: 'false',
	    required: true, maxlength: '32' });
	const pass = h('input', { id: 'password', name: 'password',
	    type: 'password', autocomplete: 'current-password', required: true });
	const error = h('p', { class: 'error', id: 'signin-error', role: 'alert' });
	const note = h('p', { class: 'note', role: 'status' }, app.flash || '');
	const signIn = h('button', { type: 'submit', class: 'primary' }, 'Sign in');
	const create = h('button', { type: 'button' }, 'Create account');
	const form = h('form', { class: 'card signin', novalidate: true },
	    h('div', { class: 'field' }, h('label', { for: 'username' }, 'Username'), user),
	    h('div', { class: 'field' }, h('label', { for: 'password' }, 'Password'), pass),
	    error,
	    h('div', { class: 'actions' }, signIn, create),
	    h('p', { class: 'hint' }, 'New here? Choose a username (3–32 of a–z, 0–9, _ . -) and a password ' +
		'of at least 8 characters that is not a dictionary word, then Create account.'));

	app.flash = null;
	let busy = false;

	async function go(register) {
		if (busy)
			return;
		const name = user.value.trim();
		const pw = pass.value;

		replace(error);
		if (!name || !pw) {
			replace(error, 'Enter a username and a password.');
			(name ? pass : user).focus();
			return;
		}
		busy = true;
		signIn.disabled = create.disabled = true;
		try {
			if (register)
				await ctx.request('register', { username: name, password: pw });
			const r = await ctx.request('login', { username: name,
			    password: pw, device: DEVICE });
			app.signedIn(r, r.token);
			ctx.navigate(store.takeAfter() || '#/home');
		} catch (e) {
			replace(error, errorText(e));
			pass.focus();
		} finally {
			busy = false;
			signIn.disabled = create.disabled = false;
		}
	}

	form.addEventListener('submit', ev => {
		ev.preventDefault();
		go(false);
	});
	create.addEventListener('click', () => go(true));
	root.append(h('h1', {}, 'Sign in to mockint'),
	    h('p', { class: 'lead' }, 'Practise interviews with a partner: one answers, one scores.'),
	    note, form);
}
