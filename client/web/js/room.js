/*
 * room.js — #/room/CODE: a shared link joins the room (after sign-in,
 * which app.js sends back here). joinRoom() is the home screen's Join too.
 */
import { h, replace } from './dom.js';

function roomError(e) {
	switch (e.code) {
	case 'not_found':
		return 'No room has this code: it is wrong, used, or expired (codes last 10 minutes).';
	case 'conflict':
		return e.message?.includes('own') ? 'That is your own room: send the code to your friend.' :
		    `Cannot join: ${e.message}`;
	case 'rate_limited':
		return `Too many tries: wait ${Math.ceil((e.retryAfter ?? 60000) / 1000)} s.`;
	default:
		return e.message || String(e);
	}
}

/* Joins; navigates to the interview, or returns what went wrong. */
export async function joinRoom(ctx, code) {
	try {
		const r = await ctx.request('room.join', { code });

		ctx.navigate(`#/session/${r.session_id}`);
		return null;
	} catch (e) {
		return roomError(e);
	}
}

export function mountRoom(root, ctx, { code }) {
	const status = h('p', { role: 'status' }, `Joining room ${code}…`);
	let gone = false;

	root.append(h('h1', {}, 'Join a room'), status);
	joinRoom(ctx, code).then(err => {
		if (gone || !err)
			return;
		replace(status, err);
		root.append(h('p', {}, h('a', { href: '#/home' }, 'Home'), ': find a partner or enter another code.'));
	});
	return () => {
		gone = true;
	};
}
