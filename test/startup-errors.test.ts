// A new user's mistakes get one clear message: naming the setting or file,
// saying what to do, a non-zero exit, and no stack trace. The server and the
// scripts as separate processes; generous timeouts for busy 2-core machines.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nodeVersionProblem, SUPPORTED_NODE } from '../src/config.js';
import { freePort } from '../scripts/pg-cluster.js';
import { runScript, spawnServer, STACK_LINE } from './support/processes.js';
import { startTestServer } from './support/server.js';

const SLOW = 180_000;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'privacy-facts-errors-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

describe('the server at start', () => {
  let occupied: Server;
  let port: number;

  beforeAll(async () => {
    occupied = createServer();
    await new Promise<void>((resolve) => occupied.listen(0, '127.0.0.1', resolve));
    port = (occupied.address() as { port: number }).port;
  });
  afterAll(() => new Promise<void>((resolve) => occupied.close(() => resolve())));

  it(
    'refuses a port in use before it opens the database, naming PORT',
    async () => {
      const dataDir = path.join(dir, 'port-in-use');
      const finished = await (await spawnServer({ DATA_DIR: dataDir, DATABASE_URL: '' }, port)).exited;
      expect(finished.code).toBe(1);
      expect(finished.stderr).toContain(`port ${port} (PORT)`);
      expect(finished.stderr).toContain('set PORT to a free port');
      expect(finished.stderr).not.toMatch(STACK_LINE);
      // The database was never opened, and the data directory was given back.
      expect(existsSync(path.join(dataDir, 'PG_VERSION'))).toBe(false);
      expect(existsSync(path.join(dataDir, 'owner.lock'))).toBe(false);
    },
    SLOW,
  );

  it(
    'names DATABASE_URL and its host:port, never its password, when the server cannot be reached',
    async () => {
      const closed = await freePort();
      const url = `postgres://someone:not-to-be-printed@127.0.0.1:${closed}/privacy`;
      const [server, script] = await Promise.all([
        spawnServer({ DATABASE_URL: url }).then((s) => s.exited),
        runScript('apikey', ['list'], { DATABASE_URL: url }),
      ]);
      for (const finished of [server, script]) {
        expect(finished.code).toBe(1);
        expect(finished.stderr).toContain(`DATABASE_URL (127.0.0.1:${closed}): connection refused`);
        expect(finished.stderr).not.toContain('not-to-be-printed');
        expect(finished.stderr).not.toMatch(STACK_LINE);
      }
    },
    SLOW,
  );
});

describe('the command-line scripts', () => {
  // None of these mistakes needs a database: the directory is never created.
  const env = () => ({ DATA_DIR: path.join(dir, 'never-opened'), DATABASE_URL: '' });
  const afterAllChecks = () => expect(existsSync(path.join(dir, 'never-opened'))).toBe(false);

  it(
    'manifest:validate: a missing file is named (exit 1); no argument prints the usage (exit 2)',
    async () => {
      const missing = path.join(dir, 'no-such-manifest.yaml');
      const [one, none] = await Promise.all([
        runScript('manifest-validate', [missing], env()),
        runScript('manifest-validate', [], env()),
      ]);
      expect(one.code).toBe(1);
      expect(one.stderr).toContain(`${missing}: cannot read it: no such file`);
      expect(one.stderr).not.toMatch(STACK_LINE);
      expect(none.code).toBe(2);
      expect(none.stderr).toContain('usage: npm run manifest:validate -- <manifest.yaml…>');
    },
    SLOW,
  );

  it(
    'apikey:create refuses an expiry date in the past or not a date (exit 2)',
    async () => {
      const [past, malformed] = await Promise.all([
        runScript('apikey', ['create', '--name', 'x', '--scope', 'read', '--expires', '2020-01-01'], env()),
        runScript('apikey', ['create', '--name', 'x', '--scope', 'read', '--expires', '2027-02-30'], env()),
      ]);
      expect(past.code).toBe(2);
      expect(past.stderr).toContain('--expires: 2020-01-01 is not in the future');
      expect(malformed.code).toBe(2);
      expect(malformed.stderr).toContain('--expires: "2027-02-30" is not a date; give one as YYYY-MM-DD');
      for (const r of [past, malformed]) expect(r.stderr).not.toMatch(STACK_LINE);
      afterAllChecks();
    },
    SLOW,
  );

  it(
    'an unknown command or flag prints the usage (exit 2)',
    async () => {
      const [command, flag] = await Promise.all([
        runScript('apikey', ['frobnicate'], env()),
        runScript('manifest-load', ['--force', 'x.yaml'], env()),
      ]);
      expect(command.code).toBe(2);
      expect(command.stderr).toContain('unknown command "frobnicate"');
      expect(command.stderr).toContain('npm run apikey:create');
      expect(flag.code).toBe(2);
      expect(flag.stderr).toContain("Unknown option '--force'");
      expect(flag.stderr).toContain('usage: npm run manifest:load');
      for (const r of [command, flag]) expect(r.stderr).not.toMatch(STACK_LINE);
      afterAllChecks();
    },
    SLOW,
  );
});

describe('a Bearer credential that is not one of our keys', () => {
  it('is told the shape of our keys, without echoing what was sent', async () => {
    const api = await startTestServer();
    try {
      const body = await api.gql('{ auditEvents(organisation: "mailcamp", first: 1) { totalCount } }', undefined, {
        authorization: 'Bearer hello',
      });
      const message = body.errors?.[0]?.message ?? '';
      expect(message).toContain("not one of this API's keys");
      expect(message).toContain('pfk_');
      expect(message).not.toContain('hello');
    } finally {
      await api.close();
    }
  });
});

describe('the Node.js version', () => {
  it('is checked against package.json engines with a message that says what to install', () => {
    expect(nodeVersionProblem('20.20.2')).toBeNull();
    expect(nodeVersionProblem('22.13.0')).toBeNull();
    const problem = nodeVersionProblem('18.20.4');
    expect(problem).toContain('This is Node.js 18.20.4');
    expect(problem).toContain(SUPPORTED_NODE);
    expect(nodeVersionProblem('20.18.0')).not.toBeNull();
  });
});
