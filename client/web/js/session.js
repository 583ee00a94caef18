/*
 * session.js — the interview's state as the server tells it (the
 * terminal's vm.c): built from the `session` push (or session.get) and
 * kept up to date by the smaller pushes (phase, timer, peer, chat, note,
 * ended, swap_proposed). Only what the server acknowledged is here; what
 * the user typed and the server has not confirmed yet is in the outbox.
 * Pure data: node tests it without a browser.
 */

export const PHASES = ['prep', 'answer', 'followup', 'scoring', 'done'];

export function createModel(me) {
	return {
		me: { id: me?.id ?? 0, name: me?.name ?? '' },
		id: 0, role: null, phase: null,
		phaseStartedAt: 0, phaseEndsAt: 0,
		peer: { id: 0, name: '', connected: true },
		question: null,
		scores: {}, flags: {},
		notes: [], notesTotal: 0, notesBefore: null,
		chat: [], chatTotal: 0, chatBefore: null,
		reason: null, overall: null, endedBy: null, endedAt: 0,
		debriefEndsAt: 0, extendedMs: 0,
		swapPending: false, swapOffered: false, feedbackSent: false,
		loaded: false,
	};
}

/* Items merged by id, oldest first: pages and pushes may overlap. */
export function mergeById(list, more, idKey) {
	const byId = new Map();

	for (const it of list)
		byId.set(it[idKey], it);
	for (const it of more || [])
		if (it && Number.isInteger(it[idKey]))
			byId.set(it[idKey], it);
	return [...byId.values()].sort((a, b) => a[idKey] - b[idKey]);
}

function int(v) {
	return Number.isInteger(v) ? v : 0;
}

/* A new session (a swap): forget the old one, keep who we are. */
function start(m, id) {
	if (m.id === id)
		return;
	Object.assign(m, createModel(m.me), { id });
}

function setPeer(m, p) {
	if (!p || typeof p !== 'object')
		return;
	m.peer.id = int(p.user_id);
	m.peer.name = typeof p.username === 'string' ? p.username : '';
	if (typeof p.connected === 'boolean')
		m.peer.connected = p.connected;
}

function setScores(m, scores, flags) {
	if (scores && typeof scores === 'object')
		m.scores = { ...scores };
	if (flags && typeof flags === 'object')
		m.flags = { ...flags };
}

/* The whole state: the session push, or session.get's `session`. */
export function applySession(m, s) {
	const id = int(s?.session_id);

	if (id <= 0)
		return false;
	start(m, id);
	m.role = s.role ?? m.role;
	setPeer(m, s.peer);
	if (s.question && typeof s.question === 'object')
		m.question = s.question;
	m.phase = s.phase ?? m.phase;
	m.phaseStartedAt = int(s.phase_started_at);
	m.phaseEndsAt = int(s.phase_ends_at);
	if (Array.isArray(s.chat)) {
		m.chat = mergeById(m.chat, s.chat, 'chat_id');
		m.chatTotal = int(s.chat_total);
		m.chatBefore = Number.isInteger(s.chat_before) ? s.chat_before :
		    null;
	}
	if (Array.isArray(s.notes)) {
		m.notes = mergeById(m.notes, s.notes, 'note_id');
		m.notesTotal = int(s.notes_total);
		m.notesBefore = Number.isInteger(s.notes_before) ?
		    s.notes_before : null;
	}
	setScores(m, s.scores, s.flags);
	if ('reason' in s)
		m.reason = s.reason;
	if ('overall' in s)
		m.overall = typeof s.overall === 'number' ? s.overall : null;
	if (m.phase === 'done') {
		/* In done, the phase started when the session ended. */
		m.endedAt = m.phaseStartedAt || m.endedAt;
		m.debriefEndsAt = int(s.debrief_ends_at) || m.debriefEndsAt;
	}
	m.loaded = true;
	return true;
}

/* An older page (session.get with a cursor). */
export function applyPage(m, page) {
	if (Array.isArray(page.chat)) {
		m.chat = mergeById(m.chat, page.chat, 'chat_id');
		m.chatBefore = Number.isInteger(page.chat_before) ?
		    page.chat_before : null;
	}
	if (Array.isArray(page.notes)) {
		m.notes = mergeById(m.notes, page.notes, 'note_id');
		m.notesBefore = Number.isInteger(page.notes_before) ?
		    page.notes_before : null;
	}
}

/* One stored item into m[list], counted in m[total] when it is new. */
function addOne(m, list, total, idKey, it) {
	if (!it || !Number.isInteger(it[idKey]))
		return false;
	if (!m[list].some(x => x[idKey] === it[idKey]))
		m[total]++;
	m[list] = mergeById(m[list], [it], idKey);
	return true;
}

