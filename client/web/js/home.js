/*
 * home.js — where a signed-in user starts: back to a live interview,
 * find a partner in the queue (role, category and difficulty from
 * questions.list), make a room and share its code and link, or join a
 * friend's room with a code. A match push (app.js) takes the user to the
 * interview from here.
 */
import { h, replace, setText } from './dom.js';
import { formatDuration } from './clock.js';
import { errorText } from './signin.js';
import { joinRoom } from './room.js';
import * as store from './store.js';

const TICK_MS = 1000;

function select(id, label, options) {
	return [h('label', { for: id }, label),
	    h('select', { id, name: id }, options.map(([v, t]) =>
		h('option', { value: v }, t)))];
}

/* Distinct [value, text] of a field over the bank's questions. */
function distinct(questions, key, text) {
	const seen = new Map();

	for (const q of questions)
		if (q[key] && !seen.has(q[key]))
			seen.set(q[key], q[text] ?? q[key]);
	return [...seen];
}

function returnCard(ctx, s) {
	return h('section', { class: 'card return', 'aria-labelledby': 'ret-h' },
	    h('h2', { id: 'ret-h' }, 'Your interview is on'),
	    h('p', {}, `Session ${s.session_id}: you are the ${s.role}, in ${s.phase}.`),
	    h('p', {}, h('a', { class: 'button primary', href: `#/session/${s.session_id}` },
		'Return to your interview')));
}

