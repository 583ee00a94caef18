/*
 * draft.js — a text field whose draft is kept (store.js) until it is
 * sent: the chat's Message field and the notes' text areas. A reload, a
 * crash of the tab or a lost connection never loses what was typed.
 */
import * as store from './store.js';

/* PROTOCOL.md: notes and chat messages hold 4 KiB of UTF-8. */
export const MAX_TEXT_BYTES = 4096;

export function tooLong(text) {
	return new TextEncoder().encode(text).length > MAX_TEXT_BYTES;
}

/*
 * Keep field's draft under name. Returns submit(): the trimmed text goes
 * to send() and the field and its draft are emptied; an empty text does
 * nothing, a text over the limit is kept with a word in msg.
 */
export function keepDraft(field, name, msg, what, send) {
	field.value = store.loadDraft(name);
	field.addEventListener('input', () => store.saveDraft(name, field.value));
	return function submit() {
		const text = field.value.trim();

		msg.textContent = '';
		if (!text)
			return;
		if (tooLong(text)) {
			msg.textContent = `Too long: a ${what} holds 4 KiB.`;
			return;
		}
		send(text);
		field.value = '';
		store.saveDraft(name, '');
	};
}
