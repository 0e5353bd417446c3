// Two API processes on one PostgreSQL server, sharing one Redis, as a load
// balancer would run them: a change made through the first reaches a
// subscriber on the second and the second's next read; a key's rate limit
// holds across both; while Redis is away reads go on, writes are refused with
// a clear answer, and everything recovers by itself when Redis is back.
// Needs PostgreSQL's and Redis's server binaries (CI installs both).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../src/db/client.js';
import { applyMigrations } from '../src/db/migrate.js';
import { seedIfEmpty } from '../src/db/seed.js';
import { freePort, postgresBinaries, startCluster, type Cluster } from '../scripts/pg-cluster.js';
import { bearer } from './support/keys.js';
import { redisServerInstalled, startRedisServer, type RedisServer } from '../scripts/redis-server.js';
import { eventually as until, postGraphQL as post } from './support/http.js';
import { subscribeOverSse } from './support/sse.js';

// Every key's budget per minute; the writer key's requests in this file stay below it.
const KEY_LIMIT = 12;

interface Instance {
  base: string;
  graphql: string;
  process: ChildProcess;
  output: string[];
}

async function startInstance(env: Record<string, string>): Promise<Instance> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: { PATH: process.env.PATH, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout.on('data', (d) => output.push(String(d)));
  child.stderr.on('data', (d) => output.push(String(d)));
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) break;
    const ready = await fetch(`${base}/ready`).catch(() => null);
    if (ready?.status === 200) return { base, graphql: `${base}/graphql`, process: child, output };
    await new Promise((r) => setTimeout(r, 100));
  }
  child.kill('SIGKILL');
  throw new Error(`an instance did not become ready:\n${output.join('')}`);
}

async function readiness(instance: Instance) {
  return (await (await fetch(`${instance.base}/ready`)).json()) as { status: string; redis?: string };
}

/** Waits until Redis has a subscriber on the channel the instances use for this topic. */
async function subscribedInRedis(redisUrl: string, topic: string) {
  const client = new Redis(redisUrl);
  try {
    await until(async () => {
      const [, count] = (await client.pubsub('NUMSUB', `privacy-facts:events:${topic}`)) as [string, number];
      return count > 0;
    }, `a subscriber on ${topic}`);
  } finally {
    client.disconnect();
  }
}

const processorsQuery = `{ organisation(slug: "mailcamp") { processors(first: 100) { edges { node { name } } } } }`;
const names = (body: { data?: any }) =>
  (body.data.organisation.processors.edges as { node: { name: string } }[]).map((e) => e.node.name);
const createProcessor = (name: string) => `mutation {
  processorCreate(input: { organisation: "mailcamp", name: "${name}", role: PROCESSOR,
    service: [{ locale: "en", text: "Shared-state check" }], transferSafeguard: NOT_REQUIRED }) {
    processor { name } userErrors { code message }
  }
}`;

