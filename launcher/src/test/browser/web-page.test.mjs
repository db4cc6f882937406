// The web page's scenarios in headless Chromium against the running pipeline (started by WebPageBrowserTest).
// Each scenario has a user of its own; screenshots of every state land in target/browser/screenshots.

import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { api, assertAccessible, launch, openPage, screenshot, setup, signedIn, until } from './browser.mjs';
import { startCuttingProxy } from './cutting-proxy.mjs';

const MIB = 1024 * 1024;
const tokens = setup.tokens;
let browser;

const SENTENCES = [
  'The river was clean and the otters were seen near the old mill.',
  'Every report of the committee is read twice before it is filed.',
  'The harbour master keeps a ledger of every ship that comes in.',
  'Spring came early this year, and the orchards were in bloom by March.',
  'The lighthouse keeper wrote down the weather at noon and at midnight.',
];

/** English text of exactly {@code bytes} bytes in numbered lines, so its language is detected and no two are alike. */
function writeText(name, bytes, firstLine) {
  const file = path.join(setup.files, name);
  const lines = [firstLine];
  let size = firstLine.length + 1;
  while (size < bytes) {
    const line = `${lines.length}. ${SENTENCES[crypto.randomInt(SENTENCES.length)]}`;
    lines.push(line);
    size += line.length + 1;
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`.slice(0, bytes));
  return file;
}

function card(page, name) {
  return page.locator('.card', { has: page.locator('.card-title', { hasText: name }) });
}

const TYPES = {
  '.pdf': 'application/pdf',
  '.docx': 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  '.txt': 'text/plain',
};

/** Drops files on {@code selector} as a person dragging them from their desktop would. */
async function dropFiles(page, selector, files) {
  const payload = files.map(file => ({ name: path.basename(file), type: TYPES[path.extname(file)] || '',
    data: fs.readFileSync(file).toString('base64') }));
  const dataTransfer = await page.evaluateHandle(items => {
    const transfer = new DataTransfer();
    for (const item of items) {
      const bytes = Uint8Array.from(atob(item.data), c => c.charCodeAt(0));
      transfer.items.add(new File([bytes], item.name, { type: item.type }));
    }
    return transfer;
  }, payload);
  await page.dispatchEvent(selector, 'dragenter', { dataTransfer });
  assert.equal(await page.locator(selector).evaluate(zone => zone.classList.contains('dragging')), true);
  await page.dispatchEvent(selector, 'drop', { dataTransfer });
}

async function jobsOf(token) {
  const { status, body } = await api(token, '/api/v1/jobs?limit=100');
  assert.equal(status, 200);
  return body.jobs;
}

before(async () => {
  browser = await launch();
});

after(async () => {
  await browser?.close();
});

test('signs in with a pasted token, by keyboard alone', async () => {
  const { context, page } = await openPage(browser);
  await page.goto(`${setup.baseUrl}/`);
  await page.locator('#sign-in').waitFor();
  await assert.doesNotReject(page.locator('#token').evaluate(element => {
    if (document.activeElement !== element) {
      throw new Error('the token field is not focused');
    }
  }));
  await page.keyboard.insertText('not-a-token');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await assert.doesNotReject(page.locator('#sign-in-error', { hasText: 'This is not a token' }).waitFor());
  await screenshot(page, '01-sign-in');
  await assertAccessible(page, 'sign-in');

  await page.locator('#token').fill('');
  await page.locator('#token').focus();
  await page.keyboard.insertText(tokens.signIn);
  await page.keyboard.press('Tab');
  await page.keyboard.press('Enter');
  await page.locator('#who-name', { hasText: 'browser-signIn-' }).waitFor();
  assert.equal(await page.locator('#nav-dead-letters').isVisible(), false, 'no dead letters view without the admin role');

  // Tab from the top reaches the file chooser, which shows that it has the focus.
  await page.locator('body').focus();
  let reached = false;
  for (let i = 0; i < 10 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => document.activeElement?.id === 'file-input');
  }
  assert.ok(reached, 'the file chooser is reachable with Tab');
  const outline = await page.locator('label[for=file-input]').evaluate(label => getComputedStyle(label).outlineStyle);
  assert.equal(outline, 'solid', 'the focused file chooser shows a focus outline');
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('three files dropped on the page are uploaded, processed and shown with their results', async () => {
  const { context, page } = await signedIn(browser, tokens.three);
  const text = writeText('notes.txt', 2_000, 'The otter report says the river is clean.');
  await dropFiles(page, '#drop-zone', [path.join(setup.files, 'quarterly.pdf'),
    path.join(setup.files, 'minutes.docx'), text]);

  for (const name of ['quarterly.pdf', 'minutes.docx', 'notes.txt']) {
    await card(page, name).and(page.locator('[data-state=completed]')).waitFor({ timeout: 90_000 });
  }
  const pdf = card(page, 'quarterly.pdf');
  assert.equal(await pdf.locator('.pages').textContent(), '2');
  await pdf.locator('.preview', { hasText: 'marmalade clause' }).waitFor();
  await card(page, 'minutes.docx').locator('.preview', { hasText: 'heron committee met on Tuesday' }).waitFor();
  await card(page, 'notes.txt').locator('.preview', { hasText: 'otter report' }).waitFor();
  assert.equal(await card(page, 'notes.txt').locator('.language').textContent(), 'English (en)');
  for (const bar of await page.locator('.card progress').all()) {
    assert.equal(await bar.evaluate(element => element.value), 100);
  }

  // Both downloads go from S3 to the browser through presigned URLs that the page asks the API for.
  const [download] = await Promise.all([page.waitForEvent('download'), pdf.locator('button.download').click()]);
  assert.equal(download.suggestedFilename(), 'quarterly.txt');
  assert.match(fs.readFileSync(await download.path(), 'utf8'), /Second page of the report/);
  const [original] = await Promise.all([page.waitForEvent('download'),
    pdf.getByRole('button', { name: 'Download original' }).click()]);
  assert.equal(original.suggestedFilename(), 'quarterly.pdf');
  assert.deepEqual(fs.readFileSync(await original.path()), fs.readFileSync(path.join(setup.files, 'quarterly.pdf')));

  await until(async () => (await page.locator('#recent tbody tr[data-status=completed]').count()) === 3,
    { what: 'three completed jobs in the recent list' });
  const jobs = await jobsOf(tokens.three);
  assert.deepEqual(jobs.map(job => job.status), ['completed', 'completed', 'completed']);
  await screenshot(page, '02-three-completed');
  await assertAccessible(page, 'three-completed');
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('a job uploaded through the API, not the page, appears in the open page\'s recent list and completes there', async () => {
  const { context, page } = await signedIn(browser, tokens.liveList);
  await page.locator('#recent-empty').waitFor();
  await until(async () => (await page.locator('#recent-updated').textContent()) === 'Live',
    { what: 'the live feed of the recent list open' });
  const listLoads = [];
  page.on('request', request => {
    if (new URL(request.url()).pathname === '/api/v1/jobs') {
      listLoads.push(request.url());
    }
  });
  await page.evaluate(() => { window.notReloaded = true; });

  const file = writeText('from-a-script.txt', 3_000, 'The ferry timetable was sent in by a script.');
  const form = new FormData();
  form.append('file', new Blob([fs.readFileSync(file)], { type: 'text/plain' }), 'from-a-script.txt');
  const { status, body } = await api(tokens.liveList, '/api/v1/uploads', { method: 'POST', body: form });
  assert.equal(status, 202);
  const { jobId } = body.jobs[0];

  const row = page.locator(`#recent tbody tr[data-job-id="${jobId}"]`);
  await row.waitFor({ timeout: 30_000 });
  assert.equal(await row.locator('td.file').textContent(), 'from-a-script.txt');
  await page.locator(`#recent tbody tr[data-job-id="${jobId}"][data-status=completed]`).waitFor({ timeout: 90_000 });
  assert.equal(await page.locator('#recent-empty').isVisible(), false);
  assert.equal(await page.evaluate(() => window.notReloaded), true, 'the page was not reloaded');
  assert.deepEqual(listLoads, [], 'the list was not loaded again: the feed brought the job');
  await screenshot(page, '02b-live-list');
  await assertAccessible(page, 'live-list');
  assert.deepEqual(page.problems, []);
  await context.close();
});

