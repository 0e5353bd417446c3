// Read replicas on a real streaming replica: read-only operations are served
// by the replica (with its replay paused, a fresh write is not visible to a
// read yet), while a mutation and the reads of its payload use the primary;
// when the replica stops, reads go to the primary and readiness says so, and
// the replica is used again once it answers. A replica that falls too far
// behind is left out the same way.
// Needs PostgreSQL's server binaries (CI installs them).
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, createHttpServer } from '../src/app.js';
import { openDatabase, type Database } from '../src/db/client.js';
import { applyMigrations } from '../src/db/migrate.js';
import { lagOf, openReadReplicas, parseLsn, type ReadReplicas } from '../src/db/replicas.js';
import { seedIfEmpty } from '../src/db/seed.js';
import { postgresBinaries, startCluster, startReplica, type Cluster } from '../scripts/pg-cluster.js';
import { bearer } from './support/keys.js';
import { eventually as until, postGraphQL } from './support/http.js';
import { subscribeOverSse } from './support/sse.js';

describe('replica lag', () => {
  it('orders WAL positions across the high word', () => {
    expect(parseLsn('1/0') > parseLsn('0/FFFFFFFF')).toBe(true);
    expect(parseLsn('16/B374D848')).toBe((0x16n << 32n) + 0xb374d848n);
  });

  it('is the age of the newest primary position the replica has replayed', () => {
    const samples = [
      { at: 1_000, lsn: 10n },
      { at: 2_000, lsn: 20n },
      { at: 3_000, lsn: 30n },
    ];
    expect(lagOf(30n, samples, 3_500)).toBe(0);
    expect(lagOf(25n, samples, 3_500)).toBe(1_500);
    expect(lagOf(10n, samples, 3_500)).toBe(2_500);
    expect(lagOf(5n, samples, 3_500)).toBeNull();
  });
});

describe.skipIf(!postgresBinaries())('read replicas', () => {
  let primaryCluster: Cluster;
  let replicaCluster: Cluster;
  let primary: Database;
  let standby: Database;
  let replicas: ReadReplicas;
  let server: ReturnType<typeof createHttpServer>;
  let base: string;
  let writer: string;

  beforeAll(async () => {
    primaryCluster = await startCluster();
    primary = await openDatabase({ kind: 'postgres', url: primaryCluster.url, poolSize: 4 });
    await applyMigrations(primary.sql);
    await seedIfEmpty(primary.prisma);
    writer = (await bearer(primary, ['write:mailcamp'])).authorization;
    replicaCluster = await startReplica(primaryCluster);
    // A direct line to the standby, to pause and resume its replay.
    standby = await openDatabase({ kind: 'postgres', url: replicaCluster.url, poolSize: 1, onIdleError: () => {} });
    const logger = pino({ level: 'silent' });
    replicas = await openReadReplicas(primary, [replicaCluster.url], { logger, maxLagMs: 2_000, checkEveryMs: 200 });
    const app = createApp({
      db: primary,
      replicas,
      logger,
      settings: { responseCache: { enabled: false, ttlSeconds: 1 } },
    });
    server = createHttpServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 120_000);

  afterAll(async () => {
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    await replicas?.close();
    await standby?.close().catch(() => undefined);
    await primary?.close();
    replicaCluster?.destroy();
    primaryCluster?.destroy();
  });

  const post = (query: string, authorization?: string) => postGraphQL(`${base}/graphql`, query, authorization);
  const processorCount = async () =>
    (await post(`{ organisation(slug: "mailcamp") { processors { totalCount } } }`)).body.data.organisation.processors
      .totalCount as number;
  const ready = async () => (await (await fetch(`${base}/ready`)).json()) as { status: string; replicas: any[] };

  const create = (name: string) =>
    post(
      `mutation { processorCreate(input: { organisation: "mailcamp", name: "${name}", role: PROCESSOR,
        service: [{ locale: "en", text: "x" }], transferSafeguard: NOT_REQUIRED }) {
        processor { name organisation { processors { totalCount } } } userErrors { code } } }`,
      writer,
    );

  /** With the replica's replay paused, writes through the API; returns what a read saw meanwhile. */
  async function whilePaused(name: string) {
    const before = await processorCount();
    await standby.sql.query('SELECT pg_wal_replay_pause()');
    const created = await create(name);
    const seen = await processorCount();
    await standby.sql.query('SELECT pg_wal_replay_resume()');
    await until(async () => (await processorCount()) === before + 1, 'the replica to catch up');
    return { before, seen, created: created.body.data.processorCreate };
  }

  it('reads from the replica, and a mutation’s payload from the primary', async () => {
    const { before, seen, created } = await whilePaused('Replica Check');
    expect(created.userErrors).toEqual([]);
    // The payload's nested read ran after the transaction, on the primary.
    expect(created.processor.organisation.processors.totalCount).toBe(before + 1);
    // A plain read was served by the paused replica: the write was not there yet.
    expect(seen).toBe(before);
  });

  it('resolves a change notification on the primary, so it finds what it announces', async () => {
    const subscriber = await subscribeOverSse(
      `${base}/graphql`,
      `subscription { processorChanged(organisation: "mailcamp") { action processor { name } } }`,
    );
    await new Promise((r) => setTimeout(r, 200));
    const heard = subscriber.next();
    await standby.sql.query('SELECT pg_wal_replay_pause()');
    try {
      expect((await create('Announced')).body.data.processorCreate.userErrors).toEqual([]);
      await heard;
      expect(subscriber.events[0].data.processorChanged).toEqual({
        action: 'CREATE',
        processor: { name: 'Announced' },
      });
    } finally {
      subscriber.close();
      await standby.sql.query('SELECT pg_wal_replay_resume()');
    }
  });

  it('reads from the primary while the replica is down, and from the replica once it is back', async () => {
    await standby.close();
    replicaCluster.stop();
    await until(async () => (await ready()).status === 'degraded', 'readiness to report the replica');
    expect((await ready()).replicas[0].state).toMatch(/^unreachable/);
    // Reads still answer, and from the primary: a write is visible at once.
    const before = await processorCount();
    expect((await create('While Replica Down')).body.data.processorCreate.userErrors).toEqual([]);
    expect(await processorCount()).toBe(before + 1);

    replicaCluster.start();
    await until(async () => (await ready()).status === 'ready', 'the replica to answer again');
    standby = await openDatabase({ kind: 'postgres', url: replicaCluster.url, poolSize: 1, onIdleError: () => {} });
    const paused = await whilePaused('Replica Back');
    expect(paused.seen).toBe(paused.before);
  }, 60_000);

  it('leaves out a replica that falls behind, and uses it again once it catches up', async () => {
    const before = await processorCount();
    await standby.sql.query('SELECT pg_wal_replay_pause()');
    try {
      expect((await create('Behind')).body.data.processorCreate.userErrors).toEqual([]);
      await until(async () => (await ready()).status === 'degraded', 'readiness to report the lag');
      expect((await ready()).replicas[0].state).toMatch(/^lagging/);
      // The primary answers meanwhile, so the write is visible.
      expect(await processorCount()).toBe(before + 1);
    } finally {
      await standby.sql.query('SELECT pg_wal_replay_resume()');
    }
    await until(async () => (await ready()).status === 'ready', 'the replica to catch up');
  }, 30_000);
});
