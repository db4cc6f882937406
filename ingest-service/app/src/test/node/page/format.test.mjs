// What the page says of a text cut at an extraction limit, without a browser.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeTruncation } from '../../../main/resources/static/app/format.js';

test('a whole text has no truncation note', () => {
  assert.equal(describeTruncation(undefined), null);
  assert.equal(describeTruncation(null), null);
});

test('a text cut at the character limit says how many characters were kept', () => {
  assert.match(describeTruncation({ limit: 'characters', at: 10000000 }),
    /^Only the first 10.000.000 characters were extracted: the document goes on beyond the limit\.$/);
});

test('a text cut at the page limit says how many pages were read', () => {
  assert.equal(describeTruncation({ limit: 'pages', at: 1000 }).startsWith('Only the first 1'), true);
  assert.match(describeTruncation({ limit: 'pages', at: 1000 }), / pages were extracted/);
});
