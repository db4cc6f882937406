// The page's choice of words for each refusal, without a browser: the pure modules under static/app.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeJobFailure, describeProblem, networkLost } from '../../../main/resources/static/app/problems.js';

const MIB = 1024 * 1024;

test('too large names the size and the limit and says what to do', () => {
  const description = describeProblem(
    { code: 'file_too_large', status: 413, title: 'File too large', sizeBytes: 16 * MIB, limitBytes: 12 * MIB },
    { name: 'scan.pdf', size: 16 * MIB });
  assert.equal(description.kind, 'too_large');
  assert.equal(description.message, 'scan.pdf is 16 MiB; the limit is 12 MiB. Split or compress it, or upload a smaller file.');
  assert.equal(description.autoRetry, false);
  assert.equal(description.retryButton, false);
});

test('too large without a size in the problem uses the size of the file chosen', () => {
  const description = describeProblem({ code: 'file_too_large', limitBytes: 100 * MIB }, { name: 'a.pdf', size: 150 * MIB });
  assert.match(description.message, /^a\.pdf is 150 MiB; the limit is 100 MiB\./);
});

test('a type mismatch says what was detected and what was claimed', () => {
  const description = describeProblem(
    { code: 'type_mismatch', detectedType: 'application/pdf', claimedType: 'image/png' }, { name: 'x.png' });
  assert.equal(description.kind, 'type');
  assert.match(description.message, /^Its content is application\/pdf, but it claims to be image\/png\. Rename/);
});

test('an unsupported type says what was detected', () => {
  const description = describeProblem({ code: 'unsupported_type', detectedType: 'application/x-msdownload' });
  assert.match(description.message, /^Its content is application\/x-msdownload\. Convert it/);
});

test('rate limited waits for Retry-After and retries by itself', () => {
  const description = describeProblem({ code: 'rate_limited', status: 429, retryAfterSeconds: 7 });
  assert.equal(description.kind, 'rate_limited');
  assert.equal(description.autoRetry, true);
  assert.equal(description.retryAfterSeconds, 7);
});

test('rate limited without Retry-After still waits a second rather than retrying at once', () => {
  assert.equal(describeProblem({ code: 'rate_limited' }).retryAfterSeconds, 1);
});

for (const code of ['too_busy', 'storage_unavailable', 'publish_failed', 'server_restarting', 'internal']) {
  test(`${code} offers a retry button and keeps the server's advice`, () => {
    const description = describeProblem({ code, detail: 'Try again after the Retry-After delay.', retryAfterSeconds: 10 });
    assert.equal(description.kind, 'unavailable');
    assert.equal(description.retryButton, true);
    assert.equal(description.autoRetry, false);
    assert.match(description.message, /^Try again after the Retry-After delay\. /);
  });
}

test('an expired token asks to sign in again', () => {
  const description = describeProblem({ code: 'unauthenticated', status: 401 });
  assert.equal(description.signIn, true);
});

test('an unknown code falls back to the server\'s own title and detail', () => {
  const description = describeProblem({ code: 'something_new', title: 'New thing', detail: 'Do the new thing.' });
  assert.deepEqual([description.kind, description.title, description.message], ['other', 'New thing', 'Do the new thing.']);
});

test('a lost connection resumes by itself', () => {
  assert.equal(networkLost(true).autoRetry, true);
  assert.match(networkLost(true).message, /continues from where it stopped/);
  assert.match(networkLost(false).message, /starts again/);
});

test('a dead-lettered job says an operator can replay it', () => {
  const description = describeJobFailure({ deadLettered: true, error: { code: 'storage_unavailable', message: 'Storage failed.' } });
  assert.equal(description.kind, 'dead_lettered');
  assert.match(description.message, /^Storage failed\. .*an operator can replay it/);
});

test('a failed job gives the reason and advice for its code', () => {
  const description = describeJobFailure({ deadLettered: false, error: { code: 'encrypted', message: 'The PDF is encrypted.' } });
  assert.equal(description.message, 'The PDF is encrypted. Remove the password protection and upload it again.');
});
