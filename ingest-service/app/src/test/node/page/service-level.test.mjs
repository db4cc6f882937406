// The service-level banner's words, without a browser.

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeProblem } from '../../../main/resources/static/app/problems.js';
import { SERVICE_LEVEL_CODES, describeServiceLevel } from '../../../main/resources/static/app/service-level.js';

test('full shows no banner, and neither does a level this page does not know', () => {
  assert.equal(describeServiceLevel({ level: 'full', message: 'All good', since: '2026-12-08T14:00:00Z' }), null);
  assert.equal(describeServiceLevel({ level: 'closed' }), null);
  assert.equal(describeServiceLevel(null), null);
});

test('maintenance shows the operator\'s message under its title', () => {
  const banner = describeServiceLevel({ level: 'maintenance', message: ' Back at 14:00 UTC. ', since: '2026-12-08T13:30:00Z' });
  assert.deepEqual(banner, { level: 'maintenance', title: 'Under maintenance', message: 'Back at 14:00 UTC.' });
});

test('without a message each level says what it means for uploads', () => {
  assert.match(describeServiceLevel({ level: 'maintenance', message: null }).message, /^Uploads are paused/);
  assert.match(describeServiceLevel({ level: 'degraded', message: '  ' }).message,
    /^Low-priority uploads are paused for now; other uploads go on\./);
});

test('an upload refused for the service level offers a retry and shows the server\'s sentence', () => {
  for (const code of SERVICE_LEVEL_CODES) {
    const description = describeProblem({ code, status: 503, title: 'Under maintenance', detail: 'Back at 14:00 UTC.',
      retryAfterSeconds: 300 });
    assert.equal(description.kind, 'unavailable');
    assert.equal(description.retryButton, true);
    assert.equal(description.autoRetry, false);
    assert.match(description.message, /^Back at 14:00 UTC\. /);
  }
});
