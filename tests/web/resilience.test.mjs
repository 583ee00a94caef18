// resilience.test.mjs — the server is killed with SIGKILL in the middle
// of an interview and started again on the same database and port. Both
// pages say they are reconnecting, keep what is typed meanwhile (scores,
// notes, chat, a draft), come back by themselves, and resend what the
// server had not acknowledged with the same client_id: history.get, asked
// from node afterwards, holds every mark and message exactly once.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { byName } from './harness.mjs';
import { MANUAL_PHASES, askAs, browserUser, checklistLabels, closeClean,
	pairByQueue, scoreRadio, sessionId, useServer, waitFor, waitPhase, waitText } from './flows.mjs';

const env = useServer(MANUAL_PHASES);

function online(page) {
	return waitFor(page, () => document.getElementById('link').textContent === '' &&
	    !document.querySelector('.note.sending, .msg.sending'), null,
	    'back online with nothing left to send');
}

test('SIGKILL mid-interview: both pages resume and nothing is lost', async () => {
	const { name: ivName, page: iv } = await browserUser(env, 'kim');
	const { name: caName, page: ca } = await browserUser(env, 'lou');
	await pairByQueue(iv, ca);
	const sid = await sessionId(iv);
	await waitPhase(iv, 'Answer');
	const labels = await checklistLabels(iv);

	/* Before the crash: acknowledged by the server. */
	await (await scoreRadio(iv, labels[0], 2)).click();
	await byName(ca, 'Message', 'textbox').fill('before the crash');
	await byName(ca, 'Send', 'button').click();
	await waitText(iv, 'before the crash');
	await online(iv);

	await env.srv.kill9();
	for (const p of [iv, ca]) {
		await waitText(p, 'Connection lost: reconnecting');
		await waitText(p, 'Reconnecting… what you type is kept');
	}

	/* Typed while the server is down. */
	await (await scoreRadio(iv, labels[1], 1)).focus();
	await iv.keyboard.press('3');
	await iv.keyboard.press('g');
	await iv.keyboard.type('typed while down');
	await iv.keyboard.down('Control');
	await iv.keyboard.press('Enter');
	await iv.keyboard.up('Control');
	await iv.keyboard.press('Escape');
	await iv.keyboard.press('c');
	await iv.keyboard.type('interviewer offline');
	await iv.keyboard.press('Enter');
	await byName(ca, 'Message', 'textbox').fill('candidate offline');
	await byName(ca, 'Send', 'button').click();
	await byName(ca, 'Message', 'textbox').fill('an unfinished dra');
	await waitFor(iv, () => document.querySelectorAll('.note.sending').length === 2 &&
	    document.querySelectorAll('.msg.sending').length === 1, null, 'waiting to be sent');
	await waitText(iv, `${caName} · unknown`);
	assert.equal(await (await scoreRadio(iv, labels[1], 3)).evaluate(r => r.checked), true,
	    'an unsent score shows at once');

	await env.srv.restart();
	await online(iv);
	await online(ca);
	await waitText(ca, 'interviewer offline');
	await waitText(iv, 'candidate offline');
	await waitText(iv, `${caName} · connected`);
	await waitPhase(iv, 'Answer');
	await waitPhase(ca, 'Answer');
	/* The draft was never sent, and a reload keeps it. */
	assert.equal(await byName(ca, 'Message', 'textbox').map(e => e.value).wait(), 'an unfinished dra');
	await ca.reload({ waitUntil: 'load' });
	await waitPhase(ca, 'Answer');
	assert.equal(await byName(ca, 'Message', 'textbox').map(e => e.value).wait(), 'an unfinished dra');
	assert.equal((await ca.$$('.msg')).length, 3);

	const h = await askAs(env, ivName, 'history.get', { session_id: sid });
	assert.deepEqual(h.notes.map(n => [n.item === 'general' ? 'general' : labels.indexOf(
	    h.checklist.find(i => i.key === n.item)?.label), n.score ?? n.text]),
	    [[0, 2], [1, 3], ['general', 'typed while down']]);
	/* Which page came back first decides the order of the last two. */
	const chat = h.chat.map(m => m.text);
	assert.deepEqual([chat[0], ...chat.slice(1).sort()], ['before the crash',
	    'candidate offline', 'interviewer offline']);
	assert.ok(h.notes.every(n => typeof n.client_id === 'string'));
	const refused = [/WebSocket connection to .* failed: .*ERR_CONNECTION_REFUSED/];
	await closeClean(iv, 'the interviewer', refused);
	await closeClean(ca, 'the candidate', refused);
});
