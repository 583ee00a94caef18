// interview.test.mjs — a whole interview between two browsers against a
// real mockintd: paired by the queue and by a room link, the interviewer
// scores with the mouse and with the single-key shortcuts, both chat,
// next phase and end each confirmed, feedback, and a swap of roles. The
// candidate's page never holds the model answer or the checklist before
// the end: not in its DOM, not in any WebSocket frame it received. Every
// screen is audited (axe) and photographed at desktop and phone size.
import assert from 'node:assert/strict';
import { test } from 'node:test';

import { byName, openPage, registerUser } from './harness.mjs';
import { MANUAL_PHASES, PASSWORD, askAs, auditBoth, bodyText, browserUser,
	checklistLabels, closeClean, heading, pairByQueue, scoreRadio, sessionId,
	submitSignIn, uniqueName, useServer, waitFact, waitFor, waitGone,
	waitPhase, waitText } from './flows.mjs';

const env = useServer(MANUAL_PHASES);

function leakedFrames(frames) {
	return frames.filter(f => /"(model_answer|quick_answer|checklist|red_flags|notes|scores)"/.test(f));
}

test('paired by the queue: score by mouse and keys, chat, phases, end, feedback, swap', async () => {
	const { name: ivName, page: iv } = await browserUser(env, 'ivy');
	const { name: caName, page: ca } = await browserUser(env, 'cal');

	await pairByQueue(iv, ca);
	const sid = await sessionId(iv);
	assert.equal(await sessionId(ca), sid);
	await waitPhase(iv, 'Answer');
	await waitPhase(ca, 'Answer');
	await waitText(iv, `${caName} · connected`);
	await waitText(ca, `${ivName} · connected`);
	await heading(iv, 'Model answer').wait();
	await heading(iv, 'Quick answer').wait();

	/* What the interviewer's view holds that the candidate must not see. */
	const q = (await askAs(env, ivName, 'session.get', { session_id: sid })).session.question;
	const labels = await checklistLabels(iv);
	assert.deepEqual(labels, q.checklist.map(i => i.label));
	assert.ok(labels.length >= 2);

	/* Mouse: "3 good" on the first item. */
	await (await scoreRadio(iv, labels[0], 3)).click();
	/* Keys: focus the second item, 4, n and a note, g and a note. */
	await (await scoreRadio(iv, labels[1], 1)).focus();
	await iv.keyboard.press('4');
	await iv.keyboard.press('n');
	await iv.keyboard.type('clear, "numbered" steps');
	await iv.keyboard.down('Control');
	await iv.keyboard.press('Enter');
	await iv.keyboard.up('Control');
	/* Esc leaves the text field; then g. */
	await iv.keyboard.press('Escape');
	await iv.keyboard.press('g');
	await iv.keyboard.type('calm <b>under</b> questions');
	await byName(iv, 'Save note', 'button').click();
	await iv.keyboard.press('Escape');
	/* r goes to the red flags; r again ticks the focused one. */
	await iv.keyboard.press('r');
	await iv.keyboard.press('r');
	await waitText(iv, 'Mean 3.50 / 4');
	await waitFor(iv, () => !document.querySelector('.note.sending') &&
	    document.querySelectorAll('.note.saved').length === 5, null, 'five notes saved');
	const ivText = await bodyText(iv);
	assert.match(ivText, /saved\s+calm <b>under<\/b> questions|General: calm <b>under<\/b> questions/);
	assert.equal(await iv.$('.notes b'), null, 'a note is text, never markup');
	assert.equal(await (await scoreRadio(iv, labels[0], 3)).evaluate(r => r.checked), true);
	assert.equal(await (await scoreRadio(iv, labels[1], 4)).evaluate(r => r.checked), true);
	/* Typing in a field is typing, not shortcuts. */
	await byName(iv, 'Message', 'textbox').click();
	await iv.keyboard.type('4 hello from the interviewer');
	await iv.keyboard.press('Enter');
	await waitText(ca, '4 hello from the interviewer');
	assert.equal(await (await scoreRadio(iv, labels[0], 3)).evaluate(r => r.checked), true);
	/* c goes to the chat from anywhere. */
	await byName(ca, 'Question', 'heading').click();
	await ca.keyboard.press('c');
	await ca.keyboard.type('hi, <i>ready</i>');
	await byName(ca, 'Send', 'button').click();
	await waitText(iv, 'hi, <i>ready</i>');
	assert.equal(await iv.$('.chat-list i'), null);

	/* ? lists the keys, in a dialog that Esc closes. */
	await iv.keyboard.press('Escape');
	await iv.keyboard.press('?');
	await heading(iv, 'Keys').wait();
	await auditBoth(iv, 'keys');
	await iv.keyboard.press('Escape');
	await iv.waitForFunction(() => !document.querySelector('dialog[open]'));

	/* The candidate has never seen the interviewer's side. */
	for (const secret of [q.model_answer, q.quick_answer, ...labels])
		assert.ok(!(await bodyText(ca)).includes(secret.slice(0, 60)),
		    `the candidate sees: ${secret.slice(0, 60)}`);
	assert.equal(await ca.$('::-p-aria([name="Model answer"][role="heading"])'), null);
	assert.equal(await ca.$('::-p-aria([name="Checklist"][role="heading"])'), null);
	assert.deepEqual(leakedFrames(ca.frames), []);
	await auditBoth(iv, 'interviewer');
	await auditBoth(ca, 'candidate');

	/* Next phase, asked first: Cancel keeps the phase, Confirm moves. */
	await byName(iv, 'Next phase', 'button').click();
	await byName(iv, 'Cancel', 'button').click();
	await waitPhase(iv, 'Answer');
	await byName(iv, 'Next phase', 'button').click();
	await auditBoth(iv, 'confirm');
	await byName(iv, 'Confirm', 'button').click();
	await waitPhase(ca, 'Follow-up');
	/* N by key: the same dialog; Enter confirms. */
	await iv.keyboard.press('N');
	await byName(iv, 'Confirm', 'button').wait();
	await iv.keyboard.press('Enter');
	await waitPhase(ca, 'Scoring');
	await waitPhase(iv, 'Scoring');
	/* + adds two minutes, on both pages. */
	await iv.keyboard.press('+');
	await waitText(iv, 'Two more minutes');
	await waitText(ca, 'Scoring has 2:00 more');
	assert.deepEqual(leakedFrames(ca.frames), [], 'nothing leaked before the end');

	await byName(iv, 'End session', 'button').click();
	await byName(iv, 'Confirm', 'button').click();
	for (const p of [iv, ca]) {
		await heading(p, 'Results').wait();
		await waitText(p, 'Overall 3.50 / 4');
		await waitText(p, 'ended the session early');
	}
	/* From the end on the candidate sees everything. */
	await heading(ca, 'Model answer').wait();
	await waitText(ca, 'calm <b>under</b> questions');

	/* Feedback: the candidate rates the interviewing. */
	await byName(ca, '4 very useful', 'radio').click();
	await byName(ca, 'Comment (optional)', 'textbox').fill('useful follow-ups');
	await auditBoth(ca, 'results-candidate');
	await byName(ca, 'Send feedback', 'button').click();
	await waitText(ca, 'Thank you: your feedback was sent.');
	await auditBoth(iv, 'results-interviewer');

	/* The debrief chat stays open. */
	await byName(ca, 'Message', 'textbox').fill('thanks, that helped');
	await byName(ca, 'Send', 'button').click();
	await waitText(iv, 'thanks, that helped');

	/* Swap: both ask; a new session with the roles reversed. */
	await byName(iv, 'Swap roles', 'button').click();
	await waitText(iv, `waiting for ${caName} to accept`);
	await waitText(ca, `${ivName} proposes to swap roles`);
	await byName(ca, 'Swap roles', 'button').click();
	await ca.waitForFunction(s => location.hash !== `#/session/${s}`, {}, sid);
	await iv.waitForFunction(s => location.hash !== `#/session/${s}`, {}, sid);
	assert.equal(await sessionId(ca), await sessionId(iv));
	await heading(ca, 'Checklist').wait();
	await heading(iv, 'Question').wait();
	await waitFact(iv, 'You', 'answer');
	assert.equal(await iv.$('::-p-aria([name="Model answer"][role="heading"])'), null);

	/* The record: every mark and message once. */
	const h = await askAs(env, caName, 'history.get', { session_id: sid });
	assert.equal(h.feedback.rating, 4);
	assert.deepEqual(h.notes.map(n => n.text || n.score || n.flag),
	    [3, 4, 'clear, "numbered" steps', 'calm <b>under</b> questions', true]);
	assert.deepEqual(h.chat.map(m => m.text), ['4 hello from the interviewer',
	    'hi, <i>ready</i>', 'thanks, that helped']);
	await closeClean(iv, 'the interviewer');
	await closeClean(ca, 'the candidate');
});

