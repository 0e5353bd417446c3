// The change log and webhooks on a PostgreSQL server, with real processes:
//   - concurrent writers: a reader following changes(since:) never skips an
//     event (the cursor follows commit order) and sees each once;
//   - two server instances with their workers deliver each event once per
//     webhook, in order; one killed mid-delivery loses nothing (its lease
//     expires and the other carries on; the receiver drops the repeat by id);
//   - without Redis, a command-line write reaches a running server's
//     subscribers (the server follows the log).
// Needs PostgreSQL's server binaries (CI installs them); skipped otherwise.
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse, stringify } from 'yaml';
import { Webhook as Verifier } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCursor } from '../src/changes/log.js';
import { openDatabase, type Database } from '../src/db/client.js';
import { applyMigrations } from '../src/db/migrate.js';
import { seedIfEmpty } from '../src/db/seed.js';
import { postgresBinaries, startCluster, type Cluster } from '../scripts/pg-cluster.js';
import { eventually, postGraphQL } from './support/http.js';
import { bearer } from './support/keys.js';
import { ready, runScript, spawnServer, type ServerProcess } from './support/processes.js';
import { startReceiver, type Receiver } from './support/receiver.js';
import { subscribeOverSse } from './support/sse.js';

const binaries = postgresBinaries();