test('a file over the limit is refused with its size, the limit and what to do', async () => {
  const { context, page } = await signedIn(browser, tokens.oversize);
  const file = path.join(setup.files, 'scan.pdf');
  fs.writeFileSync(file, Buffer.alloc(16 * MIB, 0x25));
  await page.setInputFiles('#file-input', file);

  const problem = card(page, 'scan.pdf').locator('.problem[data-code=file_too_large]');
  await problem.waitFor();
  const message = await problem.locator('.problem-message').textContent();
  assert.match(message, /scan\.pdf is 16 MiB; the limit is 12 MiB\. Split or compress it/);
  assert.equal(await problem.locator('.problem-title').textContent(), 'File too large');
  await until(async () => (await page.locator('#announce-alert').textContent()).includes('File too large'),
    { what: 'the refusal announced in the assertive live region' });
  await screenshot(page, '03-too-large');
  await assertAccessible(page, 'too-large');

  await problem.getByRole('button', { name: 'Dismiss' }).click();
  await until(async () => (await card(page, 'scan.pdf').count()) === 0, { what: 'the dismissed card gone' });
  assert.deepEqual(await jobsOf(tokens.oversize), [], 'no job for a refused file');
  await context.close();
});

test('a rate-limited upload counts down from Retry-After, then retries by itself and succeeds', async () => {
  const { context, page } = await signedIn(browser, tokens.rateLimited);
  const count = setup.rateCapacity + 2;
  const files = [];
  for (let i = 1; i <= count; i++) {
    files.push(writeText(`batch-${i}.txt`, 300, `Batch note number ${i} about the lighthouse.`));
  }
  await page.setInputFiles('#file-input', files);

  const waiting = page.locator('.problem[data-code=rate_limited]:not([hidden])').first();
  await waiting.waitFor({ timeout: 30_000 });
  assert.match(await waiting.locator('.problem-countdown').textContent(), /Trying again in \d+ seconds?…/);
  await screenshot(page, '04-rate-limited-countdown');
  await assertAccessible(page, 'rate-limited');

  await until(async () => (await page.locator('.card[data-state=completed]').count()) === count,
    { timeout: 90_000, what: `all ${count} files completed` });
  const jobs = await jobsOf(tokens.rateLimited);
  assert.equal(jobs.length, count, 'each file became exactly one job, the retried ones included');
  assert.deepEqual(new Set(jobs.map(job => job.filename)).size, count);
  await context.close();
});

