// examples/notice.html, the README's first example, in a real browser with the
// network closed: it shows MailCamp's Dutch notice from the API, its table of
// contents linking to each section. Skipped, saying why, without Chromium.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserMissing, openClosedBrowser, type ClosedBrowser } from './support/browser.js';
import { startTestServer, type TestServer } from './support/server.js';

const missing = browserMissing();
if (missing) console.warn(`example page browser test skipped: ${missing}`);

const page = pathToFileURL(path.resolve(import.meta.dirname, '../examples/notice.html'));

describe.skipIf(missing !== null)('examples/notice.html', () => {
  let server: TestServer;
  let browser: ClosedBrowser;

  beforeAll(async () => {
    server = await startTestServer();
    browser = await openClosedBrowser({ locale: 'nl-NL' });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('shows MailCamp’s Dutch notice with a table of contents, needing nothing outside this machine', async () => {
    const { data } = await server.gql(
      `{ organisation(slug: "mailcamp") { notice(locale: "nl") { title sections { anchor heading } } } }`,
    );
    const notice = data!.organisation.notice;
    const tab = await browser.context.newPage();
    await tab.goto(`${page.href}?api=${encodeURIComponent(server.url)}`);
    await tab.locator('article h1').waitFor({ timeout: 60_000 });
    expect(await tab.locator('article h1').textContent()).toBe(notice.title);
    expect(await tab.getAttribute('html', 'lang')).toBe('nl');
    const links = await tab
      .locator('nav a')
      .evaluateAll((as) => as.map((a) => ({ href: a.getAttribute('href'), text: a.textContent })));
    expect(links).toEqual(notice.sections.map((s: any) => ({ href: `#${s.anchor}`, text: s.heading })));
    // Each link's target is a heading of the page.
    for (const s of notice.sections) expect(await tab.locator(`[id="${s.anchor}"]`).count()).toBe(1);
    expect(await tab.locator('.meta').textContent()).toMatch(/^MailCamp · versie 1\.2 · geldig vanaf/);
    if (process.env.EXAMPLE_SCREENSHOT) await tab.screenshot({ path: process.env.EXAMPLE_SCREENSHOT, fullPage: false });
    expect(browser.leaving, 'requests that tried to leave the machine').toEqual([]);
  }, 180_000);
});
