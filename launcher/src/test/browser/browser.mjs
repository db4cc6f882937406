// Headless Chromium from Debian, driven by playwright-core (browsers cannot be downloaded here), with the helpers
// every scenario uses: signed-in pages, screenshots, and axe-core's accessibility check.

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const setup = JSON.parse(process.env.SPOOL_BROWSER_SETUP);
const screenshots = path.join(setup.artifacts, 'screenshots');
const axeReports = path.join(setup.artifacts, 'axe');
fs.mkdirSync(screenshots, { recursive: true });
fs.mkdirSync(axeReports, { recursive: true });

export function launch() {
  return chromium.launch({
    executablePath: setup.chromium,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/**
 * A fresh browser context (its own storage) and page. Console errors other than refused requests, page errors and
 * Content-Security-Policy violations are collected, so a scenario can assert that the page ran cleanly.
 */
export async function openPage(browser, baseUrl = setup.baseUrl) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  page.problems = [];
  page.on('pageerror', error => page.problems.push(`page error: ${error.message}`));
  page.on('console', message => {
    if (message.type() === 'error' && /Content Security Policy|Uncaught/.test(message.text())) {
      page.problems.push(`console: ${message.text()}`);
    }
  });
  page.baseUrl = baseUrl;
  return { context, page };
}

/** Opens the page through the launcher's kind of link, which carries the token in the fragment. */
export async function signedIn(browser, token, baseUrl = setup.baseUrl) {
  const opened = await openPage(browser, baseUrl);
  await opened.page.goto(`${baseUrl}/#token=${token}`);
  await opened.page.locator('#who-name').waitFor();
  return opened;
}

export async function screenshot(page, name) {
  await page.screenshot({ path: path.join(screenshots, `${name}.png`), fullPage: true });
}

/** axe-core on the page as it is now: no serious or critical violation of WCAG 2.1 A/AA or best practice. */
export async function assertAccessible(page, name) {
  // Evaluated by the test driver, not injected as a script tag, so the page's CSP stays on.
  await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(() => window.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
  }));
  fs.writeFileSync(path.join(axeReports, `${name}.json`), JSON.stringify(results.violations, null, 2));
  const serious = results.violations
    .filter(violation => violation.impact === 'serious' || violation.impact === 'critical')
    .map(violation => `${violation.id} (${violation.impact}): ${violation.help} at `
      + violation.nodes.map(node => node.target.join(' ')).join(', '));
  assert.deepEqual(serious, [], `axe found serious or critical violations in ${name}`);
  return results;
}

/** The API as the scenario's user sees it, to check what the page did. */
export async function api(token, pathAndQuery, options = {}) {
  const response = await fetch(`${setup.baseUrl}${pathAndQuery}`, {
    ...options,
    headers: { Authorization: `Bearer ${token}`, Accept: 'application/json', ...(options.headers || {}) },
  });
  const text = await response.text();
  return { status: response.status, body: text ? JSON.parse(text) : null };
}

export async function until(check, { timeout = 60_000, interval = 250, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const value = await check();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    }
    await new Promise(resolve => setTimeout(resolve, interval));
  }
}