test('paired by a room link opened signed out', async () => {
	const { page: hp } = await browserUser(env, 'rae');
	const guest = uniqueName('gus');
	await registerUser(env.srv, guest, PASSWORD);
	await hp.select('select#role', 'interviewer');
	await byName(hp, 'Create room', 'button').click();
	const code = await byName(hp, 'Code to share').map(e => e.textContent).wait();
	assert.match(code, /^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{8}$/);
	const link = await hp.$eval('a.share', a => a.href);
	assert.equal(link, new URL(`/#/room/${code}`, env.srv.url).href);
	await auditBoth(hp, 'room');

	/* The guest opens the link: sign in first, then straight in. */
	const gp = await openPage(env.browser, env.srv, { hash: `#/room/${code}`, mobile: true });
	await heading(gp, 'Sign in to mockint').wait();
	await submitSignIn(gp, guest);
	await heading(gp, 'Question').wait();
	await heading(hp, 'Checklist').wait();
	assert.equal(await sessionId(gp), await sessionId(hp));
	await waitFact(gp, 'You', 'answer');
	/* The used code is refused to anyone else, in words. */
	const late = uniqueName('tom');
	await registerUser(env.srv, late, PASSWORD);
	const third = await openPage(env.browser, env.srv, { hash: `#/room/${code}` });
	await submitSignIn(third, late);
	await waitText(third, 'No room has this code');
	await auditBoth(third, 'room-refused');
	await closeClean(third, 'the late guest');

	/* The candidate leaves (confirmed): the session is abandoned. */
	await byName(gp, 'End session', 'button').click();
	await byName(gp, 'Confirm', 'button').click();
	await waitText(hp, 'left: the session was abandoned');
	await waitGone(hp, 'Next phase');
	await closeClean(hp, 'the host');
	await closeClean(gp, 'the guest');
});
