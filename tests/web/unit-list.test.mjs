// unit-list.test.mjs — the history list's paging without a browser
// (client/web/js/history/list.js): the cursor of the next page, and the
// end when a reply's cursor does not move back (a search loads pages
// until the end, so a cursor that repeats would load them forever), as
// the terminal's browse_add_page (tests/unit/test-browse.c).
import assert from 'node:assert/strict';
import { test } from 'node:test';

const { olderCursor } = await import('../../client/web/js/history/list.js');

test('the next page is the reply’s cursor while it moves back', () => {
	assert.equal(olderCursor(undefined, 90), 90);
	assert.equal(olderCursor(90, 80), 80);
	assert.equal(olderCursor(90, 1), 1);
});

test('no cursor, a bad one, or one that does not move back: the end', () => {
	assert.equal(olderCursor(undefined, undefined), null);
	assert.equal(olderCursor(90, null), null);
	assert.equal(olderCursor(90, 90), null);
	assert.equal(olderCursor(90, 95), null);
	assert.equal(olderCursor(90, 0), null);
	assert.equal(olderCursor(90, -3), null);
	assert.equal(olderCursor(90, 80.5), null);
	assert.equal(olderCursor(90, '80'), null);
});
