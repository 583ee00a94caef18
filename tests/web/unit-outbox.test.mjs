/* Notes and chat on their way to the server (client/web/js/outbox.js). */
import test from 'node:test';
import assert from 'node:assert/strict';
import { Outbox, newClientId, noteRequest, chatRequest, effectiveMarks,
    OUTBOX_MAX } from '../../client/web/js/outbox.js';

test('client ids are 32 random hex digits', () => {
	const a = newClientId(), b = newClientId();

	assert.match(a, /^[0-9a-f]{32}$/);
	assert.notEqual(a, b);
});

test('an item keeps its client_id through a lost link and a reload', () => {
	const o = new Outbox();
	const n = o.add('note', 7, { item: 'result', score: 3 });
	const c = o.add('chat', 7, { text: 'hi' });

	assert.deepEqual(o.takeUnsent(7).map(x => x.cid), [n.cid, c.cid]);
	assert.equal(o.takeUnsent(7).length, 0, 'in flight: not taken twice');
	o.linkLost();
	assert.deepEqual(o.takeUnsent(7).map(x => x.cid), [n.cid, c.cid], 'resent, same ids');
	/* A reload restores from JSON: in flight becomes unsent again. */
	const back = Outbox.from(JSON.parse(JSON.stringify(o)));
	assert.deepEqual(back.takeUnsent(7).map(x => x.cid), [n.cid, c.cid]);
	assert.deepEqual(noteRequest(n), { session_id: 7, item: 'result', client_id: n.cid, score: 3 });
	assert.deepEqual(chatRequest(c), { session_id: 7, text: 'hi', client_id: c.cid });
});

test('acknowledged items leave; refused ones stay, marked, until dismissed', () => {
	const o = new Outbox();
	const a = o.add('note', 1, { item: 'general', text: 'x' });
	const b = o.add('note', 1, { item: 'general', text: 'y' });

	o.takeUnsent(1);
	assert.equal(o.ack(a.cid).cid, a.cid);
	assert.equal(o.ack(a.cid), null, 'a second ack is nothing');
	o.refuse(b.cid, 'the session has ended');
	assert.equal(o.byCid(b.cid).state, 'failed');
	assert.equal(o.pending(1), 0);
	o.linkLost();
	assert.equal(o.takeUnsent(1).length, 0, 'a refused item is not resent');
	assert.equal(Outbox.from(o.toJSON()).byCid(b.cid).state, 'failed');
	o.dismiss(b.cid);
	assert.equal(o.items.length, 0);
});

test('rate limited: back to unsent; the server list settles what it stored', () => {
	const o = new Outbox();
	const a = o.add('chat', 3, { text: 'one' });
	const b = o.add('chat', 3, { text: 'two' });
	const other = o.add('chat', 4, { text: 'elsewhere' });

	o.takeUnsent(3);
	o.retry(a.cid);
	assert.equal(o.byCid(a.cid).state, 'unsent');
	assert.equal(o.settle(3, [{ chat_id: 9, client_id: b.cid }, { chat_id: 8, client_id: null }]), 1);
	assert.deepEqual(o.items.map(x => x.cid), [a.cid, other.cid]);
	assert.equal(o.settle(3, [{ client_id: other.cid }]), 0, 'only this session');
});

test('the outbox is bounded', () => {
	const o = new Outbox();

	for (let i = 0; i < OUTBOX_MAX; i++)
		o.add('chat', 1, { text: String(i) });
	assert.throws(() => o.add('chat', 1, { text: 'one too many' }), /too many/);
});

test('pending scores and flags show over the server ones, latest last', () => {
	const o = new Outbox();

	o.add('note', 1, { item: 'a', score: 2 });
	o.add('note', 1, { item: 'a', score: 4 });
	o.add('note', 1, { item: 'b', score: 0 });
	o.add('note', 1, { item: 'rf', flag: true });
	const f = o.add('note', 1, { item: 'c', score: 1 });
	o.refuse(f.cid, 'no');
	const m = effectiveMarks({ a: 1, b: 3, c: 2 }, { rf: false }, o.forSession(1));
	assert.deepEqual(m, { scores: { a: 4, c: 2 }, flags: { rf: true } });
});
