// The command-line tools as an operator runs them, on an embedded database in
// a temporary directory, with no server running: each script takes the data
// directory's lock, opens it, runs its command and gives it back. Every script
// is a new Node process that opens PGlite, so the timeouts are generous: this
// runs on busy 2-core machines.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runScript } from './support/processes.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const acme = path.join(root, 'test/fixtures/acme.yaml');
// Shared reference data the fixture names by slug; a fresh database has none yet.
const authorities = path.join(root, 'manifests/reference/supervisory-authorities.yaml');
let dir: string;
const SLOW = 180_000;

async function script(name: string, ...args: string[]) {
  return runScript(name, args, { DATA_DIR: path.join(dir, 'data') });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'privacy-facts-cli-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('npm run manifest:load', () => {
  it(
    'migrates',
    async () => {
      expect((await script('db-migrate')).stdout).toMatch(/applied: \d+_init/);
    },
    SLOW,
  );

  it(
    'loads a manifest',
    async () => {
      const first = await script('manifest-load', authorities, acme);
      expect(first.code).toBe(0);
      expect(first.stdout).toMatch(/CREATE SupervisoryAuthority nl-ap/);
      expect(first.stdout).toMatch(/acme\.yaml: changed \d+/);
      expect(first.stdout).toMatch(/CREATE Processor hosting/);
    },
    SLOW,
  );

  it(
    'reports no changes on a second load',
    async () => {
      const second = await script('manifest-load', acme);
      expect(second.stdout).toMatch(/acme\.yaml: no changes/);
    },
    SLOW,
  );

  it(
    'refuses a manifest with an invalid e-mail, country and duration, naming file and path',
    async () => {
      const text = (await readFile(acme, 'utf8'))
        .replace('slug: acme', 'slug: acme-bad')
        .replace('dpo@acme.example', 'not-an-address')
        .replace('country: NL }', 'country: Holland }')
        .replace('period: P7Y', 'period: seven years');
      const bad = path.join(dir, 'bad.yaml');
      await writeFile(bad, text);
      const result = await script('manifest-load', bad);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain(`${bad}: contacts.0.email: not a valid e-mail address`);
      expect(result.stderr).toContain(
        `${bad}: controllerEntities.0.address.country: not an ISO 3166-1 alpha-2 country code`,
      );
      expect(result.stderr).toContain(`${bad}: retentionRules.0.period: not an ISO 8601 duration`);
    },
    SLOW,
  );

  it(
    'wrote nothing of the refused manifest: the good one still describes the database exactly',
    async () => {
      expect((await script('manifest-load', '--dry-run', acme)).stdout).toMatch(/no changes/);
    },
    SLOW,
  );
});

describe('npm run apikey:*', () => {
  let key: string;
  let prefix: string;

  it(
    'creates a key and shows it once',
    async () => {
      const created = await script(
        'apikey',
        'create',
        '--name',
        'processor tool',
        '--scope',
        'write:mailcamp',
        '--scope',
        'read',
      );
      expect(created.code).toBe(0);
      key = created.stdout.trim().split('\n').at(-1)!;
      expect(key).toMatch(/^pfk_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
      prefix = key.split('_').slice(0, 2).join('_');
    },
    SLOW,
  );

  it(
    'lists it without the secret',
    async () => {
      const listed = await script('apikey', 'list');
      expect(listed.stdout).toContain(`${prefix}\tactive\tprocessor tool\twrite:mailcamp,read`);
      expect(listed.stdout).not.toContain(key);
    },
    SLOW,
  );

  it(
    'revokes it',
    async () => {
      expect((await script('apikey', 'revoke', prefix)).stdout).toContain(`revoked key ${prefix}`);
      expect((await script('apikey', 'list')).stdout).toContain(`${prefix}\trevoked`);
    },
    SLOW,
  );

  it(
    'refuses an unknown scope',
    async () => {
      const result = await script('apikey', 'create', '--name', 'x', '--scope', 'write:Mail Camp');
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('unknown scope "write:Mail Camp"');
    },
    SLOW,
  );

  it(
    'says so when no key has the prefix',
    async () => {
      const result = await script('apikey', 'revoke', 'pfk_000000000000');
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('no key has the id or prefix "pfk_000000000000"');
    },
    SLOW,
  );
});
