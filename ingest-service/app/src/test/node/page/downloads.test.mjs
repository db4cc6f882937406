// How the page turns a download button into a presigned URL, without a browser.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeDownloadProblem, downloadLinkPath, startDownload, usableLink } from '../../../main/resources/static/app/downloads.js';

const JOB = '0b7e7c1e-3f7a-4c59-9d0e-2f9a6f1b2c3d';
const NOW = Date.parse('2026-12-07T22:00:00Z');

test('each download asks the API for its URL as JSON rather than a redirect', () => {
  assert.equal(downloadLinkPath(JOB, 'original'), `/api/v1/jobs/${JOB}/original?redirect=false`);
  assert.equal(downloadLinkPath(JOB, 'text'), `/api/v1/jobs/${JOB}/text/download?redirect=false`);
  assert.equal(downloadLinkPath('a/b?c', 'text'), '/api/v1/jobs/a%2Fb%3Fc/text/download?redirect=false');
  assert.throws(() => downloadLinkPath(JOB, 'everything'), /Unknown download/);
});

test('a link still valid is opened as sent', () => {
  const url = 'http://localhost:9000/spool-uploads/uploads/x?X-Amz-Expires=900&X-Amz-Signature=abc';
  assert.equal(usableLink({ url, expiresAt: '2026-12-07T22:15:00Z' }, NOW), url);
  assert.equal(usableLink({ url }, NOW), url, 'no expiry given: the server knows best');
});

test('an expired, missing or foreign-scheme link is refused with a sentence', () => {
  assert.throws(() => usableLink({ url: 'https://s3.example.com/o', expiresAt: '2026-12-07T21:59:59Z' }, NOW),
    /expired before it could be opened/);
  assert.throws(() => usableLink({}, NOW), /did not send a download link/);
  assert.throws(() => usableLink(null, NOW), /did not send a download link/);
  assert.throws(() => usableLink({ url: 'javascript:alert(1)' }, NOW), /cannot open/);
});

test('a refusal is described with the server words, and never offers an upload retry', () => {
  const refused = describeDownloadProblem({ problem: { code: 'not_ready', title: 'Not ready',
    detail: 'The job has not completed yet.' } }, 'text');
  assert.deepEqual(refused, { code: 'not_ready', title: 'Could not download the text',
    message: 'The job has not completed yet.', retryButton: false });
  const lost = describeDownloadProblem(new Error('Failed to fetch'), 'original');
  assert.equal(lost.title, 'Could not download the original');
  assert.equal(lost.message, 'Failed to fetch');
  assert.equal(lost.retryButton, false);
});

test('a download fetches the URL with the token, then follows it with a hidden link', async () => {
  const asked = [];
  const api = { json: async path => { asked.push(path); return { url: 'https://s3.example.com/t?sig=1' }; } };
  const clicked = [];
  const appended = [];
  const doc = {
    createElement: tag => ({ tag, click() { clicked.push(this.href); }, remove() { this.removed = true; } }),
    body: { append: element => appended.push(element) },
  };

  await startDownload(api, JOB, 'text', doc);

  assert.deepEqual(asked, [`/api/v1/jobs/${JOB}/text/download?redirect=false`]);
  assert.deepEqual(clicked, ['https://s3.example.com/t?sig=1']);
  assert.equal(appended[0].tag, 'a');
  assert.equal(appended[0].hidden, true);
  assert.equal(appended[0].removed, true);
});
