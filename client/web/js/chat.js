/*
 * chat.js — the conversation: the server's messages and ours on their
 * way (sending…, or not sent with the reason), a Message field whose
 * draft is kept, and older pages on request. The peer's words are text
 * nodes, never markup. Open in every phase and, after the end, for the
 * debrief until the server's debrief_ends_at.
 */
import { h, reconcile, setText } from './dom.js';
import { keepDraft } from './draft.js';

function hhmm(ms) {
	const d = new Date(ms);

	return `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
}

function line(r) {
	return h('li', { class: `msg ${r.mine ? 'mine' : 'theirs'} ${r.state}` },
	    h('span', { class: 'who' }, r.mine ? 'You' : r.who),
	    r.at ? h('time', { datetime: new Date(r.at).toISOString() }, hhmm(r.at)) : null,
	    h('span', { class: 'text' }, r.text),
	    r.state === 'sending' ? h('span', { class: 'state' }, 'sending…') : null,
	    r.state === 'refused' ? h('span', { class: 'state' }, `not sent: ${r.error}`) : null);
}

export function createChat(live, { chatOpen }) {
	const sid = live.sid;
	const list = h('ol', { class: 'chat-list' });
	const log = h('div', { class: 'chat-log', role: 'log', 'aria-label': 'Messages',
	    tabindex: '0' }, list);
	const more = h('button', { type: 'button', class: 'small', hidden: true },
	    'Earlier messages');
	const input = h('input', { id: 'message', name: 'message', autocomplete: 'off',
	    maxlength: '4096' });
	const send = h('button', { type: 'submit' }, 'Send');
	const msg = h('p', { class: 'error', role: 'alert' });
	const closed = h('p', { class: 'muted', hidden: true }, 'The chat has closed.');
	const form = h('form', { class: 'chat-form' },
	    h('label', { for: 'message' }, 'Message'),
	    h('div', { class: 'row' }, input, send));
	const el = h('section', { class: 'pane chat', 'aria-labelledby': 'chat-h' },
	    h('h2', { id: 'chat-h' }, 'Chat'), more, log, form, msg, closed);
	const submit = keepDraft(input, `${sid}.chat`, msg, 'message', text => live.chat(text));

	more.addEventListener('click', async () => {
		const first = list.firstElementChild;

		try {
			await live.older('chat');
			first?.scrollIntoView({ block: 'start' });
		} catch (e) {
			msg.textContent = `Could not load earlier messages: ${e.message}`;
		}
	});
	form.addEventListener('submit', ev => {
		ev.preventDefault();
		submit();
	});

	function update() {
		const m = live.model;
		const rows = m.chat.map(c => ({ key: `s${c.chat_id}`, who: c.username ?? '?',
		    text: c.text ?? '', at: c.at, mine: c.from === m.me.id, state: 'done' }));

		for (const it of live.outbox.forSession(sid, 'chat'))
			rows.push({ key: `c${it.cid}`, who: m.me.name, text: it.fields.text,
			    at: 0, mine: true, state: it.state === 'failed' ? 'refused' : 'sending',
			    error: it.error });
		const atEnd = log.scrollTop + log.clientHeight >= log.scrollHeight - 8;
		const n = list.children.length;
		reconcile(list, rows, r => r.key, r => `${r.state}|${r.error}`, line);
		/* Follow the conversation, unless the reader scrolled up. */
		if (atEnd && list.children.length !== n)
			log.scrollTop = log.scrollHeight;
		more.hidden = !m.chatBefore;
		const open = chatOpen();
		input.disabled = send.disabled = !open;
		closed.hidden = open;
		setText(closed, m.phase === 'done' ? 'The debrief chat has closed.' : '');
	}

	return { el, update, focus: () => input.focus(), input };
}
