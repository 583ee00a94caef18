/*
 * dom.js — the one way the app makes elements (web-contract.md): h()
 * builds an element from attributes and children, and every string child
 * becomes a text node. Nothing in the app ever assigns innerHTML, so text
 * a peer wrote can never become markup. Inline styles and on* attributes
 * are refused here too: the Content-Security-Policy forbids them anyway,
 * and failing loudly beats failing silently in the browser.
 */

/* Properties rather than attributes: their live state is what counts. */
const BOOL_PROPS = new Set(['hidden', 'disabled', 'checked', 'required',
	'readOnly', 'multiple', 'selected', 'open']);

function setAttr(el, k, v) {
	if (k === 'on') {
		for (const [ev, fn] of Object.entries(v))
			el.addEventListener(ev, fn);
	} else if (k === 'style' || /^on/i.test(k)) {
		throw new Error(`h(): '${k}' is not allowed (CSP)`);
	} else if (k === 'class') {
		el.className = v;
	} else if (k === 'for') {
		el.htmlFor = v;
	} else if (k === 'value') {
		el.value = v;
	} else if (BOOL_PROPS.has(k)) {
		el[k] = Boolean(v);
	} else {
		el.setAttribute(k, v === true ? '' : String(v));
	}
}

/* Children: nodes, strings (as text), arrays of them; null/false skipped. */
export function append(el, ...children) {
	for (const c of children) {
		if (c === null || c === undefined || c === false || c === true)
			continue;
		if (Array.isArray(c))
			append(el, ...c);
		else if (c instanceof Node)
			el.appendChild(c);
		else
			el.appendChild(document.createTextNode(String(c)));
	}
	return el;
}

export function h(tag, attrs = {}, ...children) {
	const el = document.createElement(tag);

	for (const [k, v] of Object.entries(attrs || {})) {
		if (v === null || v === undefined || v === false)
			continue;
		setAttr(el, k, v);
	}
	return append(el, ...children);
}

export function clear(el) {
	while (el.firstChild)
		el.removeChild(el.firstChild);
	return el;
}

/* Replace an element's children in one go. */
export function replace(el, ...children) {
	clear(el);
	return append(el, ...children);
}

/* Set text only when it changed: a live region re-reads any change. */
export function setText(el, text) {
	const t = String(text);

	if (el.textContent !== t)
		el.textContent = t;
}

export function download(filename, mime, text) {
	const url = URL.createObjectURL(new Blob([text], { type: mime }));
	const a = h('a', { href: url, download: filename, hidden: true });

	document.body.appendChild(a);
	a.click();
	a.remove();
	/* The click has started the download; the URL can go after it. */
	setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/* A keyed list: reuse the element of an item whose signature is the same,
 * so that re-rendering keeps focus and scroll where they are. */
export function reconcile(list, items, key, sig, render) {
	const old = new Map();

	for (const el of list.children)
		old.set(el.dataset.key, el);
	let prev = null;
	for (const it of items) {
		const k = String(key(it));
		const s = sig(it);
		let el = old.get(k);

		if (el && el.dataset.sig !== s) {
			const fresh = render(it);

			el.replaceWith(fresh);
			el = fresh;
		} else if (!el) {
			el = render(it);
		}
		old.delete(k);
		el.dataset.key = k;
		el.dataset.sig = s;
		const want = prev ? prev.nextSibling : list.firstChild;
		if (want !== el)
			list.insertBefore(el, want);
		prev = el;
	}
	for (const el of old.values())
		el.remove();
}
