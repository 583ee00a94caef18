/* The server clock and the clock's voice (client/web/js/clock.js). */
import test from 'node:test';
import assert from 'node:assert/strict';
import { Clock, Alerts, formatDuration, WARN_FIRST_MS, WARN_LAST_MS }
    from '../../client/web/js/clock.js';

test('the countdown follows the server clock, not the local one', () => {
	const c = new Clock();

	assert.equal(c.remaining(1000, 0), -1, 'unknown before any server_time');
	/* The server is 1e12 ms ahead of performance.now(). */
	c.observe(1_000_000_000_000, 500);
	assert.equal(c.now(1500), 1_000_000_001_000);
	assert.equal(c.remaining(1_000_000_061_000, 1500), 60000);
	assert.equal(c.remaining(1_000_000_000_100, 9999), 0, 'never negative');
	c.observe(0, 123);
	c.observe(Number.NaN, 123);
	assert.equal(c.now(1500), 1_000_000_001_000, 'bad times are ignored');
});

test('durations round up like a countdown', () => {
	assert.equal(formatDuration(0), '0:00');
	assert.equal(formatDuration(1), '0:01');
	assert.equal(formatDuration(60000), '1:00');
	assert.equal(formatDuration(60001), '1:01');
	assert.equal(formatDuration(600000), '10:00');
	assert.equal(formatDuration(-5), '0:00');
});

test('the voice: phase changes and the 1:00 / 0:10 marks, once each', () => {
	const a = new Alerts();

	assert.equal(a.tick('answer', 120000), null, 'the first phase is no change');
	assert.equal(a.tick('answer', 90000), null);
	assert.deepEqual(a.tick('answer', WARN_FIRST_MS), { kind: 'warn', left: WARN_FIRST_MS });
	assert.equal(a.tick('answer', 59000), null, 'said once');
	assert.deepEqual(a.tick('answer', WARN_LAST_MS - 1), { kind: 'warn', left: WARN_LAST_MS - 1 });
	assert.equal(a.tick('answer', 5000), null);
	assert.equal(a.tick('answer', 0), null, 'the end is the phase change');
	/* An extension takes the clock back above both marks: re-armed. */
	assert.equal(a.tick('answer', 125000), null);
	assert.equal(a.tick('answer', 60000)?.kind, 'warn');
	assert.deepEqual(a.tick('followup', 300000), { kind: 'phase', phase: 'followup' });
	/* Joining late: marks already passed stay silent. */
	const b = new Alerts();
	assert.equal(b.tick('scoring', 30000), null);
	assert.equal(b.tick('scoring', 29000), null);
	assert.equal(b.tick('scoring', 9000)?.kind, 'warn');
	assert.equal(b.tick('done', -1)?.kind, 'phase');
	assert.equal(b.tick('done', -1), null);
});