export function mountHome(root, ctx) {
	const { app } = ctx;
	const [roleLabel, role] = select('role', 'Interview as', [
	    ['candidate', 'candidate (I answer)'],
	    ['interviewer', 'interviewer (I ask and score)'],
	    ['either', 'either']]);
	const [catLabel, cat] = select('category', 'Category', [['', 'any category']]);
	const [difLabel, dif] = select('difficulty', 'Difficulty', [['', 'any difficulty']]);
	const returnSlot = h('div', {});
	const queueMsg = h('p', { class: 'error', role: 'alert' });
	const waitStatus = h('p', { role: 'status' });
	const waited = h('p', { class: 'muted', 'aria-live': 'off' });
	const findBtn = h('button', { type: 'submit', class: 'primary' }, 'Find a partner');
	const leaveBtn = h('button', { type: 'button' }, 'Leave the queue');
	const waiting = h('div', { class: 'waiting', hidden: true },
	    h('p', { class: 'big' }, 'Waiting for a partner…'), waitStatus, waited, leaveBtn);
	const roomMsg = h('p', { class: 'error', role: 'alert' });
	const roomOut = h('div', {});
	const createBtn = h('button', { type: 'button' }, 'Create room');
	const code = h('input', { id: 'room-code', name: 'code', autocomplete: 'off',
	    autocapitalize: 'characters', spellcheck: 'false', maxlength: '16' });
	const joinMsg = h('p', { class: 'error', role: 'alert' });
	const joinBtn = h('button', { type: 'submit' }, 'Join');
	let since = 0;
	let prefs = null;

	root.append(
	    h('h1', {}, `Hello, ${app.user?.name ?? ''}`),
	    returnSlot,
	    h('div', { class: 'grid home' },
		h('section', { class: 'card', 'aria-labelledby': 'find-h' },
		    h('h2', { id: 'find-h' }, 'Practise with someone new'),
		    h('form', { id: 'find', on: { submit: ev => { ev.preventDefault(); find(); } } },
			h('div', { class: 'field' }, roleLabel, role),
			h('div', { class: 'field' }, catLabel, cat),
			h('div', { class: 'field' }, difLabel, dif),
			h('div', { class: 'actions' }, findBtn)),
		    queueMsg, waiting),
		h('section', { class: 'card', 'aria-labelledby': 'room-h' },
		    h('h2', { id: 'room-h' }, 'Practise with a friend'),
		    h('p', {}, 'Make a room and send your friend its code or link; you take the role chosen under ',
			'Interview as (either: you answer).'),
		    h('div', { class: 'actions' }, createBtn), roomMsg, roomOut),
		h('section', { class: 'card', 'aria-labelledby': 'join-h' },
		    h('h2', { id: 'join-h' }, 'Join a friend'),
		    h('form', { on: { submit: ev => { ev.preventDefault(); join(); } } },
			h('div', { class: 'field' }, h('label', { for: 'room-code' }, 'Room code'), code),
			h('div', { class: 'actions' }, joinBtn)),
		    joinMsg)));

	function showWaiting(on) {
		waiting.hidden = !on;
		findBtn.disabled = on;
		createBtn.disabled = on;
		if (!on)
			replace(waitStatus);
	}

	function showQueue(q) {
		const wf = q.waiting_for;
		let text = q.position > 0 ? `You are number ${q.position} in line` :
		    'Pairing you now';
		if (Number.isInteger(q.waiting))
			text += `; ${q.waiting} waiting`;
		if (wf)
			text += ` (who could pair with you: ${wf.candidates} candidates, ` +
			    `${wf.interviewers} interviewers, ${wf.either} either)`;
		setText(waitStatus, `${text}.`);
		if (Number.isInteger(q.since) && q.since > 0)
			since = q.since;
	}

	async function find(again = false) {
		replace(queueMsg);
		prefs = { role: role.value };
		if (cat.value)
			prefs.category = cat.value;
		if (dif.value)
			prefs.difficulty = dif.value;
		showWaiting(true);
		try {
			const r = await ctx.request('queue.join', prefs);

			store.saveQueue(prefs);
			showQueue({ position: r.position });
			if (!again)
				leaveBtn.focus();
		} catch (e) {
			/* Still queued from before the reconnect: fine. */
			if (again && e.code === 'conflict')
				return;
			showWaiting(false);
			store.saveQueue(null);
			replace(queueMsg, errorText(e));
			if (e.code === 'invalid_state')
				checkLive();
		}
	}

	async function leave() {
		try {
			await ctx.request('queue.leave');
		} catch (e) {
			if (e.code !== 'not_found') {
				replace(queueMsg, errorText(e));
				return;
			}
		}
		store.saveQueue(null);
		prefs = null;
		showWaiting(false);
		findBtn.focus();
	}
	leaveBtn.addEventListener('click', leave);

	async function createRoom() {
		replace(roomMsg);
		try {
			const r = await ctx.request('room.create', { role:
			    role.value === 'either' ? 'candidate' : role.value });
			const link = `${location.origin}/#/room/${r.code}`;
			const copy = h('button', { type: 'button', class: 'small' }, 'Copy link');
			const copied = h('span', { role: 'status', class: 'muted' });

			copy.addEventListener('click', async () => {
				try {
					await navigator.clipboard.writeText(link);
					setText(copied, 'Copied.');
				} catch {
					setText(copied, 'Copy the link by hand: the browser refused.');
				}
			});
			replace(roomOut,
			    h('p', { class: 'code-line' }, h('span', { id: 'code-label' }, 'Code to share'), ' ',
				h('output', { class: 'code', 'aria-labelledby': 'code-label' }, r.code)),
			    h('p', {}, 'Link: ', h('a', { href: `/#/room/${r.code}`, class: 'share' }, link)),
			    h('p', { class: 'actions' }, copy, copied),
			    h('p', { class: 'muted' }, 'Waiting for your friend: the code works once, for 10 minutes. ',
				'You go to the interview as soon as they join.'));
		} catch (e) {
			replace(roomMsg, errorText(e));
			if (e.code === 'invalid_state')
				checkLive();
		}
	}
	createBtn.addEventListener('click', createRoom);

	async function join() {
		replace(joinMsg);
		const c = code.value.trim().toUpperCase();

		if (!c) {
			replace(joinMsg, 'Enter the code your friend shared.');
			code.focus();
			return;
		}
		joinBtn.disabled = true;
		const err = await joinRoom(ctx, c);
		joinBtn.disabled = false;
		if (err) {
			replace(joinMsg, err);
			code.focus();
		}
	}

	/* A live session of ours: the newest history entry not done. */
	async function checkLive() {
		let s = app.liveSession;

		try {
			const r = await ctx.request('history.list', { limit: 1 });
			const e = r.sessions?.[0];

			s = e && e.phase !== 'done' ? { session_id: e.session_id,
			    role: e.role, phase: e.phase } : null;
		} catch {
			/* keep the hint from the auth reply */
		}
		replace(returnSlot, s ? returnCard(ctx, s) : null);
	}

	async function loadChoices() {
		try {
			const r = await ctx.request('questions.list');
			const qs = r.questions || [];

			cat.append(...distinct(qs, 'category', 'category').map(([v, t]) =>
			    h('option', { value: v }, t)));
			const order = ['easy', 'medium', 'hard'];
			dif.append(...distinct(qs, 'difficulty', 'difficulty')
			    .sort((a, b) => order.indexOf(a[0]) - order.indexOf(b[0]))
			    .map(([v, t]) => h('option', { value: v }, t)));
			const saved = store.loadQueue();
			if (saved) {
				cat.value = saved.category ?? '';
				dif.value = saved.difficulty ?? '';
			}
		} catch {
			/* The queue takes any category: the form still works. */
		}
	}

	const offPush = app.onPush(msg => {
		if (msg.type === 'queue')
			showQueue(msg);
	});
	/* Dropping the last connection left the queue: join it again. */
	const offLink = app.onLink(state => {
		if (state === 'online' && prefs)
			find(true);
	});
	const timer = setInterval(() => {
		if (!waiting.hidden && since > 0 && app.clock.known)
			setText(waited, `Waiting for ${formatDuration(app.clock.now(performance.now()) - since)}.`);
	}, TICK_MS);

	const saved = store.loadQueue();
	if (saved) {
		role.value = saved.role;
		prefs = saved;
		/* A reload while waiting: back in the queue. */
		showWaiting(true);
		ctx.request('queue.join', saved).then(r => showQueue({ position: r.position }),
		    e => {
			if (e.code !== 'conflict') {
				showWaiting(false);
				store.saveQueue(null);
				replace(queueMsg, errorText(e));
			}
		});
	}
	loadChoices();
	checkLive();
	return () => {
		offPush();
		offLink();
		clearInterval(timer);
	};
}
