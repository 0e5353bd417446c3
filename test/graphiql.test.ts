// GraphiQL in a real browser with the network closed: the page must come
// entirely from this server (no CDN), run its default query and show
// MailCamp's notice. Debian's chromium driven by playwright-core; never a
// downloaded browser. Skipped, saying why, where /usr/bin/chromium is absent.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserMissing, openClosedBrowser, type ClosedBrowser } from './support/browser.js';
import { startTestServer, type TestServer } from './support/server.js';

const missing = browserMissing();
if (missing) console.warn(`GraphiQL browser test skipped: ${missing}`);

describe.skipIf(missing !== null)('GraphiQL in a browser without internet', () => {
  let server: TestServer;
  let browser: ClosedBrowser;
  const refusedByPolicy: string[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    browser = await openClosedBrowser();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('loads from this server alone, runs the default query and shows the notice', async () => {
    const page = await browser.context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) refusedByPolicy.push(message.text());
    });
    const response = await page.goto(server.url, { waitUntil: 'load' });
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toMatch(/default-src 'none'; script-src 'sha256-/);

    // The editor holds the default query: MailCamp's notice in Dutch.
    await page.getByText('mailcamp', { exact: false }).first().waitFor({ timeout: 120_000 });
    const run = page.locator('.graphiql-execute-button');
    await run.waitFor({ timeout: 60_000 });
    await run.click();

    const result = page.locator('.result-window');
    await expect
      .poll(async () => (await result.textContent()) ?? '', { timeout: 60_000 })
      .toContain('"resolvedLocale"');
    const text = (await result.textContent()) ?? '';
    expect(text).toContain('MailCamp');
    expect(text).toContain('"nl"');
    expect(text).toContain('"sections"');

    expect(browser.leaving, 'requests that tried to leave the machine').toEqual([]);
    expect(refusedByPolicy, 'resources the Content-Security-Policy refused').toEqual([]);
  }, 180_000);
});
