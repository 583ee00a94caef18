/*
 * dialog.js — modal questions on <dialog>: showModal() keeps focus inside
 * and Esc cancels; the element that had focus gets it back on close.
 * confirmStep() asks before an action that cannot be undone (the next
 * phase, the end); helpDialog() lists the keys.
 */
import { h } from './dom.js';

let seq = 0;

function open(dlg, focusEl) {
	const back = document.activeElement;

	document.body.appendChild(dlg);
	dlg.addEventListener('close', () => {
		dlg.remove();
		if (back && back.isConnected && typeof back.focus === 'function')
			back.focus();
	});
	dlg.showModal();
	focusEl?.focus();
}

/* Resolves true on Confirm, false on Cancel or Esc. */
export function confirmStep(title, text, confirmLabel = 'Confirm') {
	return new Promise(resolve => {
		const id = `dlg-${++seq}`;
		let answer = false;
		const ok = h('button', { type: 'button', class: 'primary',
		    on: { click: () => { answer = true; dlg.close(); } } },
		    confirmLabel);
		const cancel = h('button', { type: 'button',
		    on: { click: () => dlg.close() } }, 'Cancel');
		const dlg = h('dialog', { 'aria-labelledby': `${id}-t`,
		    'aria-describedby': `${id}-d`, class: 'confirm' },
		    h('h2', { id: `${id}-t` }, title),
		    h('p', { id: `${id}-d` }, text),
		    h('div', { class: 'actions' }, ok, cancel));

		dlg.addEventListener('close', () => resolve(answer));
		open(dlg, ok);
	});
}

/* rows: [[key, what it does], ...] */
export function helpDialog(title, rows) {
	const id = `dlg-${++seq}`;
	const close = h('button', { type: 'button', class: 'primary',
	    on: { click: () => dlg.close() } }, 'Close');
	const dlg = h('dialog', { 'aria-labelledby': `${id}-t`, class: 'help' },
	    h('h2', { id: `${id}-t` }, title),
	    h('dl', { class: 'keys' }, rows.map(([k, what]) => h('div', {},
		h('dt', {}, h('kbd', {}, k)), h('dd', {}, what)))),
	    h('div', { class: 'actions' }, close));

	open(dlg, close);
}