/* A note the server stored (our ack, or a push): its score or flag counts. */
export function addNote(m, note) {
	if (!addOne(m, 'notes', 'notesTotal', 'note_id', note))
		return;
	if (Number.isInteger(note.score)) {
		if (note.score === 0)
			delete m.scores[note.item];
		else
			m.scores[note.item] = note.score;
	}
	if (typeof note.flag === 'boolean')
		m.flags[note.item] = note.flag;
}

export function addChat(m, c) {
	addOne(m, 'chat', 'chatTotal', 'chat_id', c);
}

/*
 * One push. Returns the events worth telling the user about ([] when the
 * push changed nothing they need to hear), or null when it was not for
 * this session (an old one's) or not understood.
 */
export function applyPush(m, msg) {
	const t = msg?.type;
	const sid = msg?.session_id;

	if (Number.isInteger(sid) && m.id !== 0 && sid !== m.id &&
	    t !== 'match' && t !== 'session')
		return null;
	switch (t) {
	case 'match':
		start(m, int(msg.session_id));
		m.role = msg.role;
		setPeer(m, msg.peer);
		m.peer.connected = true;
		return [{ kind: 'match' }];
	case 'session':
		return applySession(m, msg.session ?? msg) ? [] : null;
	case 'phase': {
		const before = m.phaseEndsAt;
		const same = msg.phase === m.phase;

		m.phase = msg.phase;
		m.phaseStartedAt = int(msg.started_at);
		m.phaseEndsAt = int(msg.ends_at);
		if (same && before > 0 && m.phaseEndsAt > before)
			return [{ kind: 'extended', ms: m.phaseEndsAt - before }];
		return [];
	}
	case 'timer':
		m.phase = msg.phase ?? m.phase;
		if (Number.isInteger(msg.phase_ends_at))
			m.phaseEndsAt = msg.phase_ends_at;
		return [];
	case 'peer':
		m.peer.connected = msg.status === 'connected';
		return [{ kind: 'peer', connected: m.peer.connected }];
	case 'chat':
		addChat(m, msg);
		return [{ kind: 'chat', mine: msg.from === m.me.id }];
	case 'note':
		addNote(m, msg.note);
		return [];
	case 'ended':
		m.phase = 'done';
		m.phaseEndsAt = 0;
		m.reason = msg.reason ?? null;
		setScores(m, msg.scores, null);
		m.overall = typeof msg.overall === 'number' ? msg.overall : null;
		m.endedBy = Number.isInteger(msg.by) ? msg.by : null;
		m.debriefEndsAt = int(msg.debrief_ends_at);
		return [{ kind: 'ended' }];
	case 'swap_proposed':
		if (msg.by === m.me.id)
			return [];
		m.swapOffered = true;
		return [{ kind: 'swap_proposed' }];
	default:
		return null;
	}
}

/* How the session ended, in words (the terminal's vm_ended_text). */
export function endedText(m) {
	const peer = m.peer.name || 'your peer';
	const mine = m.endedBy !== null && m.endedBy === m.me.id;
	const theirs = m.endedBy !== null && !mine;

	switch (m.reason) {
	case 'ended_early':
		return `${mine ? 'You' : m.role === 'candidate' ? peer :
		    'Someone'} ended the session early.`;
	case 'abandoned':
		if (mine || theirs)
			return `${mine ? 'You' : peer} left: the session was abandoned.`;
		return 'The session was abandoned' + (m.role === 'candidate' ?
		    ': the interviewer was away too long.' : '.');
	case 'no_show':
		return `${peer} did not show up.`;
	case 'completed':
		return 'The session is complete.';
	default:
		return `The session is over${m.reason ? ` (${m.reason})` : ''}.`;
	}
}

/* What the phase is for, said to the role (vm_phase_purpose). */
export function phasePurpose(phase, role) {
	const iv = role === 'interviewer';

	switch (phase) {
	case 'prep':
		return iv ? 'The candidate reads and plans; answer their questions in the chat.' :
		    'Read and plan; you may ask questions in the chat.';
	case 'answer':
		return iv ? 'Listen, score the checklist (1–4), take notes.' :
		    'Talk it through; the interviewer scores as you go.';
	case 'followup':
		return iv ? 'Ask your follow-up questions.' :
		    'The interviewer asks follow-up questions.';
	case 'scoring':
		return iv ? 'Finish the scores; the session ends with this phase.' :
		    'The interviewer finishes scoring; the results follow.';
	case 'done':
		return 'The session is over.';
	default:
		return '';
	}
}

export function nextPhase(phase) {
	const i = PHASES.indexOf(phase);

	return i >= 0 && i + 1 < PHASES.length ? PHASES[i + 1] : null;
}

/* The mean of the scored checklist items; null when none is. */
export function meanScore(scores, checklist) {
	const v = (checklist || []).map(it => scores[it.key]).filter(s =>
	    Number.isInteger(s) && s > 0);

	return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
}

export const SCORE_WORDS = ['', 'not shown', 'weak', 'good', 'strong'];
