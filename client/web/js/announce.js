/*
 * announce.js — one polite live region for what a screen reader should
 * hear without the user looking: phase changes, the 1:00 and 0:10
 * warnings, the peer leaving or coming back, the end. The ticking clock
 * itself is never announced (its element has aria-live off).
 */
let region = null;
let timer = null;

export function announce(text) {
	region ??= document.getElementById('announce');
	if (!region || !text)
		return;
	/* Emptied first, so that the same words twice are read twice. */
	region.textContent = '';
	clearTimeout(timer);
	timer = setTimeout(() => {
		region.textContent = text;
	}, 50);
}
