// Debian's Chromium driven by playwright-core (never a downloaded browser),
// with the network closed: every request that would leave this machine is
// refused and remembered, so a test can assert a page needs nothing outside.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Why browser tests cannot run here, or null when they can. */
export function browserMissing(): string | null {
  return existsSync(CHROMIUM) ? null : `${CHROMIUM} is not installed (apt-get install -y chromium)`;
}

export interface ClosedBrowser {
  context: BrowserContext;
  /** Requests that tried to leave the machine. */
  leaving: string[];
  close(): Promise<void>;
}

export async function openClosedBrowser(options: { locale?: string } = {}): Promise<ClosedBrowser> {
  const profile = await mkdtemp(path.join(os.tmpdir(), 'privacy-facts-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    locale: options.locale,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
  const leaving: string[] = [];
  await context.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'file:' || ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) return route.continue();
    leaving.push(url.href);
    return route.abort();
  });
  return {
    context,
    leaving,
    close: async () => {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}
