import assert from 'node:assert/strict';
import { test } from 'node:test';
import { followMyJobs } from '../../../main/resources/static/app/event-stream.js';
import { mergeJobs } from '../../../main/resources/static/app/recent-jobs.js';

const job = (jobId, version, createdAt, status = 'queued') => ({ jobId, version, createdAt, status });

test('a change replaces its job in place, and an older or repeated one does not undo a newer', () => {
  const listed = mergeJobs(new Map(), [job('a', 3, '2026-12-01T10:00:00Z', 'processing')]);
  const stale = mergeJobs(listed, [job('a', 2, '2026-12-01T10:00:00Z', 'queued')]);
  assert.equal(stale.get('a').status, 'processing');
  const newer = mergeJobs(stale, [job('a', 4, '2026-12-01T10:00:00Z', 'completed')]);
  assert.equal(newer.get('a').status, 'completed');
  assert.equal(newer.size, 1);
});

test('the list merged into what the feed sent meanwhile keeps the newest of each job, newest job first', () => {
  const fromFeed = mergeJobs(new Map(), [job('new', 1, '2026-12-01T12:00:00Z'), job('old', 5, '2026-12-01T09:00:00Z', 'completed')]);
  const listed = mergeJobs(fromFeed, [job('old', 4, '2026-12-01T09:00:00Z', 'processing'), job('mid', 2, '2026-12-01T10:00:00Z')]);
  assert.deepEqual([...listed.keys()], ['new', 'mid', 'old']);
  assert.equal(listed.get('old').status, 'completed');
});

test('a deleted job leaves the list, and a list loaded before its deletion does not bring it back', () => {
  const deleted = new Set();
  const listed = mergeJobs(new Map(), [job('a', 3, '2026-12-01T10:00:00Z', 'completed'), job('b', 1, '2026-12-01T11:00:00Z')],
    20, deleted);
  const afterDeletion = mergeJobs(listed, [{ jobId: 'a', status: 'deleted' }], 20, deleted);
  assert.deepEqual([...afterDeletion.keys()], ['b']);
  const staleList = mergeJobs(afterDeletion, [job('a', 3, '2026-12-01T10:00:00Z', 'completed')], 20, deleted);
  assert.deepEqual([...staleList.keys()], ['b']);
});

test('only the most recent jobs are kept', () => {
  const views = Array.from({ length: 25 }, (_, i) => job(`j${i}`, 1, `2026-12-01T10:${String(i).padStart(2, '0')}:00Z`));
  const shown = mergeJobs(new Map(), views);
  assert.equal(shown.size, 20);
  assert.equal([...shown.keys()][0], 'j24');
  assert.ok(!shown.has('j4'));
});

/** An API whose feed answers each call with the next of {@code bodies}, recording the Last-Event-ID it was sent. */
function feedApi(bodies, sent) {
  return {
    fetch: async (path, { headers }) => {
      assert.equal(path, '/api/v1/jobs/events');
      sent.push(headers['Last-Event-ID'] ?? null);
      return new Response(bodies.shift() ?? new ReadableStream());
    },
  };
}

test('the feed reports its start, each change, and resumes after the last event id; a reset is a new start', async () => {
  const sent = [];
  const api = feedApi([
    'id: 5-0\nevent: ready\ndata: {}\n\nid: 6-0\nevent: status\ndata: {"jobId":"a","version":1}\n\n'
      + 'event: heartbeat\ndata: {}\n\n',
    'id: 9-0\nevent: reset\ndata: {}\n\nid: 10-0\nevent: completed\ndata: {"jobId":"a","version":3}\n\n',
  ], sent);
  const seen = [];
  const controller = new AbortController();
  await Promise.race([
    followMyJobs(api, {
      signal: controller.signal,
      onStart: () => seen.push('start'),
      onView: (kind, view) => {
        seen.push(`${kind} ${view.jobId}@${view.version}`);
        if (kind === 'completed') {
          controller.abort();
        }
      },
      onTrouble: () => {},
    }),
    new Promise((_, reject) => setTimeout(() => reject(new Error('the feed did not finish')), 5000)),
  ]);
  assert.deepEqual(seen, ['start', 'status a@1', 'start', 'completed a@3']);
  assert.deepEqual(sent, [null, '6-0']);
});
