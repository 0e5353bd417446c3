// A database outage: with the PostgreSQL server stopped mid-run, requests fail
// fast with a clear 503 and readiness says why; once it is back, the API
// answers again by itself, without a restart.
import pino from 'pino';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createApp, createHttpServer } from '../src/app.js';
import { openDatabase, type Database } from '../src/db/client.js';
import { applyMigrations } from '../src/db/migrate.js';
import { seedIfEmpty } from '../src/db/seed.js';
import { postgresBinaries, startCluster } from '../scripts/pg-cluster.js';

const bin = postgresBinaries();
let cluster: Awaited<ReturnType<typeof startCluster>>;
let db: Database;
let server: ReturnType<typeof createHttpServer>;
let base: string;

beforeAll(async () => {
  if (!bin) return;
  cluster = await startCluster();
  db = await openDatabase({ kind: 'postgres', url: cluster.url, poolSize: 4, onIdleError: () => undefined });
  await applyMigrations(db.sql);
  await seedIfEmpty(db.prisma);
  const app = createApp({
    db,
    logger: pino({ level: 'silent' }),
    settings: { responseCache: { enabled: false, ttlSeconds: 1 } },
  });
  server = createHttpServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
}, 120_000);

afterAll(async () => {
  if (!bin) return;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await db.close().catch(() => undefined);
  cluster.destroy();
});

const query = () =>
  fetch(`${base}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ query: '{ organisation(slug: "mailcamp") { name } }' }),
  });

it.skipIf(!bin)('answers 503 while the database is down and recovers by itself', { timeout: 120_000 }, async () => {
  expect(await (await query()).json()).toEqual({ data: { organisation: { name: 'MailCamp' } } });

  cluster.stop();
  const started = Date.now();
  const down = await query();
  expect(Date.now() - started).toBeLessThan(8_000);
  expect(down.status).toBe(503);
  expect(down.headers.get('retry-after')).toBe('5');
  const body = await down.json();
  expect(body.errors[0]).toMatchObject({
    message: 'The database is unavailable; try again shortly.',
    extensions: { code: 'DATABASE_UNAVAILABLE' },
  });
  const ready = await fetch(`${base}/ready`);
  expect(ready.status).toBe(503);
  expect((await ready.json()).database).toMatch(/^unreachable/);
  expect((await fetch(`${base}/health`)).status).toBe(200);

  cluster.start();
  let recovered = false;
  for (let i = 0; i < 30 && !recovered; i++) {
    const response = await query();
    recovered = response.status === 200 && (await response.json()).data?.organisation?.name === 'MailCamp';
    if (!recovered) await new Promise((r) => setTimeout(r, 500));
  }
  expect(recovered).toBe(true);
  expect((await fetch(`${base}/ready`)).status).toBe(200);
});
