/*
 * keys.js — the interview's single-key shortcuts, as in the terminal
 * client: 1–4 score the focused checklist item, n a note on it, g the
 * general note, r a red flag, N the next phase (confirmed), + more time,
 * e the end (confirmed), c the chat, ? the list of keys. A shortcut never
 * fires while the user types in a text field, nor with Ctrl, Alt or Meta,
 * nor under an open dialog. Esc in a text field goes back to the
 * checklist, as Esc leaves the chat in the terminal.
 */

/* Where typed characters are text, not commands. */
export function isTyping(t) {
	if (!t || !t.closest)
		return false;
	if (t.closest('textarea, select, [contenteditable]:not([contenteditable="false"])'))
		return true;
	return t.tagName === 'INPUT' &&
	    !['radio', 'checkbox', 'button', 'submit', 'reset'].includes(t.type);
}

/* handlers: {key: fn}; escape: fn for Esc in a text field. */
export function installKeys(handlers, escape) {
	function onKey(ev) {
		if (ev.defaultPrevented || ev.ctrlKey || ev.metaKey || ev.altKey)
			return;
		if (document.querySelector('dialog[open]'))
			return;
		if (isTyping(ev.target)) {
			if (ev.key === 'Escape' && escape && ev.target.tagName !== 'SELECT') {
				ev.preventDefault();
				escape();
			}
			return;
		}
		const fn = handlers[ev.key];

		if (fn) {
			ev.preventDefault();
			fn(ev);
		}
	}
	document.addEventListener('keydown', onKey);
	return () => document.removeEventListener('keydown', onKey);
}
