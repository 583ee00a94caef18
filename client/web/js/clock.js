/*
 * clock.js — the server's clock as seen here (PROTOCOL.md: the server's
 * clock is the only clock). Every server_time a message carries is kept as
 * an offset from the local monotonic clock, so a countdown is the phase's
 * deadline minus the server's "now", whatever the computer's own time
 * says. Pure: "local" arguments are performance.now() values, passed in so
 * that node can test this without a browser.
 */

/* The clock speaks up this long before a phase ends (as the terminal). */
export const WARN_FIRST_MS = 60000;
export const WARN_LAST_MS = 10000;

export class Clock {
	constructor() {
		this.offset = 0;
		this.known = false;
	}

	/* A server_time received at local time `local`. */
	observe(serverTime, local) {
		if (!Number.isFinite(serverTime) || serverTime <= 0)
			return;
		this.offset = serverTime - local;
		this.known = true;
	}

	now(local) {
		return local + this.offset;
	}

	/* Milliseconds left until a server deadline (>= 0); -1 if unknown. */
	remaining(endsAt, local) {
		if (!endsAt || !this.known)
			return -1;
		return Math.max(0, endsAt - this.now(local));
	}
}

/* "2:05", rounded up as a countdown is: 0:01 until the very end. */
export function formatDuration(ms) {
	const s = Math.max(0, Math.ceil(ms / 1000));

	return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

const MARK_FIRST = 1;
const MARK_LAST = 2;

function marksPassed(left) {
	return (left <= WARN_FIRST_MS ? MARK_FIRST : 0) |
	    (left <= WARN_LAST_MS ? MARK_LAST : 0);
}

/*
 * The clock's voice (the terminal's vm_tick): called on every tick with
 * the phase and what is left (-1: no deadline). Returns {kind: 'phase'}
 * when the phase changed (not for the first phase seen), {kind: 'warn',
 * left} when a minute or ten seconds are left (each once a phase, again
 * after an extension takes the clock back above the mark), else null.
 */
export class Alerts {
	constructor() {
		this.phase = null;
		this.marks = 0;
	}

	tick(phase, left) {
		if (phase !== this.phase) {
			const first = this.phase === null;

			this.phase = phase;
			this.marks = left >= 0 ? marksPassed(left) : 0;
			return first || !phase ? null : { kind: 'phase', phase };
		}
		if (left < 0)
			return null;
		this.marks &= marksPassed(left);
		const due = marksPassed(left) & ~this.marks;
		if (due === 0 || left === 0)
			return null;
		this.marks |= due;
		return { kind: 'warn', left };
	}
}
