// GraphiQL in a real browser with the network closed: the page must come
// entirely from this server (no CDN), run its default query and show
// MailCamp's notice. Debian's chromium driven by playwright-core; never a
// downloaded browser. Skipped, saying why, where /usr/bin/chromium is absent.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server.js';

const CHROMIUM = '/usr/bin/chromium';
const installed = existsSync(CHROMIUM);
if (!installed) {
  console.warn(`GraphiQL browser test skipped: ${CHROMIUM} is not installed (apt-get install -y chromium)`);
}

describe.skipIf(!installed)('GraphiQL in a browser without internet', () => {
  let server: TestServer;
  let profile: string;
  let context: BrowserContext;
  const leaving: string[] = [];
  const refusedByPolicy: string[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    profile = await mkdtemp(path.join(os.tmpdir(), 'privacy-facts-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--no-first-run',
      ],
    });
    // Every request that would leave this machine is refused and remembered.
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) return route.continue();
      leaving.push(url.href);
      return route.abort();
    });
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await server?.close();
    if (profile) await rm(profile, { recursive: true, force: true });
  });

  it('loads from this server alone, runs the default query and shows the notice', async () => {
    const page = await context.newPage();
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

    expect(leaving, 'requests that tried to leave the machine').toEqual([]);
    expect(refusedByPolicy, 'resources the Content-Security-Policy refused').toEqual([]);
  }, 180_000);
});
