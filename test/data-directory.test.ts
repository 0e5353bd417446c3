// The embedded database has one owner. A running server holds its data
// directory: the command-line scripts run their commands through it (a key
// created or revoked takes effect on its next request, a loaded manifest is in
// its next answer), a second server is refused at once, and nothing is lost
// when the server stops and starts again. Real processes over real HTTP, with
// generous timeouts: this runs on busy 2-core machines.
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, postGraphQL } from './support/http.js';
import { subscribeOverSse } from './support/sse.js';
import { ready, root, runScript, spawnServer, STACK_LINE, type ServerProcess } from './support/processes.js';

const SLOW = 180_000;
const acme = path.join(root, 'test/fixtures/acme.yaml');

const processorCreate = (name: string) => `mutation {
  processorCreate(input: { organisation: "mailcamp", name: "${name}", role: PROCESSOR,
    service: [{ locale: "en", text: "Lock check" }], transferSafeguard: NOT_REQUIRED }) {
    processor { name } userErrors { code message }
  }
}`;
const processorNames = `{ organisation(slug: "mailcamp") { processors(first: 100) { nodes { name } } } }`;

describe('one owner per data directory', () => {
  let dir: string;
  let env: Record<string, string>;
  let server: ServerProcess;
  let key: string;
  let prefix: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'privacy-facts-owner-'));
    env = { DATA_DIR: path.join(dir, 'data'), DATABASE_URL: '' };
    server = await ready(await spawnServer(env));
  }, SLOW);

  afterAll(async () => {
    await server?.stop();
    await rm(dir, { recursive: true, force: true });
  }, SLOW);

  it(
    'runs apikey:create through the running server: the key works on its next request',
    async () => {
      const created = await runScript(
        'apikey',
        ['create', '--name', 'beside the server', '--scope', 'write:mailcamp'],
        env,
      );
      expect(created.code, created.stderr).toBe(0);
      expect(created.stderr).toContain(`pid ${server.child.pid}`);
      key = created.stdout.trim().split('\n').at(-1)!;
      prefix = key.split('_').slice(0, 2).join('_');
      const written = await postGraphQL(server.graphql, processorCreate('Written Before Revoking'), `Bearer ${key}`);
      expect(written.body.data.processorCreate).toEqual({
        processor: { name: 'Written Before Revoking' },
        userErrors: [],
      });
    },
    SLOW,
  );

  it(
    'runs apikey:revoke through the running server: the key is refused on its next request',
    async () => {
      const revoked = await runScript('apikey', ['revoke', prefix], env);
      expect(revoked.code, revoked.stderr).toBe(0);
      expect(revoked.stdout).toContain(`revoked key ${prefix}`);
      const refused = await postGraphQL(server.graphql, processorCreate('Written After Revoking'), `Bearer ${key}`);
      expect(refused.body.data.processorCreate.userErrors[0]).toMatchObject({
        code: 'FORBIDDEN',
        message: expect.stringContaining('revoked'),
      });
    },
    SLOW,
  );

  it(
    'refuses a second server on the same data directory within seconds, naming the directory and the holder',
    async () => {
      const second = await spawnServer(env);
      const finished = await second.exited;
      expect(finished.code).not.toBe(0);
      expect(finished.code).not.toBeNull();
      expect(finished.stderr).toContain(env.DATA_DIR);
      expect(finished.stderr).toContain(`pid ${server.child.pid}`);
      expect(finished.stderr).toContain(`port ${server.port}`);
      expect(finished.stderr).not.toMatch(STACK_LINE);
      // Starting Node and loading the code takes most of this; the refusal itself is immediate.
      expect(finished.ms).toBeLessThan(60_000);
      // The first server is unharmed.
      expect((await postGraphQL(server.graphql, '{ __typename }')).status).toBe(200);
    },
    SLOW,
  );

  it(
    'runs manifest:load through the running server: its next answer, cached or not, has the new organisation',
    async () => {
      const query = '{ organisation(slug: "acme") { name } }';
      // Asked (and cached) before the load.
      expect((await postGraphQL(server.graphql, query)).body.data.organisation).toBeNull();
      const dry = await runScript('manifest-load', ['--dry-run', acme], env);
      expect(dry.code, dry.stderr).toBe(0);
      expect(dry.stdout).toMatch(/acme\.yaml: would change \d+/);
      expect((await postGraphQL(server.graphql, query)).body.data.organisation).toBeNull();
      const loaded = await runScript('manifest-load', [acme], env);
      expect(loaded.code, loaded.stderr).toBe(0);
      expect(loaded.stdout).toMatch(/acme\.yaml: changed \d+/);
      expect((await postGraphQL(server.graphql, query)).body.data.organisation).toEqual({ name: expect.any(String) });
    },
    SLOW,
  );

  it(
    'a manifest renaming a processor, loaded from the command line, is one audited change announced to subscribers',
    async () => {
      const events = await subscribeOverSse(
        server.graphql,
        `subscription { processorChanged(organisation: "mailcamp") { action changedFields processor { name } } }`,
      );
      try {
        const renamed = path.join(dir, 'mailcamp.yaml');
        const source = await readFile(path.join(root, 'manifests/mailcamp.yaml'), 'utf8');
        await writeFile(renamed, source.replace('name: Zendesk\n', 'name: Zendesk (renamed on the command line)\n'));
        const loaded = await runScript('manifest-load', [renamed], env);
        expect(loaded.code, loaded.stderr).toBe(0);
        expect(loaded.stdout).toContain('UPDATE Processor zendesk (name)');
        // The manifest also retires the processor an earlier test wrote: one event for each change.
        const rename = {
          action: 'UPDATE',
          changedFields: ['name'],
          processor: { name: 'Zendesk (renamed on the command line)' },
        };
        const seen = () => events.events.map((e) => e.data.processorChanged);
        await eventually(async () => seen().some((e) => e.action === 'UPDATE'), 'the processorChanged event', 60_000);
        expect(seen().filter((e) => e.processor?.name?.startsWith('Zendesk'))).toEqual([rename]);
      } finally {
        events.close();
      }
      const admin = await runScript('apikey', ['create', '--name', 'auditor', '--scope', 'admin'], env);
      const history = await postGraphQL(
        server.graphql,
        `{ processors(name: "renamed on the command line") { nodes { history { nodes { action changedFields before after actor { label } } } } } }`,
        `Bearer ${admin.stdout.trim().split('\n').at(-1)}`,
      );
      const [event, ...older] = history.body.data.processors.nodes[0].history.nodes;
      expect(event).toMatchObject({
        action: 'UPDATE',
        changedFields: ['name'],
        before: { name: 'Zendesk' },
        after: { name: 'Zendesk (renamed on the command line)' },
        actor: { label: expect.stringMatching(/^command line \(/) },
      });
      expect(older.map((e: { action: string }) => e.action)).toEqual(['CREATE']);
    },
    SLOW,
  );

  it(
    'runs notice:import through the running server, as an audited command-line change',
    async () => {
      const document = path.join(dir, 'notice.md');
      await writeFile(
        document,
        '# Privacy notice\n\n## Who we are\n\nMailCamp sends newsletters.\n\n## Your rights\n\nAsk us anything.\n',
      );
      const imported = await runScript(
        'notice-import',
        ['--organisation', 'mailcamp', '--locale', 'en', '--version', '9.9', '--effective', '2031-01-01', document],
        env,
      );
      expect(imported.code, imported.stderr).toBe(0);
      expect(imported.stderr).toContain(`pid ${server.child.pid}`);
      expect(imported.stdout).toContain('- Who we are  #who-we-are');
      expect(imported.stdout).toContain('saved as draft version 9.9 (en)');
    },
    SLOW,
  );

  it(
    'keeps everything across a restart: the acknowledged write, the created key, and its revocation',
    async () => {
      const stopped = await server.stop();
      expect(stopped.code).toBe(0);
      // The server gave the directory back: no holder is recorded any more.
      await expect(stat(path.join(env.DATA_DIR!, 'owner.json'))).rejects.toThrow();
      server = await ready(await spawnServer(env));

      const names = (await postGraphQL(server.graphql, processorNames)).body.data.organisation.processors.nodes;
      expect(names).toContainEqual({ name: 'Written Before Revoking' });
      expect(names).not.toContainEqual({ name: 'Written After Revoking' });
      const refused = await postGraphQL(server.graphql, processorCreate('Written After Restart'), `Bearer ${key}`);
      expect(refused.body.data.processorCreate.userErrors[0].message).toContain('revoked');

      const listed = await runScript('apikey', ['list'], env);
      expect(listed.code, listed.stderr).toBe(0);
      expect(listed.stdout).toContain(`${prefix}\trevoked\tbeside the server`);
    },
    SLOW,
  );

  it(
    'runs db:seed through the (restarted) running server',
    async () => {
      const seeded = await runScript('db-seed', [], env);
      expect(seeded.code, seeded.stderr).toBe(0);
      expect(seeded.stderr).toContain(`pid ${server.child.pid}`);
      // One line per seed file (the reference data, then each organisation); MailCamp's retires the
      // processor written above, the others change nothing.
      expect(seeded.stdout).toMatch(/mimecast\.yaml: 0 changes/);
      expect(seeded.stdout).toMatch(/supervisory-authorities\.yaml: 0 changes/);
      expect(seeded.stdout.match(/\.yaml: \d+ changes/g)).toHaveLength(4);
    },
    SLOW,
  );
  it(
    'after the server is killed (SIGKILL), a command takes the directory over within seconds and finds every write',
    async () => {
      server.child.kill('SIGKILL');
      await server.exited;
      const listed = await runScript('apikey', ['list'], env);
      expect(listed.code, listed.stderr).toBe(0);
      // It ran here, not in a server, once the dead server's lock had gone unrefreshed for a few seconds.
      expect(listed.stderr).not.toContain('ran in the server');
      expect(listed.stdout).toContain(`${prefix}\trevoked\tbeside the server`);
      expect(listed.ms).toBeLessThan(90_000);
    },
    SLOW,
  );
});