describe.skipIf(!postgresBinaries() || !redisServerInstalled())('two instances sharing Redis', () => {
  let cluster: Cluster;
  let redis: RedisServer;
  let a: Instance;
  let b: Instance;
  let writer: string;
  let limited: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    cluster = await startCluster();
    const db = await openDatabase({ kind: 'postgres', url: cluster.url, poolSize: 2 });
    await applyMigrations(db.sql);
    await seedIfEmpty(db.prisma);
    writer = (await bearer(db, ['write:mailcamp'])).authorization;
    limited = (await bearer(db, ['read'])).authorization;
    await db.close();
    redis = await startRedisServer();
    env = {
      DATABASE_URL: cluster.url,
      REDIS_URL: redis.url,
      SEED_ON_START: 'false',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_KEY_PER_MINUTE: String(KEY_LIMIT),
    };
    [a, b] = await Promise.all([startInstance(env), startInstance(env)]);
  }, 120_000);

  afterAll(async () => {
    for (const instance of [a, b]) instance?.process.kill('SIGTERM');
    await redis?.stop();
    cluster?.destroy();
  });

  it('shows a change made through one instance to a subscriber and a reader on the other', async () => {
    // The second instance has answered (and cached) the list before the change.
    const before = await post(b.graphql, processorsQuery);
    expect((await post(b.graphql, processorsQuery)).body).toEqual(before.body);
    expect(names(before.body)).not.toContain('Shared Mailer');

    const subscriber = await subscribeOverSse(
      b.graphql,
      `subscription { processorChanged(organisation: "mailcamp") { action processor { name } } }`,
    );
    await subscribedInRedis(redis.url, 'processorChanged:mailcamp');
    const heard = subscriber.next();
    const created = await post(a.graphql, createProcessor('Shared Mailer'), writer);
    expect(created.body.data!.processorCreate.userErrors).toEqual([]);

    await heard;
    expect(subscriber.events[0]!.data.processorChanged).toEqual({
      action: 'CREATE',
      processor: { name: 'Shared Mailer' },
    });
    expect(names((await post(b.graphql, processorsQuery)).body)).toContain('Shared Mailer');
    subscriber.close();
  });

  it('answers de, then nl, then de from the shared cache, each in its own language, on either instance', async () => {
    const noticeQuery = `{ organisation(slug: "mimecast") { notice { requestedLocale resolvedLocale isFallback } } }`;
    const ask = async (instance: Instance, language: string) => {
      const response = await fetch(instance.graphql, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json', 'accept-language': language },
        body: JSON.stringify({ query: noticeQuery }),
      });
      return ((await response.json()) as { data: any }).data.organisation.notice;
    };
    expect(await ask(a, 'de')).toMatchObject({ resolvedLocale: 'de', isFallback: false });
    // Stored in Redis by A; B answers from there.
    expect(await ask(b, 'nl')).toMatchObject({ resolvedLocale: 'nl', isFallback: false });
    expect(await ask(b, 'de')).toMatchObject({ resolvedLocale: 'de', isFallback: false });
    expect(await ask(a, 'nl')).toMatchObject({ resolvedLocale: 'nl', isFallback: false });
  });

  it('holds one key to one budget across both instances', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < KEY_LIMIT + 2; i++) {
      statuses.push((await post((i % 2 ? b : a).graphql, '{ __typename }', limited)).status);
    }
    expect(statuses.slice(0, KEY_LIMIT).every((s) => s === 200)).toBe(true);
    expect(statuses.slice(KEY_LIMIT)).toEqual([429, 429]);
  });

  it('keeps reading while Redis is away, refuses writes clearly, and recovers by itself', async () => {
    const subscriber = await subscribeOverSse(
      b.graphql,
      `subscription { processorChanged(organisation: "mailcamp") { action processor { name } } }`,
    );
    await redis.stop();
    await until(async () => (await readiness(a)).status === 'degraded', 'the first instance to report Redis away');
    expect((await readiness(a)).redis).toMatch(/^unreachable/);

    const read = await post(b.graphql, processorsQuery);
    expect(read.status).toBe(200);
    expect(names(read.body)).toContain('Shared Mailer');
    const refused = await post(a.graphql, createProcessor('During Outage'), writer);
    expect(refused.status).toBe(503);
    expect(refused.body.errors![0]!.extensions!.code).toBe('SERVICE_UNAVAILABLE');
    expect(refused.body.errors![0]!.message).toMatch(/Writes are paused.*Redis/);

    await redis.start();
    for (const instance of [a, b]) {
      await until(async () => (await readiness(instance)).status === 'ready', 'Redis to be back');
    }
    // The subscription opened before the outage is still listening.
    const heard = subscriber.next();
    const created = await post(a.graphql, createProcessor('After Outage'), writer);
    expect(created.body.data!.processorCreate.userErrors).toEqual([]);
    await heard;
    expect(subscriber.events.at(-1)!.data.processorChanged.processor.name).toBe('After Outage');
    expect(names((await post(b.graphql, processorsQuery)).body)).toContain('After Outage');
    subscriber.close();
  }, 60_000);

  it('refuses a write whose cache invalidation Redis refuses, though the connection stays up', async () => {
    const admin = new Redis(redis.url);
    try {
      const before = await post(b.graphql, processorsQuery);
      // Out of memory, Redis refuses every write command but still answers reads and pings.
      await admin.config('SET', 'maxmemory', '1');
      const refused = await post(a.graphql, createProcessor('Refused By Redis'), writer);
      expect(refused.status).toBe(503);
      expect(refused.body.errors![0]!.message).toMatch(/^Nothing was written: the shared cache did not accept/);
      await admin.config('SET', 'maxmemory', '0');
      expect((await post(b.graphql, processorsQuery)).body).toEqual(before.body);
      const accepted = await post(a.graphql, createProcessor('Accepted By Redis'), writer);
      expect(accepted.body.data!.processorCreate.userErrors).toEqual([]);
      expect(names((await post(b.graphql, processorsQuery)).body)).toContain('Accepted By Redis');
    } finally {
      await admin.config('SET', 'maxmemory', '0');
      admin.disconnect();
    }
  });

  it('stays fresh when Redis loses the cache generation (eviction, flush)', async () => {
    const admin = new Redis(redis.url);
    const generation = 'privacy-facts:cache:generation';
    try {
      await admin.del(generation);
      const before = await post(b.graphql, processorsQuery);
      expect((await post(b.graphql, processorsQuery)).body).toEqual(before.body);
      expect((await post(a.graphql, createProcessor('After Eviction'), writer)).status).toBe(200);
      // Evicted again: the answer cached before the write must not come back.
      await admin.del(generation);
      expect(names((await post(b.graphql, processorsQuery)).body)).toContain('After Eviction');
    } finally {
      admin.disconnect();
    }
  });

  it('shows both instances a manifest loaded from the command line on their next read', async () => {
    const query = `{ organisation(slug: "mailcamp") { name } }`;
    for (const instance of [a, b]) {
      expect((await post(instance.graphql, query)).body.data.organisation.name).toBe('MailCamp');
    }
    const dir = mkdtempSync(path.join(tmpdir(), 'manifest-'));
    try {
      const file = path.join(dir, 'mailcamp.yaml');
      writeFileSync(
        file,
        readFileSync('manifests/mailcamp.yaml', 'utf8').replace('name: MailCamp', 'name: MailCamp B.V.'),
      );
      await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/manifest-load.ts', file], {
        env: { PATH: process.env.PATH, ...env },
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    for (const instance of [a, b]) {
      expect((await post(instance.graphql, query)).body.data.organisation.name).toBe('MailCamp B.V.');
    }
  }, 30_000);

  it('stops promptly and cleanly on SIGTERM with a subscriber connected', async () => {
    const subscriber = await subscribeOverSse(
      b.graphql,
      `subscription { organisationChanged(organisation: "mailcamp") { action } }`,
    );
    await subscribedInRedis(redis.url, 'organisationChanged:mailcamp');
    const started = Date.now();
    const exited = new Promise<number | null>((resolve) => b.process.once('exit', (code) => resolve(code)));
    b.process.kill('SIGTERM');
    expect(await exited).toBe(0);
    // Without closing the stream the server would wait for its 10 s deadline and exit with 1.
    expect(Date.now() - started).toBeLessThan(5_000);
    subscriber.close();
  }, 15_000);
});
