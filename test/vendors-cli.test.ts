// npm run vendors:import as an operator runs it, on an embedded database in a
// temporary directory with no server running: two successive real vendor
// lists, the same list again, a translation whose language the file name
// gives, and a file that is not there. Every script is a new Node process
// that opens PGlite: the timeouts are generous for a busy 2-core machine.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runScript } from './support/processes.js';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { vendorListFile } from './support/vendor-lists.js';

let dir: string;
const SLOW = 180_000;

async function vendorsImport(...args: string[]) {
  return runScript('vendors-import', args, { DATA_DIR: path.join(dir, 'data') });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'privacy-facts-vendors-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

it(
  'imports a list, then the next one with its changes, then the same one without any',
  async () => {
    const first = await vendorsImport(vendorListFile('v2/vendor-list-v50.json'));
    expect(first.stderr).not.toMatch(/^\s+at /m);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /list 2\/50 \(TCF policy 2, 2020-08-06\), 474 vendors: 474 added, 0 changed, 0 deleted/,
    );
    expect(first.stdout).toContain('(474 new vendors; --verbose lists them)');
    expect(first.stdout).toContain('warning: vendors.782.policyUrl: "airgid.io/privacy-policy" has no scheme');

    const second = await vendorsImport(vendorListFile('v2/vendor-list-v51.json'));
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/list 2\/51 .*: 22 added, 13 changed, 0 deleted; 461 unchanged/);
    expect(second.stdout).toContain('  UPDATE 498 ');
    expect(second.stdout).toContain('  CREATE 793 Amazon Advertising');

    const again = await vendorsImport(vendorListFile('v2/vendor-list-v51.json'));
    expect(again.stdout).toMatch(/imported before: 0 added, 0 changed, 0 deleted; 496 unchanged/);
  },
  SLOW * 3,
);

it(
  'takes a translation’s language from its file name',
  async () => {
    const result = await vendorsImport(vendorListFile('v2/purposes-de.json'));
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/de texts of \d+ definitions changed/);
  },
  SLOW,
);

it(
  'says so when the file is not there, and writes nothing',
  async () => {
    const result = await vendorsImport(path.join(dir, 'missing.json'));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('missing.json: no such file');
    expect(result.stderr).not.toMatch(/^\s+at /m);
  },
  SLOW,
);
