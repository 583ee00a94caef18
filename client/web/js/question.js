/*
 * question.js — the question as the server sent it: the candidate view
 * (title, prompt, what it is about), and for the interviewer (or anyone
 * once the session is done) the quick answer, the model answer and the
 * approach. All of it is text: written into text nodes.
 */
import { h } from './dom.js';

/* Lines as paragraphs: the bank's text is plain, with line breaks. */
export function paragraphs(text) {
	return String(text ?? '').split(/\n+/).filter(l => l.trim())
	    .map(l => h('p', {}, l));
}

export function questionSection(q) {
	const meta = [q.category, q.difficulty, q.company, q.round]
	    .filter(x => typeof x === 'string' && x).join(' · ');

	return h('section', { class: 'pane question', 'aria-labelledby': 'q-h' },
	    h('h2', { id: 'q-h' }, 'Question'),
	    h('p', { class: 'q-title' }, q.title ?? ''),
	    meta ? h('p', { class: 'muted' }, meta) : null,
	    h('div', { class: 'prose' }, paragraphs(q.prompt)));
}

/* Only when the server sent them (the interviewer view). */
export function hasAnswers(q) {
	return typeof q?.model_answer === 'string';
}

export function answersSection(q) {
	const approach = Array.isArray(q.approach) ? q.approach : [];

	return h('section', { class: 'pane answers', 'aria-labelledby': 'ma-h' },
	    typeof q.quick_answer === 'string' && q.quick_answer ? [
		h('h3', { id: 'qa-h' }, 'Quick answer'),
		h('div', { class: 'prose' }, paragraphs(q.quick_answer))] : null,
	    h('h2', { id: 'ma-h' }, 'Model answer'),
	    h('div', { class: 'prose' }, paragraphs(q.model_answer)),
	    approach.length ? [h('h3', {}, 'Approach'),
		h('dl', { class: 'approach' }, approach.map(a => h('div', {},
		    h('dt', {}, a.label ?? a.key ?? ''), h('dd', {}, a.text ?? ''))))] : null);
}
