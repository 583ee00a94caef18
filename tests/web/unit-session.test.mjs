/* The interview's state from pushes (client/web/js/session.js) and its
 * controller (client/web/js/live.js) against a fake connection. */
import test from 'node:test';
import assert from 'node:assert/strict';
import { createModel, applyPush, applySession, endedText, meanScore,
    nextPhase } from '../../client/web/js/session.js';
import { Outbox } from '../../client/web/js/outbox.js';
import { Live } from '../../client/web/js/live.js';

const ME = { id: 1, name: 'alice' };

function sessionPush(extra = {}) {
	return { type: 'session', session_id: 5, phase: 'answer',
	    phase_started_at: 1000, phase_ends_at: 61000, server_time: 2000,
	    role: 'interviewer', peer: { user_id: 2, username: 'bob', connected: true },
	    question: { id: 'q', title: 'T', prompt: 'P', checklist: [{ key: 'a', label: 'A' }] },
	    chat: [{ chat_id: 3, from: 2, username: 'bob', text: 'hi', at: 1500, client_id: null }],
	    chat_total: 1, chat_before: null, notes: [], notes_total: 0, notes_before: null,
	    scores: { a: 2 }, flags: {}, ...extra };
}

test('pushes build the state; another session\'s pushes are ignored', () => {
	const m = createModel(ME);

	assert.deepEqual(applyPush(m, { type: 'match', session_id: 5, role: 'interviewer',
	    peer: { user_id: 2, username: 'bob' } }), [{ kind: 'match' }]);
	assert.deepEqual(applyPush(m, sessionPush()), []);
	assert.equal(m.phase, 'answer');
	assert.equal(m.peer.name, 'bob');
	assert.equal(m.scores.a, 2);
	assert.equal(applyPush(m, { type: 'peer', session_id: 4, status: 'disconnected' }), null);
	assert.deepEqual(applyPush(m, { type: 'peer', session_id: 5, status: 'disconnected' }),
	    [{ kind: 'peer', connected: false }]);
	assert.deepEqual(applyPush(m, { type: 'phase', session_id: 5, phase: 'answer',
	    started_at: 1000, ends_at: 181000, server_time: 3000 }), [{ kind: 'extended', ms: 120000 }]);
	applyPush(m, { type: 'phase', session_id: 5, phase: 'followup', started_at: 5000, ends_at: 9000 });
	assert.equal(m.phase, 'followup');
	applyPush(m, { type: 'chat', session_id: 5, chat_id: 3, from: 2, text: 'hi' });
	applyPush(m, { type: 'chat', session_id: 5, chat_id: 4, from: 1, text: 'yo' });
	assert.deepEqual(m.chat.map(c => c.chat_id), [3, 4], 'a repeated chat is one message');
	assert.equal(m.chatTotal, 2);
	applyPush(m, { type: 'note', session_id: 5, note: { note_id: 9, item: 'a', score: 0 } });
	assert.equal(m.scores.a, undefined, 'score 0 clears');
	applyPush(m, { type: 'ended', session_id: 5, reason: 'ended_early', scores: { a: 3 },
	    overall: 3, by: 1, debrief_ends_at: 99 });
	assert.equal(m.phase, 'done');
	assert.equal(endedText(m), 'You ended the session early.');
	assert.equal(meanScore(m.scores, m.question.checklist), 3);
	assert.deepEqual(applyPush(m, { type: 'swap_proposed', session_id: 5, by: 1 }), []);
	assert.deepEqual(applyPush(m, { type: 'swap_proposed', session_id: 5, by: 2 }),
	    [{ kind: 'swap_proposed' }]);
	/* A swap's match starts over. */
	applyPush(m, { type: 'match', session_id: 6, role: 'candidate', peer: { user_id: 2, username: 'bob' } });
	assert.equal(m.id, 6);
	assert.equal(m.chat.length, 0);
	assert.equal(m.role, 'candidate');
	assert.equal(nextPhase('scoring'), 'done');
	assert.equal(nextPhase('done'), null);
});

function fakeNet() {
	const net = { ready: true, sent: [] };

	net.request = (type, fields) => new Promise((resolve, reject) =>
	    net.sent.push({ type, fields, resolve, reject }));
	return net;
}

function err(code, extra = {}) {
	return Object.assign(new Error(code), { code, retryAfter: null, ...extra });
}

test('the controller resends with the same client_id until stored', async () => {
	const net = fakeNet();
	const outbox = new Outbox();
	let saved = 0;
	const live = new Live({ net, outbox, persist: () => saved++, me: ME, sid: 5 });

	live.load();
	assert.equal(net.sent[0].type, 'session.get');
	net.sent.shift().resolve({ session: sessionPush().session ?? sessionPush() });
	await new Promise(r => setImmediate(r));
	assert.ok(live.model.loaded);

	live.note({ item: 'a', score: 4 });
	live.chat('hello');
	assert.deepEqual(net.sent.map(s => s.type), ['note.add', 'chat.send']);
	const cidNote = net.sent[0].fields.client_id;
	const cidChat = net.sent[1].fields.client_id;
	assert.ok(saved >= 2, 'the outbox is saved as it changes');

	/* The link drops before the replies. */
	net.sent.splice(0).forEach(s => s.reject(err('disconnected')));
	await new Promise(r => setImmediate(r));
	live.linkLost();
	net.ready = false;
	live.note({ item: 'general', text: 'typed offline' });
	assert.equal(net.sent.length, 0, 'nothing sent while offline');

	/* Back: session.get shows the chat was stored before the drop. */
	net.ready = true;
	live.linkBack();
	net.sent.shift().resolve({ session: sessionPush({ chat: [
	    { chat_id: 3, from: 2, text: 'hi' },
	    { chat_id: 7, from: 1, text: 'hello', client_id: cidChat }] }) });
	await new Promise(r => setImmediate(r));
	assert.deepEqual(net.sent.map(s => [s.type, s.fields.client_id === cidNote]),
	    [['note.add', true], ['note.add', false]], 'the note again, same id; the chat not');
	net.sent[0].resolve({ note_id: 11, at: 5 });
	net.sent[1].reject(err('rate_limited', { retryAfter: 1 }));
	await new Promise(r => setImmediate(r));
	assert.equal(live.model.scores.a, 4);
	assert.equal(outbox.pending(5), 1, 'the rate-limited one waits');
	await new Promise(r => setTimeout(r, 1100));
	assert.equal(net.sent.length, 3, 'and is sent again by itself');
	net.sent[2].reject(err('invalid_state', { message: 'the session has ended' }));
	await new Promise(r => setImmediate(r));
	assert.equal(outbox.items[0].state, 'failed');
	live.close();
});