test('a network cut during a large upload resumes where it stopped and completes', async () => {
  const proxy = await startCuttingProxy(new URL(setup.baseUrl).port, 2 * MIB);
  const base = `http://127.0.0.1:${proxy.port}`;
  try {
    const { context, page } = await signedIn(browser, tokens.network, base);
    const tusRequests = [];
    page.on('request', request => {
      if (request.url().includes('/api/v1/tus/')) {
        tusRequests.push({ method: request.method(), offset: request.headers()['upload-offset'] });
      }
    });
    const cdp = await context.newCDPSession(page);
    const size = 8 * MIB;
    const file = writeText('survey.txt', size, 'The survey of the northern coast, resumed after a network cut.');
    await page.setInputFiles('#file-input', file);
    const upload = card(page, 'survey.txt').locator('progress').first();
    await until(async () => (await upload.evaluate(bar => bar.value)) >= 30, { what: 'upload at 30 %' });

    await cdp.send('Network.emulateNetworkConditions',
      { offline: true, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    proxy.cutAll();
    const lost = card(page, 'survey.txt').locator('.problem[data-code=network_lost]:not([hidden])');
    await lost.waitFor({ timeout: 30_000 });
    assert.match(await lost.textContent(), /continues from where it stopped/);
    await screenshot(page, '05-network-lost');

    proxy.restore();
    await cdp.send('Network.emulateNetworkConditions',
      { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await card(page, 'survey.txt').and(page.locator('[data-state=completed]')).waitFor({ timeout: 120_000 });
    await screenshot(page, '06-network-resumed');

    const patches = tusRequests.filter(request => request.method === 'PATCH');
    assert.ok(patches.length >= 2, `the upload was resumed with another PATCH: ${JSON.stringify(tusRequests)}`);
    assert.equal(patches[0].offset, '0');
    assert.ok(Number(patches.at(-1).offset) > 0, 'the last PATCH resumed from the offset the server kept');
    const jobs = await jobsOf(tokens.network);
    assert.equal(jobs.length, 1, 'one job for one file, however often it resumed');
    assert.equal(jobs[0].size, size);
    assert.equal(jobs[0].sha256, crypto.createHash('sha256').update(fs.readFileSync(file)).digest('hex'));
    assert.deepEqual(page.problems, []);
    await context.close();
  } finally {
    await proxy.close();
  }
});

test('a job set aside after repeated failures says so, and an admin previews and replays it', async () => {
  const control = action => fetch(`${setup.controlUrl}/storage/${action}`, { method: 'POST' });
  const user = await signedIn(browser, tokens.deadLetter);
  await control('fail');
  try {
    await user.page.setInputFiles('#file-input', writeText('ledger.txt', 500, 'The ledger of the harbour master.'));
    const failed = card(user.page, 'ledger.txt').locator('.problem[data-code]:not([hidden])', { hasText: 'operator can replay' });
    await failed.waitFor({ timeout: 90_000 });
    assert.equal(await card(user.page, 'ledger.txt').getAttribute('data-state'), 'failed');
    await screenshot(user.page, '07-set-aside');
  } finally {
    await control('pass');
  }
  const [job] = await jobsOf(tokens.deadLetter);

  const { context, page } = await signedIn(browser, tokens.admin);
  await page.getByRole('button', { name: 'Dead letters' }).click();
  await page.locator('#dlq-user').fill(job.ownerId);
  await page.getByRole('button', { name: 'Apply filters' }).click();
  const row = page.locator(`#dlq tbody tr`, { hasText: 'ledger.txt' });
  await until(async () => {
    if ((await row.count()) === 0) {
      await page.getByRole('button', { name: 'Apply filters' }).click();
    }
    return (await row.count()) === 1;
  }, { what: 'the dead letter listed', interval: 1000 });
  await page.locator('#dlq[aria-busy="false"]').waitFor();
  assert.equal(await page.locator('#dlq-replay').isDisabled(), true, 'no replay before a preview');

  await page.getByRole('button', { name: 'Preview replay (dry run)' }).click();
  await page.locator('#dlq-outcome', { hasText: 'Dry run: 1 would be replayed; nothing was changed.' }).waitFor();
  const unchanged = await api(tokens.deadLetter, `/api/v1/jobs/${job.jobId}`);
  assert.equal(unchanged.body.status, 'failed', 'a dry run changes nothing');
  await screenshot(page, '08-dead-letters-dry-run');
  await assertAccessible(page, 'dead-letters');

  await page.getByRole('button', { name: 'Replay 1' }).click();
  await page.locator('#dlq-outcome', { hasText: '1 replayed.' }).waitFor();
  await until(async () => (await api(tokens.deadLetter, `/api/v1/jobs/${job.jobId}`)).body.status === 'completed',
    { timeout: 90_000, what: 'the replayed job completed' });
  assert.deepEqual(page.problems, []);
  await context.close();
  await user.context.close();
});

test('an operator\'s maintenance shows a banner and refuses uploads with the operator\'s message; full restores both', async () => {
  const setLevel = body => api(tokens.admin, '/api/v1/admin/service-level',
    { method: 'PUT', body: JSON.stringify(body), headers: { 'Content-Type': 'application/json' } });
  const message = 'Spool is moving to new storage; uploads are paused until 14:00 UTC.';
  const put = await setLevel({ level: 'maintenance', message, retryAfterSeconds: 120 });
  assert.equal(put.status, 200);
  assert.equal(put.body.level, 'maintenance');
  try {
    const { context, page } = await signedIn(browser, tokens.serviceLevel);
    const banner = page.locator('#service-level[role=status]');
    await banner.waitFor();
    assert.equal(await page.locator('#service-level-title').textContent(), 'Under maintenance');
    assert.equal(await page.locator('#service-level-message').textContent(), message);

    await page.setInputFiles('#file-input', writeText('paused.txt', 400, 'A note written during maintenance.'));
    const refused = card(page, 'paused.txt').locator('.problem[data-code=service_maintenance]');
    await refused.waitFor();
    assert.ok((await refused.locator('.problem-message').textContent()).startsWith(message),
      'the refusal says what the operator wrote');
    assert.equal(await refused.locator('.problem-title').textContent(), 'Under maintenance');
    await screenshot(page, '09-maintenance');
    await assertAccessible(page, 'maintenance');
    assert.deepEqual(await jobsOf(tokens.serviceLevel), [], 'no job while in maintenance');

    assert.equal((await setLevel({ level: 'full' })).status, 200);
    await refused.getByRole('button', { name: 'Retry' }).click();
    await card(page, 'paused.txt').and(page.locator('[data-state=completed]')).waitFor({ timeout: 90_000 });
    // The page reads the level every 30 seconds: the banner goes by itself.
    await banner.waitFor({ state: 'hidden', timeout: 45_000 });
    await screenshot(page, '10-maintenance-over');
    assert.equal((await jobsOf(tokens.serviceLevel)).length, 1);
    assert.deepEqual(page.problems, []);
    await context.close();
  } finally {
    await setLevel({ level: 'full' });
  }
});
