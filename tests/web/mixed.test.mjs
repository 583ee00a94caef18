// mixed.test.mjs — the two clients together: the terminal client
// (mockint, in a tmux pane, driven with send-keys and read with
// capture-pane as tests/integration/test-tui.c does) interviews a browser
// candidate, and a browser interviewer interviews a terminal candidate
// who joined its room by code. Both speak mockint.v1 to one real server.
// Skipped, saying so, where tmux is not installed.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';

import { byName, mockint } from './harness.mjs';
import { MANUAL_PHASES, PASSWORD, WAIT_MS, browserUser, checklistLabels,
	closeClean, heading, scoreRadio, uniqueName, useServer, waitPhase,
	waitText } from './flows.mjs';

const POLL_MS = 100;

function hasTmux() {
	try {
		execFileSync('tmux', ['-V'], { stdio: 'ignore' });
		return true;
	} catch {
		return false;
	}
}
const skip = hasTmux() ? false : 'tmux is not installed (deploy/install-deps.sh installs it)';

const env = useServer(MANUAL_PHASES);
let sock, conf;

/* tmux on a server of our own, with a configuration of our own. */
function tmux(...args) {
	if (!conf) {
		sock = `mockint-web-mixed-${process.pid}`;
		conf = path.join(env.srv.dir, 'tmux.conf');
		/* Keep a pane after mockint exits, to read what it said last. */
		fs.writeFileSync(conf, 'set -g remain-on-exit on\nset -g status off\n');
	}
	return execFileSync('tmux', ['-L', sock, '-f', conf, ...args],
	    { encoding: 'utf8', timeout: 30000 });
}

/* A terminal user: their own HOME, so their own login. */
function termUser(name) {
	const home = path.join(env.srv.dir, `home-${name}`);
	fs.mkdirSync(home, { recursive: true });
	const penv = { ...process.env, HOME: home, XDG_CONFIG_HOME: path.join(home, '.config'),
	    MOCKINT_SERVER: env.srv.wsUrl.replace(/\/$/, ''), MOCKINT_PASSWORD: PASSWORD,
	    LC_ALL: 'C.UTF-8' };
	execFileSync(mockint, ['register', name], { env: penv, stdio: 'ignore', timeout: 30000 });
	return {
		name,
		start(args) {
			tmux('new-session', '-d', '-s', name, '-x', '100', '-y', '30',
			    `env HOME=${home} XDG_CONFIG_HOME=${home}/.config LC_ALL=C.UTF-8 ` +
			    `${mockint} --server ${penv.MOCKINT_SERVER} ${args}`);
		},
		screen: () => tmux('capture-pane', '-p', '-t', name),
		keys: (...k) => tmux('send-keys', '-t', name, ...k),
		type: text => tmux('send-keys', '-t', name, '-l', text),
		async see(needle) {
			const end = Date.now() + WAIT_MS;
			let s = '';
			while (Date.now() < end) {
				s = tmux('capture-pane', '-p', '-t', name);
				if (s.includes(needle))
					return s;
				await new Promise(r => setTimeout(r, POLL_MS));
			}
			throw new Error(`'${needle}' never appeared on ${name}'s terminal:\n${s}`);
		},
		stop: () => tmux('kill-session', '-t', name),
	};
}

after(() => {
	if (skip || !conf)
		return;
	try {
		tmux('kill-server');
	} catch {
		/* no session left */
	}
});

test('a terminal interviewer and a browser candidate', { skip }, async () => {
	const term = termUser(uniqueName('tina'));
	const { name: caName, page: ca } = await browserUser(env, 'bea', { mobile: true });

	term.start('interview --role interviewer');
	await term.see('Waiting for a partner');
	await ca.select('select#role', 'candidate');
	await byName(ca, 'Find a partner', 'button').click();
	await heading(ca, 'Question').wait();
	await term.see(`${caName} ● connected`);
	await term.see('│ answer │');
	await waitPhase(ca, 'Answer');
	await waitText(ca, `${term.name} · connected`);

	/* The interviewer scores 3 on the first item (the checklist has the
	 * focus from the start) and chats; the browser sees the chat. */
	term.keys('3');
	await term.see('mean 3.00');
	term.keys('c');
	term.type('hello from the terminal');
	term.keys('Enter');
	term.keys('Escape');
	await waitText(ca, 'hello from the terminal');
	await byName(ca, 'Message', 'textbox').fill('hello from the browser');
	await byName(ca, 'Send', 'button').click();
	await term.see(`${caName}: hello from the browser`);
	assert.equal(await ca.$('::-p-aria([name="Checklist"][role="heading"])'), null);
	assert.ok(!ca.frames.some(f => /"model_answer"/.test(f)), 'no answer before the end');

	/* Through the phases from the terminal, each confirmed with y. */
	term.keys('N');
	term.keys('y');
	await waitPhase(ca, 'Follow-up');
	term.keys('N');
	term.keys('y');
	await waitPhase(ca, 'Scoring');
	term.keys('N');
	await term.see('Finish scoring and end the session?');
	term.keys('y');
	await heading(ca, 'Results').wait();
	await waitText(ca, 'Overall 3.00 / 4');
	await waitText(ca, 'The session is complete.');
	await term.see('Overall 3.00 / 4');
	term.stop();
	await closeClean(ca, 'the browser candidate');
});

test('a browser interviewer and a terminal candidate who joins its room', { skip }, async () => {
	const { name: ivName, page: iv } = await browserUser(env, 'ian');
	const term = termUser(uniqueName('cleo'));

	await iv.select('select#role', 'interviewer');
	await byName(iv, 'Create room', 'button').click();
	const code = await byName(iv, 'Code to share').map(e => e.textContent).wait();
	term.start(`room join ${code}`);
	await heading(iv, 'Checklist').wait();
	await term.see(`${ivName} ● connected`);
	await term.see('│ answer │');
	await waitPhase(iv, 'Answer');

	const labels = await checklistLabels(iv);
	await (await scoreRadio(iv, labels[0], 4)).click();
	await byName(iv, 'Message', 'textbox').fill('from the browser interviewer');
	await byName(iv, 'Send', 'button').click();
	await term.see(`${ivName}: from the browser interviewer`);
	term.keys('c');
	term.type('from the terminal candidate');
	term.keys('Enter');
	await waitText(iv, 'from the terminal candidate');
	await waitText(iv, 'Mean 4.00 / 4');

	await byName(iv, 'End session', 'button').click();
	await byName(iv, 'Confirm', 'button').click();
	await heading(iv, 'Results').wait();
	await waitText(iv, 'Overall 4.00 / 4');
	await term.see('Overall 4.00 / 4');
	await term.see('ended the session early');
	term.stop();
	await closeClean(iv, 'the browser interviewer');
});
