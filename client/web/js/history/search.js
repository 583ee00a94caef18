/*
 * search.js — which history.list entries a search keeps. Like the
 * terminal's browser (client/vm/browse.c: the question's title or the
 * peer's name, any case) and over everything else a row shows: the
 * category, the difficulty, the role and the result. Each word of the
 * search must appear in one of them ("bob hard" keeps bob's hard ones).
 * Pure: tests/web/unit-search.test.mjs.
 */
import { outcome, str } from './text.js';

/* Lower case without accents: "Résumé" is found by "resume". */
function fold(s) {
	return s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/* The fields an entry is searched in. */
export function searchFields(e) {
	const q = e?.question;
	return [str(q, 'title'), str(q, 'category'), str(q, 'difficulty'),
		str(e?.peer, 'username'), str(e, 'role'),
		outcome(e)];
}

/* The search's words, folded; none for a blank search. */
export function searchTerms(query) {
	return fold(String(query ?? '')).split(/\s+/).filter(Boolean);
}

/* Whether entry e has every one of terms in some field. */
export function matches(e, terms) {
	if (terms.length === 0)
		return true;
	const fields = searchFields(e).map(fold);
	return terms.every(t => fields.some(f => f.includes(t)));
}

/* The entries a search keeps, in their order. */
export function filterEntries(entries, query) {
	const terms = searchTerms(query);
	return entries.filter(e => matches(e, terms));
}