describe.skipIf(!binaries)('the change feed on a PostgreSQL server (needs the PostgreSQL binaries)', () => {
  let cluster: Cluster;
  let db: Database;
  let writer: string;
  let env: Record<string, string>;
  const servers: ServerProcess[] = [];
  let receiver: Receiver;

  beforeAll(async () => {
    cluster = await startCluster();
    db = await openDatabase({ kind: 'postgres', url: cluster.url, poolSize: 12 });
    await applyMigrations(db.sql);
    await seedIfEmpty(db.prisma);
    writer = (await bearer(db, ['write:mailcamp'])).authorization;
    receiver = await startReceiver();
    env = {
      DATABASE_URL: cluster.url,
      SEED_ON_START: 'false',
      WEBHOOK_SECRETS_KEY: randomBytes(32).toString('hex'),
      WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
      WEBHOOK_POLL_MS: '100',
      WEBHOOK_TIMEOUT_MS: '2000',
      WEBHOOK_RETRY_BASE_MS: '200',
      WEBHOOK_RETRY_MAX_MS: '1000',
      CHANGE_FEED_POLL_MS: '200',
      RATE_LIMIT_KEY_PER_MINUTE: '0',
      RATE_LIMIT_PER_MINUTE: '0',
    };
  }, 120_000);

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await receiver?.close();
    await db?.close();
    cluster?.destroy();
  }, 60_000);

  it('a reader following changes(since:) during concurrent writes skips nothing and sees each change once', async () => {
    const server = await ready(await spawnServer({ ...env, WEBHOOK_WORKER: 'false' }));
    servers.push(server);
    const read = (from: string | null) =>
      `{ changes(since: ${from ? `"${from}"` : 'null'}, first: 100, types: ["Contact"]) { edges { node { cursor key } } pageInfo { endCursor hasNextPage } } }`;
    const seen: string[] = [];
    let since: string | null = null;
    // From the head: what the seed wrote is not this test's.
    for (;;) {
      const page: { pageInfo: { endCursor: string; hasNextPage: boolean } } = (
        await postGraphQL(server.graphql, read(since))
      ).body.data.changes;
      since = page.pageInfo.endCursor;
      if (!page.pageInfo.hasNextPage) break;
    }
    let stop = false;
    const follow = (async () => {
      while (!stop) {
        const answer = await postGraphQL(server.graphql, read(since));
        const page = answer.body.data.changes;
        seen.push(...page.edges.map((e: { node: { key: string } }) => e.node.key));
        since = page.pageInfo.endCursor;
        if (!page.pageInfo.hasNextPage) await new Promise((r) => setTimeout(r, 20));
      }
    })();
    // 60 contacts created by 12 concurrent writers.
    const keys = Array.from({ length: 60 }, (_, i) => `concurrent-${i}`);
    const create = (key: string) =>
      postGraphQL(
        server.graphql,
        `mutation { contactCreate(input: { organisation: "mailcamp", key: "${key}", kind: GENERAL, email: "${key}@example.org" }) { userErrors { message } } }`,
        writer,
      );
    for (let i = 0; i < keys.length; i += 12) await Promise.all(keys.slice(i, i + 12).map(create));
    await eventually(async () => seen.length >= 60, 'every change read', 30_000);
    stop = true;
    await follow;
    expect([...seen].sort()).toEqual([...keys].sort());
    expect(new Set(seen).size).toBe(seen.length);
  }, 180_000);

  it('two instances deliver each event once per webhook, in order; one killed mid-delivery loses nothing', async () => {
    const [a, b] = await Promise.all([ready(await spawnServer(env)), ready(await spawnServer(env))]);
    servers.push(a, b);
    const made = await postGraphQL(
      a.graphql,
      `mutation { webhookCreate(input: { organisation: "mailcamp", url: "${receiver.url}/two", types: ["Processor"] }) { webhook { id } secret userErrors { message } } }`,
      writer,
    );
    expect(made.body.data.webhookCreate.userErrors).toEqual([]);
    const secret = made.body.data.webhookCreate.secret as string;
    const zendesk = async () =>
      (await postGraphQL(a.graphql, `{ processors(name: "Zendesk") { nodes { id revision } } }`)).body.data.processors
        .nodes[0];
    let current = await zendesk();
    const names: string[] = [];
    for (let i = 0; i < 30; i++) {
      const name = `Two ${i}`;
      const through = i % 2 === 0 ? a : b;
      const done = await postGraphQL(
        through.graphql,
        `mutation { processorUpdate(input: { id: "${current.id}", expectedRevision: ${current.revision}, name: "${name}" }) { processor { revision } userErrors { message } } }`,
        writer,
      );
      expect(done.body.data.processorUpdate.userErrors).toEqual([]);
      current = { ...current, revision: done.body.data.processorUpdate.processor.revision };
      names.push(name);
    }
    await eventually(async () => receiver.at('/hooks/two').length >= 30, '30 deliveries', 60_000);
    await new Promise((r) => setTimeout(r, 1_500));
    const got = receiver.at('/hooks/two');
    const verifier = new Verifier(secret);
    for (const r of got) verifier.verify(r.body, r.headers as Record<string, string>);
    const ids = got.map((r) => r.headers['webhook-id'] as string);
    expect(ids).toHaveLength(30);
    expect(new Set(ids).size).toBe(30);
    expect(got.map((r) => JSON.parse(r.body).data.after.name)).toEqual(names);

    // The receiver hangs on the next event; whichever instance holds it is killed mid-request.
    receiver.answer = { status: 200, delayMs: 60_000 };
    const before = receiver.at('/hooks/two').length;
    const done = await postGraphQL(
      a.graphql,
      `mutation { processorUpdate(input: { id: "${current.id}", expectedRevision: ${current.revision}, name: "Killed" }) { userErrors { message } } }`,
      writer,
    );
    expect(done.body.data.processorUpdate.userErrors).toEqual([]);
    await eventually(async () => receiver.at('/hooks/two').length > before, 'the hanging attempt', 30_000);
    const holder = await db.prisma.webhook.findFirstOrThrow({ where: { url: `${receiver.url}/two` } });
    expect(holder.leaseOwner).not.toBeNull();
    // Which process holds it is not known to the test: kill one, and if the lease stays, the other.
    receiver.answer = { status: 204 };
    a.child.kill('SIGKILL');
    await a.exited;
    await eventually(
      async () =>
        (await db.prisma.webhookDelivery.count({ where: { webhookId: holder.id, status: 'SUCCEEDED' } })) === 31,
      'the interrupted delivery, done by the survivor (after the lease expired if the killed one held it)',
      90_000,
    );
    const last = receiver.at('/hooks/two').slice(before);
    // Once or twice (a repeat with the same id, which the receiver drops), never lost.
    expect(new Set(last.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(JSON.parse(last.at(-1)!.body).data.after.name).toBe('Killed');
    const delivered = await db.prisma.webhookDelivery.findMany({
      where: { webhookId: holder.id },
      orderBy: { position: 'asc' },
    });
    const positions = delivered.map((d) => d.position);
    expect(positions.every((p, i) => i === 0 || p > positions[i - 1]!)).toBe(true);
    expect(decodeCursor(ids[0]!)).toBe(positions[0]);
  }, 240_000);

  it('a command-line write reaches a running server’s subscribers without Redis', async () => {
    const server = servers.find((s) => s.child.exitCode === null && s.child.signalCode === null)!;
    const sub = await subscribeOverSse(
      server.graphql,
      `subscription { processorChanged(organisation: "mailcamp") { action changedFields cursor } }`,
    );
    const dir = await mkdtemp(path.join(tmpdir(), 'privacy-facts-cli-'));
    try {
      const manifest = parse(await readFile(new URL('../manifests/mailcamp.yaml', import.meta.url), 'utf8'));
      manifest.processors[0].certifications = ['ISO 27001', 'Changed on the command line'];
      const file = path.join(dir, 'mailcamp.yaml');
      await writeFile(file, stringify(manifest));
      const cached = `{ organisation(slug: "mailcamp") { processors(first: 100) { nodes { certifications } } } }`;
      const seen = async () => JSON.stringify((await postGraphQL(server.graphql, cached)).body);
      expect(await seen()).toBe(await seen());
      const run = await runScript('manifest-load', [file], { DATABASE_URL: cluster.url });
      expect(run.code, run.stderr).toBe(0);
      // The server's cache starts a new generation when it finds the change in the log.
      await eventually(async () => (await seen()).includes('Changed on the command line'), 'a fresh answer', 30_000);
      await eventually(async () => sub.events.length >= 1, 'the command line’s change', 30_000);
      await eventually(
        async () => sub.events.some((e) => e.data.processorChanged.changedFields.includes('certifications')),
        'the certification change',
        30_000,
      );
      expect(sub.ids).toEqual(sub.events.map((e) => e.data.processorChanged.cursor));
    } finally {
      sub.close();
      await rm(dir, { recursive: true, force: true });
    }
  }, 180_000);
});
