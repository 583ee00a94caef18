/*
 * interview.js — #/session/ID, the live interview: a header with the
 * phase, a countdown from the server's clock (role timer, never read out
 * every second; the phase changes and the 1:00 / 0:10 warnings go to the
 * polite live region), the peer and their presence, the connection; and
 * a body by role: the candidate sees the question and the chat, the
 * interviewer also the answers and the scoring console; after the end,
 * the results. The state is live.js's; this file only draws it.
 */
import { h, replace, setText } from './dom.js';
import { Live } from './live.js';
import { Alerts, formatDuration } from './clock.js';
import { phasePurpose, nextPhase } from './session.js';
import { questionSection, answersSection, hasAnswers } from './question.js';
import { createConsole } from './console.js';
import { createChat } from './chat.js';
import { createNotesList } from './notes.js';
import { createResults } from './results.js';
import { installKeys } from './keys.js';
import { confirmStep, helpDialog } from './dialog.js';
import { announce } from './announce.js';
import { errorText } from './signin.js';
import * as store from './store.js';

const TICK_MS = 250;
const PHASE_NAMES = { prep: 'Prep', answer: 'Answer', followup: 'Follow-up',
	scoring: 'Scoring', done: 'Done' };

const KEYS_INTERVIEWER = [
	['1 – 4', 'score the focused checklist item (1 not shown … 4 strong)'],
	['n', 'a note on that item'], ['g', 'the general note'],
	['r', 'tick the focused red flag (or go to the red flags)'],
	['N', 'the next phase (asks first)'], ['+', 'two more minutes for this phase'],
	['e', 'end the session (asks first)'], ['c', 'the chat'],
	['Esc', 'from a text field back to the checklist'], ['?', 'this list']];
const KEYS_CANDIDATE = [['c', 'the chat'], ['e', 'leave the session (asks first)'],
	['Esc', 'out of the message field'], ['?', 'this list']];

function fact(label, value) {
	return h('div', { class: 'fact' }, h('dt', {}, label), h('dd', {}, value));
}

