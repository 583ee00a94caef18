/*
 * results.js — after the end: how it ended, the overall score and each
 * checklist item's, the red flags; the candidate rates the interviewing
 * (feedback.give, once); either may propose to swap roles within two
 * minutes of the end (session.swap), and the report is a link away.
 */
import { h, replace, setText } from './dom.js';
import { SCORE_WORDS, endedText } from './session.js';
import { errorText } from './signin.js';

/* PROTOCOL.md: a swap is asked for within 2 minutes of the end. */
export const SWAP_WINDOW_MS = 2 * 60 * 1000;

const RATINGS = ['', 'not useful', 'a little useful', 'useful', 'very useful'];

function feedbackForm(live) {
	const radios = [1, 2, 3, 4].map(n => h('input', { type: 'radio', name: 'rating',
	    value: String(n), id: `rate-${n}` }));
	const text = h('textarea', { id: 'feedback-text', rows: '2', maxlength: '4096' });
	const msg = h('p', { class: 'error', role: 'alert' });
	const send = h('button', { type: 'submit', class: 'primary' }, 'Send feedback');
	const form = h('form', { class: 'feedback' },
	    h('fieldset', {}, h('legend', {}, 'How useful was the interviewing?'),
		h('div', { class: 'segs' }, radios.map((r, i) =>
		    h('label', { class: 'seg', for: r.id }, r, `${i + 1} ${RATINGS[i + 1]}`)))),
	    h('div', { class: 'field' }, h('label', { for: 'feedback-text' }, 'Comment (optional)'), text),
	    h('div', { class: 'actions' }, send), msg);

	form.addEventListener('submit', async ev => {
		ev.preventDefault();
		const r = radios.find(x => x.checked);

		msg.textContent = '';
		if (!r) {
			msg.textContent = 'Choose a rating from 1 to 4.';
			radios[0].focus();
			return;
		}
		send.disabled = true;
		try {
			await live.feedback(Number(r.value), text.value.trim());
		} catch (e) {
			if (e.code === 'conflict')
				live.model.feedbackSent = true;
			else
				msg.textContent = errorText(e);
			send.disabled = false;
			live.emit([{ kind: 'feedback' }]);
		}
	});
	return form;
}

export function createResults(live, { now }) {
	const how = h('p', { class: 'big' });
	const overall = h('p', { class: 'overall' });
	const scores = h('ul', { class: 'scores-list' });
	const flags = h('p', {});
	const fbSlot = h('div', {});
	const swapText = h('p', { role: 'status' });
	const swapMsg = h('p', { class: 'error', role: 'alert' });
	const swapBtn = h('button', { type: 'button' }, 'Swap roles');
	const el = h('section', { class: 'pane results', 'aria-labelledby': 'res-h' },
	    h('h2', { id: 'res-h' }, 'Results'), how, overall, scores, flags,
	    fbSlot,
	    h('div', { class: 'swap' }, h('h3', {}, 'Another round'), swapText,
		h('div', { class: 'actions' }, swapBtn), swapMsg),
	    h('p', {}, h('a', { href: `#/history/${live.sid}` }, 'The session report'), ' · ',
		h('a', { href: '#/home' }, 'Home')));
	let fbShown = null;

	swapBtn.addEventListener('click', async () => {
		swapMsg.textContent = '';
		swapBtn.disabled = true;
		try {
			await live.swap();
		} catch (e) {
			swapMsg.textContent = errorText(e);
		}
		swapBtn.disabled = false;
		update();
	});

	function update() {
		const m = live.model;
		const q = m.question ?? {};
		const peer = m.peer.name || 'your peer';

		setText(how, endedText(m));
		setText(overall, m.overall === null ? 'No item was scored.' :
		    `Overall ${m.overall.toFixed(2)} / 4`);
		replace(scores, (q.checklist ?? []).map(it => {
			const s = m.scores[it.key];

			return h('li', {}, h('span', { class: 'item-label' }, it.label), ': ',
			    Number.isInteger(s) ? `${s} ${SCORE_WORDS[s]}` : 'not scored');
		}));
		const ticked = (q.red_flags ?? []).filter(f => m.flags[f.key]);
		setText(flags, q.red_flags ? (ticked.length ? `Red flags: ${ticked.map(f => f.label).join('; ')}` :
		    'No red flag ticked.') : '');

		const fbState = m.role !== 'candidate' ? 'none' : m.feedbackSent ? 'sent' : 'form';
		if (fbState !== fbShown) {
			fbShown = fbState;
			replace(fbSlot, fbState === 'form' ? [h('h3', {}, 'Feedback'), feedbackForm(live)] :
			    fbState === 'sent' ? h('p', { role: 'status' }, 'Thank you: your feedback was sent.') : null);
		}

		const left = m.endedAt ? m.endedAt + SWAP_WINDOW_MS - now() : -1;
		const open = left !== 0 && (left > 0 || !m.endedAt);
		swapBtn.hidden = !open;
		setText(swapText, !open ? 'The time to swap roles (2 minutes after the end) has passed.' :
		    m.swapPending ? `Proposed: waiting for ${peer} to accept.` :
		    m.swapOffered ? `${peer} proposes to swap roles: Swap roles accepts.` :
		    `Swap roles with ${peer}: you ${m.role === 'candidate' ? 'interview' : 'answer'} next.`);
	}
	return { el, update };
}