export function mountInterview(root, ctx, { id }) {
	const { app } = ctx;
	const live = new Live({ net: app.net, outbox: app.outbox,
	    persist: () => app.saveOutbox(), me: app.user, sid: id });
	const now = () => app.clock.now(performance.now());
	const alerts = new Alerts();

	const title = h('h1', {}, `Interview ${id}`);
	const phaseEl = h('span', {}, '…');
	const timer = h('span', { role: 'timer', 'aria-live': 'off',
	    'aria-label': 'Time left', class: 'timer' }, '–:––');
	const peerEl = h('span', {});
	const roleEl = h('span', {});
	const linkEl = h('p', { class: 'reconnecting', hidden: true }, 'Reconnecting… what you type is kept and sent when the connection is back.');
	const purpose = h('p', { class: 'purpose' });
	const status = h('p', { class: 'status-line', 'aria-live': 'off' });
	const nextBtn = h('button', { type: 'button', class: 'primary' }, 'Next phase');
	const extendBtn = h('button', { type: 'button' }, 'More time');
	const endBtn = h('button', { type: 'button', class: 'danger' }, 'End session');
	const helpBtn = h('button', { type: 'button', 'aria-keyshortcuts': '?' }, 'Keys');
	const actions = h('div', { class: 'actions iv-actions' }, nextBtn, extendBtn, endBtn, helpBtn);
	const body = h('div', { class: 'iv-body' }, h('p', { role: 'status' }, 'Loading the session…'));

	root.append(h('div', { class: 'interview' },
	    h('header', { class: 'iv-head' }, title,
		h('dl', { class: 'facts' }, fact('Phase', phaseEl), fact('Time left', timer),
		    fact('Partner', peerEl), fact('You', roleEl)),
		purpose, linkEl, status, actions),
	    body));

	let parts = null;
	let layout = null;

	function say(text) {
		setText(status, text);
		announce(text);
	}

	function chatOpen() {
		const m = live.model;

		return m.phase !== 'done' || !m.debriefEndsAt || m.debriefEndsAt > now();
	}

	function build() {
		const m = live.model;
		const q = m.question;
		const done = m.phase === 'done';
		const key = `${m.role}|${done}|${q?.id}|${hasAnswers(q)}`;

		if (key === layout)
			return;
		const hadFocus = body.contains(document.activeElement);
		layout = key;
		parts = { chat: createChat(live, { chatOpen }) };
		const cols = [];
		if (done) {
			parts.results = createResults(live, { now });
			parts.notes = createNotesList(live, 'Notes');
			cols.push(h('div', { class: 'col' }, parts.results.el, parts.notes.el));
		} else if (m.role === 'interviewer' && q) {
			parts.console = createConsole(live, q);
			cols.push(h('div', { class: 'col console-col' }, parts.console.el));
		}
		cols.push(h('div', { class: 'col q-col' }, q ? questionSection(q) : null,
		    q && hasAnswers(q) ? answersSection(q) : null));
		cols.push(h('div', { class: 'col chat-col' }, parts.chat.el));
		replace(body, cols);
		body.className = `iv-body ${m.role ?? ''} ${done ? 'done' : 'live'}`;
		if (hadFocus)
			title.focus();
	}

	function draw() {
		const m = live.model;

		if (!m.loaded)
			return;
		build();
		setText(phaseEl, PHASE_NAMES[m.phase] ?? m.phase ?? '');
		setText(peerEl, `${m.peer.name} · ${app.net.link !== 'online' ? 'unknown' :
		    m.peer.connected ? 'connected' : m.phase === 'done' ? 'left' : 'disconnected'}`);
		setText(roleEl, m.role === 'interviewer' ? 'interview' : 'answer');
		setText(purpose, phasePurpose(m.phase, m.role));
		const liveNow = m.phase !== 'done';
		nextBtn.hidden = extendBtn.hidden = !(liveNow && m.role === 'interviewer');
		endBtn.hidden = !liveNow;
		extendBtn.disabled = m.extendedMs >= 10 * 60 * 1000;
		setText(nextBtn, 'Next phase');
		for (const p of Object.values(parts))
			p.update(m.question);
		tick();
	}

	function tick() {
		const m = live.model;

		if (!m.loaded)
			return;
		const left = m.phase === 'done' ? -1 : app.clock.remaining(m.phaseEndsAt, performance.now());
		setText(timer, left < 0 ? (m.phase === 'done' ? 'over' : '–:––') : formatDuration(left));
		timer.classList.toggle('low', left >= 0 && left <= 60000);
		const a = alerts.tick(m.phase, left);
		if (a?.kind === 'phase')
			say(m.phase === 'done' ? 'The session is over.' :
			    `Phase: ${PHASE_NAMES[m.phase]}. ${phasePurpose(m.phase, m.role)}`);
		else if (a?.kind === 'warn')
			say(`${formatDuration(a.left)} left in ${PHASE_NAMES[m.phase]}` +
			    (m.phase === 'scoring' ? ': the session ends then.' : '.'));
		/* The swap window and the debrief close by the clock. */
		if (m.phase === 'done' && parts) {
			parts.results?.update();
			parts.chat.update();
		}
	}

	function events(evs) {
		const m = live.model;
		const peer = m.peer.name || 'your partner';

		for (const ev of evs) {
			if (ev.kind === 'peer')
				say(ev.connected ? `${peer} is back.` : `${peer} disconnected.`);
			else if (ev.kind === 'extended')
				say(`${PHASE_NAMES[m.phase]} has ${formatDuration(ev.ms)} more.`);
			else if (ev.kind === 'swap_proposed')
				say(`${peer} proposes to swap roles.`);
			else if (ev.kind === 'load_error')
				showLoadError(live.loadError);
		}
		if (evs.some(e => e.kind === 'ended'))
			store.dropDrafts(id);
		draw();
	}

	function showLoadError(e) {
		layout = null;
		replace(body, h('p', { role: 'alert' }, e.code === 'invalid_state' ?
		    'This session has ended and left the server’s memory.' :
		    e.code === 'not_found' ? 'There is no such session of yours.' : errorText(e)),
		    h('p', {}, e.code === 'invalid_state' ?
			[h('a', { href: `#/history/${id}` }, 'Its report'), ' · '] : null,
			h('a', { href: '#/home' }, 'Home')));
	}

	async function ask(what) {
		const m = live.model;
		let ok;

		if (what === 'next') {
			const nx = nextPhase(m.phase);
			ok = await confirmStep(nx === 'done' ? 'Finish scoring?' : 'Next phase?',
			    nx === 'done' ? 'Finish scoring and end the session now?' :
			    `Move on to ${PHASE_NAMES[nx] ?? nx} now?`);
		} else {
			ok = await confirmStep(m.role === 'interviewer' ? 'End the session?' : 'Leave the session?',
			    m.role === 'interviewer' ? 'End the session now? Everything recorded is kept.' :
			    'Leave now? The session ends as abandoned.');
		}
		if (!ok)
			return;
		try {
			await (what === 'next' ? live.next() : live.end());
		} catch (e) {
			say(`${what === 'next' ? 'Next phase' : 'End'}: ${errorText(e)}`);
		}
	}

	async function extend() {
		try {
			const r = await live.extend();
			say(`Two more minutes: ${Math.round((r.extended_ms ?? 0) / 60000)} of 10 extra minutes used.`);
		} catch (e) {
			say(`More time: ${errorText(e)}`);
		}
	}

	function help() {
		helpDialog('Keys', live.model.role === 'interviewer' && live.model.phase !== 'done' ?
		    KEYS_INTERVIEWER : KEYS_CANDIDATE);
	}

	nextBtn.addEventListener('click', () => ask('next'));
	endBtn.addEventListener('click', () => ask('end'));
	extendBtn.addEventListener('click', extend);
	helpBtn.addEventListener('click', help);

	const scoring = () => live.model.role === 'interviewer' && live.model.phase !== 'done' &&
	    parts?.console;
	const offKeys = installKeys({
		1: () => scoring()?.score(1), 2: () => scoring()?.score(2),
		3: () => scoring()?.score(3), 4: () => scoring()?.score(4),
		n: () => scoring()?.note(), g: () => scoring()?.general(),
		r: () => scoring()?.flag(),
		N: () => scoring() && ask('next'),
		'+': () => scoring() && extend(),
		e: () => live.model.phase !== 'done' && ask('end'),
		c: () => parts?.chat.focus(),
		'?': help,
	}, () => {
		if (parts?.console)
			parts.console.focusCurrent();
		else
			title.focus();
	});

	live.subscribe(events);
	const offPush = app.onPush(msg => live.push(msg));
	const offLink = app.onLink(state => {
		linkEl.hidden = state === 'online';
		if (state === 'online')
			live.linkBack();
		else
			live.linkLost();
	});
	linkEl.hidden = app.net.link === 'online';
	const timerId = setInterval(tick, TICK_MS);
	/* Waits for the connection if need be; each auth loads again. */
	live.load();

	return () => {
		clearInterval(timerId);
		offKeys();
		offPush();
		offLink();
		live.close();
	};
}
