// A bounded soak test on loopback: npm run soak [-- --seconds N] [--workers N] [--keep]
//
// Starts the API as its own process (node --import tsx src/server.ts) on a free
// loopback port against a fresh embedded database in a temporary directory, then
// lets concurrent workers mix public reads (the frontend's notice query, processor
// lists) with keyed writes (processorCreate, processorUpdate with expectedRevision,
// contactCreate) for the given time, sampling the server's RSS every 5 s. Every
// acknowledged write (no user errors) is recorded with its id and values; at the
// end each is read back through the API. Exits non-zero when an acknowledged write
// is missing or differs, when memory grew by more than 50% from the first third of
// the run to the last, or when the server failed (never ready, died, no write went
// through). The server is stopped with SIGTERM at the end, also on failure.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, promisify } from 'node:util';
import { createApiKey } from '../src/auth/store.js';
import { openDatabase } from '../src/db/client.js';
import { applyMigrations } from '../src/db/migrate.js';
import { seedIfEmpty } from '../src/db/seed.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RSS_INTERVAL_MS = 5_000;
const MAX_MEMORY_GROWTH = 0.5;

const { values: options } = parseArgs({
  options: {
    seconds: { type: 'string', default: '180' },
    workers: { type: 'string', default: '8' },
    keep: { type: 'boolean', default: false },
  },
});
const seconds = Number(options.seconds);
const workerCount = Number(options.workers);
if (!Number.isFinite(seconds) || seconds <= 0 || !Number.isInteger(workerCount) || workerCount < 1) {
  console.error('usage: npm run soak -- [--seconds N] [--workers N] [--keep]');
  process.exit(2);
}

// ---- The server ----------------------------------------------------------------

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

/** Migrates and seeds the embedded database and makes a write:* key, before the server holds it. */
async function prepare(dataDir: string): Promise<string> {
  const db = await openDatabase({ kind: 'pglite', dataDir });
  try {
    await applyMigrations(db.sql);
    await seedIfEmpty(db.prisma);
    const created = await createApiKey(db.prisma, { label: 'soak test', scopes: ['write:*'] });
    return created.key;
  } finally {
    await db.close();
  }
}

interface Server {
  child: ChildProcess;
  url: string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  isRunning(): boolean;
  lastLines: string[];
}

function startServer(dataDir: string, port: number): Server {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '0',
    RATE_LIMIT_KEY_PER_MINUTE: '0',
  };
  delete env.DATABASE_URL; // always the fresh embedded database
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lastLines: string[] = [];
  const forward = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (!line.trim()) continue;
      lastLines.push(line);
      if (lastLines.length > 50) lastLines.shift();
      process.stderr.write(`[server] ${line}\n`);
    }
  };
  child.stdout?.on('data', forward);
  child.stderr?.on('data', forward);
  let running = true;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => {
      running = false;
      resolve({ code, signal });
    });
  });
  return { child, url: `http://127.0.0.1:${port}/graphql`, exited, isRunning: () => running, lastLines };
}

async function waitUntilReady(server: Server, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!server.isRunning()) throw new Error('the server exited before it was ready');
    try {
      const response = await fetch(server.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
        signal: AbortSignal.timeout(2_000),
      });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`the server was not ready within ${timeoutMs / 1000} s`);
}

async function stopServer(server: Server): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (server.isRunning()) server.child.kill('SIGTERM');
  const timer = setTimeout(() => {
    if (server.isRunning()) {
      console.error('the server did not stop within 20 s of SIGTERM; killing it');
      server.child.kill('SIGKILL');
    }
  }, 20_000);
  const result = await server.exited;
  clearTimeout(timer);
  return result;
}

const execFileAsync = promisify(execFile);

async function rssKilobytes(pid: number): Promise<number | null> {
  try {
    const { stdout } = await execFileAsync('ps', ['-o', 'rss=', '-p', String(pid)]);
    const kb = Number(stdout.trim());
    return Number.isFinite(kb) && kb > 0 ? kb : null;
  } catch {
    return null;
  }
}

// ---- The load ------------------------------------------------------------------

interface GqlBody {
  data?: Record<string, unknown> | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

interface UserError {
  code: string;
  message: string;
  currentRevision?: number | null;
}

interface ExpectedProcessor {
  kind: 'processor';
  id: string;
  revision: number;
  name: string;
  headquartersCountry: string;
  certifications: string[];
  dataLocations: string[];
  service: string;
}

interface ExpectedContact {
  kind: 'contact';
  id: string;
  name: string;
  email: string;
  contactKind: string;
}

const stats = {
  requests: 0,
  reads: 0,
  writes: 0,
  acknowledged: { processorCreate: 0, processorUpdate: 0, contactCreate: 0 },
  conflicts: 0,
  userErrors: new Map<string, number>(),
  httpErrors: new Map<string, number>(),
  graphqlErrors: new Map<string, number>(),
  latencies: [] as number[],
};

const processors = new Map<string, ExpectedProcessor>();
/** The highest revision any answer mentioned, to base the next update on. */
const latestRevision = new Map<string, number>();
/** Processors an update was sent to whose outcome is unknown (network error, 5xx). */
const uncertain = new Set<string>();
const contacts = new Map<string, ExpectedContact>();

function bump(map: Map<string, number>, key: string) {
  map.set(key, (map.get(key) ?? 0) + 1);
}

class RequestFailed extends Error {}

/** Counts the failure under its reason and returns the error to throw. */
function failed(map: Map<string, number>, reason: string): RequestFailed {
  bump(map, reason);
  return new RequestFailed(reason);
}

async function gql(
  url: string,
  query: string,
  variables: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<GqlBody> {
  stats.requests++;
  const started = performance.now();
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
      signal: AbortSignal.timeout(30_000),
    });
  } catch (error) {
    throw failed(stats.httpErrors, `network: ${(error as Error).name}: ${(error as Error).message}`);
  }
  const text = await response.text();
  stats.latencies.push(performance.now() - started);
  let body: GqlBody;
  try {
    body = JSON.parse(text) as GqlBody;
  } catch {
    throw failed(stats.httpErrors, `HTTP ${response.status}, not JSON: ${text.slice(0, 80)}`);
  }
  if (!response.ok) {
    throw failed(stats.httpErrors, `HTTP ${response.status}: ${body.errors?.[0]?.message ?? text.slice(0, 80)}`);
  }
  if (body.errors?.length) {
    for (const error of body.errors.slice(1)) bump(stats.graphqlErrors, error.message);
    throw failed(stats.graphqlErrors, body.errors[0]!.message);
  }
  return body;
}

const SLUGS = ['mailcamp', 'mimecast', 'mamoru'];
const LOCALES = ['nl', 'en', 'de', 'de-AT', 'fr'];
const COUNTRIES = ['NL', 'DE', 'IE', 'FR', 'BE', 'SE'];
const CONTACT_KINDS = ['DPO', 'PRIVACY', 'GENERAL', 'LEGAL', 'SECURITY_OFFICER', 'DATA_SUBJECT_REQUESTS'];

const pick = <T>(list: readonly T[]): T => list[Math.floor(Math.random() * list.length)]!;

const NOTICE_QUERY = `query($slug: String!, $locale: Locale) {
  organisation(slug: $slug, locale: $locale) {
    notice { requestedLocale resolvedLocale isFallback version effectiveDate title sections { anchor heading level body } }
  }
}`;
const PROCESSORS_QUERY = `query($name: String) {
  processors(name: $name, first: 50) { totalCount edges { node { id name revision status organisation { slug } } } }
}`;
const ORGANISATION_PROCESSORS_QUERY = `query($slug: String!) {
  organisation(slug: $slug) { processors(first: 50) { totalCount edges { node { id name dataLocations service } } } }
}`;
const PROCESSOR_FIELDS = `id name revision headquartersCountry certifications dataLocations service(locale: "en")`;
const PROCESSOR_CREATE = `mutation($input: ProcessorCreateInput!) {
  processorCreate(input: $input) { processor { ${PROCESSOR_FIELDS} } userErrors { code message currentRevision } }
}`;
const PROCESSOR_UPDATE = `mutation($input: ProcessorUpdateInput!) {
  processorUpdate(input: $input) { processor { ${PROCESSOR_FIELDS} } userErrors { code message currentRevision } }
}`;
const CONTACT_CREATE = `mutation($input: ContactCreateInput!) {
  contactCreate(input: $input) { contact { id name email kind } userErrors { code message } }
}`;

interface ProcessorAnswer {
  id: string;
  name: string;
  revision: number;
  headquartersCountry: string;
  certifications: string[];
  dataLocations: string[];
  service: string;
}

function payloadOf(body: GqlBody, field: string): { userErrors: UserError[]; [key: string]: unknown } {
  return (body.data?.[field] ?? { userErrors: [{ code: 'NO_PAYLOAD', message: 'no payload' }] }) as never;
}

function recordUserErrors(errors: UserError[]) {
  for (const error of errors) {
    if (error.code === 'CONFLICT') stats.conflicts++;
    else bump(stats.userErrors, `${error.code}: ${error.message}`);
  }
}

function rememberProcessor(p: ProcessorAnswer) {
  latestRevision.set(p.id, Math.max(latestRevision.get(p.id) ?? 0, p.revision));
  const known = processors.get(p.id);
  // Answers may arrive out of order: the highest acknowledged revision is the truth.
  if (known && known.revision >= p.revision) return;
  processors.set(p.id, {
    kind: 'processor',
    id: p.id,
    revision: p.revision,
    name: p.name,
    headquartersCountry: p.headquartersCountry,
    certifications: p.certifications,
    dataLocations: p.dataLocations,
    service: p.service,
  });
}

async function worker(index: number, url: string, auth: Record<string, string>, keepGoing: () => boolean) {
  let n = 0;
  while (keepGoing()) {
    n++;
    const roll = Math.random();
    try {
      if (roll < 0.35) {
        stats.reads++;
        await gql(url, NOTICE_QUERY, { slug: pick(SLUGS), locale: pick(LOCALES) });
      } else if (roll < 0.5) {
        stats.reads++;
        await gql(url, PROCESSORS_QUERY, { name: pick(['Soak', 'zendesk', 'a', 'soak 3']) });
      } else if (roll < 0.6) {
        stats.reads++;
        await gql(url, ORGANISATION_PROCESSORS_QUERY, { slug: pick(SLUGS) });
      } else if (roll < 0.75 || processors.size === 0) {
        stats.writes++;
        const country = pick(COUNTRIES);
        const input = {
          organisation: pick(SLUGS),
          name: `Soak ${index}-${n} ${Math.random().toString(36).slice(2, 8)}`,
          role: pick(['PROCESSOR', 'SUB_PROCESSOR']),
          service: [
            { locale: 'nl', text: `Soakdienst ${index}-${n}` },
            { locale: 'en', text: `Soak service ${index}-${n}` },
          ],
          headquartersCountry: country,
          dataLocations: [{ country }],
          certifications: [`ISO ${27000 + n}`],
          transferSafeguard: 'NOT_REQUIRED',
          agreementInPlace: true,
        };
        const payload = payloadOf(await gql(url, PROCESSOR_CREATE, { input }, auth), 'processorCreate');
        if (payload.userErrors.length > 0) recordUserErrors(payload.userErrors);
        else {
          const p = payload.processor as ProcessorAnswer;
          check(p.name === input.name && p.headquartersCountry === country, 'processorCreate answered other values');
          stats.acknowledged.processorCreate++;
          rememberProcessor(p);
        }
      } else if (roll < 0.9) {
        stats.writes++;
        // Half the updates go to a few hot processors, so concurrent updates collide.
        const ids = [...processors.keys()];
        const target = Math.random() < 0.5 ? pick(ids.slice(0, 4)) : pick(ids);
        const revision = latestRevision.get(target) ?? 1;
        const country = pick(COUNTRIES);
        const name = `Soak ${index}-${n} update r${revision + 1} ${Math.random().toString(36).slice(2, 6)}`;
        const input = {
          id: target,
          expectedRevision: revision,
          name,
          headquartersCountry: country,
          dataLocations: [{ country }, { country: 'NL' }],
          certifications: [`ISO ${27000 + n}`, `SOC ${index}`],
        };
        let body: GqlBody;
        try {
          body = await gql(url, PROCESSOR_UPDATE, { input }, auth);
        } catch (error) {
          uncertain.add(target);
          throw error;
        }
        const payload = payloadOf(body, 'processorUpdate');
        if (payload.userErrors.length > 0) {
          recordUserErrors(payload.userErrors);
          const current = payload.userErrors[0]?.currentRevision;
          if (typeof current === 'number') {
            latestRevision.set(target, Math.max(latestRevision.get(target) ?? 0, current));
          }
        } else {
          const p = payload.processor as ProcessorAnswer;
          check(p.name === name && p.revision === revision + 1, 'processorUpdate answered other values');
          stats.acknowledged.processorUpdate++;
          rememberProcessor(p);
        }
      } else {
        stats.writes++;
        const input = {
          organisation: pick(SLUGS),
          kind: pick(CONTACT_KINDS),
          name: `Soak contact ${index}-${n}`,
          email: `soak-${index}-${n}-${Math.random().toString(36).slice(2, 8)}@example.org`,
        };
        const payload = payloadOf(await gql(url, CONTACT_CREATE, { input }, auth), 'contactCreate');
        if (payload.userErrors.length > 0) recordUserErrors(payload.userErrors);
        else {
          const c = payload.contact as { id: string; name: string; email: string; kind: string };
          check(c.email === input.email && c.kind === input.kind, 'contactCreate answered other values');
          stats.acknowledged.contactCreate++;
          contacts.set(c.id, {
            kind: 'contact',
            id: c.id,
            name: input.name,
            email: input.email,
            contactKind: input.kind,
          });
        }
      }
    } catch (error) {
      if (!(error instanceof RequestFailed)) throw error;
    }
  }
}

const problems: string[] = [];
function check(ok: boolean, problem: string) {
  if (!ok) problems.push(problem);
}

// ---- Verification ---------------------------------------------------------------

const VERIFY_QUERY = `query($ids: [ID!]!) {
  nodes(ids: $ids) {
    __typename
    ... on Processor { ${PROCESSOR_FIELDS} }
    ... on Contact { id contactName: name email kind }
  }
}`;

type Found = Record<string, unknown> | null;

async function readBack(url: string, ids: string[], headers: Record<string, string>): Promise<Map<string, Found>> {
  const found = new Map<string, Found>();
  for (let i = 0; i < ids.length; i += 50) {
    const chunk = ids.slice(i, i + 50);
    let body: GqlBody;
    try {
      body = await gql(url, VERIFY_QUERY, { ids: chunk }, headers);
    } catch (error) {
      throw new Error(`reading back acknowledged writes failed: ${(error as Error).message}`, { cause: error });
    }
    const nodes = (body.data?.nodes ?? []) as Found[];
    chunk.forEach((id, j) => found.set(id, nodes[j] ?? null));
  }
  return found;
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** What is wrong with the stored object, or null when it matches the acknowledged write. */
function difference(expected: ExpectedProcessor | ExpectedContact, node: Found): string | null {
  if (!node) return 'missing';
  if (expected.kind === 'contact') {
    const wanted = { name: expected.name, email: expected.email, kind: expected.contactKind };
    const got = { name: node.contactName, email: node.email, kind: node.kind };
    return same(wanted, got) ? null : `expected ${JSON.stringify(wanted)}, found ${JSON.stringify(got)}`;
  }
  const revision = node.revision as number;
  if (revision < expected.revision) return `revision ${revision} is older than the acknowledged ${expected.revision}`;
  if (revision > expected.revision) {
    return uncertain.has(expected.id)
      ? null // an update whose answer was lost may have been applied
      : `revision ${revision} is newer than any acknowledged write (${expected.revision})`;
  }
  const wanted = {
    name: expected.name,
    headquartersCountry: expected.headquartersCountry,
    certifications: expected.certifications,
    dataLocations: expected.dataLocations,
    service: expected.service,
  };
  const got = {
    name: node.name,
    headquartersCountry: node.headquartersCountry,
    certifications: node.certifications,
    dataLocations: node.dataLocations,
    service: node.service,
  };
  return same(wanted, got) ? null : `expected ${JSON.stringify(wanted)}, found ${JSON.stringify(got)}`;
}

async function verify(url: string, auth: Record<string, string>) {
  const expected = [...processors.values(), ...contacts.values()];
  const ids = expected.map((e) => e.id);
  // Public reads go through the response cache: they must see every acknowledged write too.
  const publicRead = await readBack(url, ids, {});
  const keyedRead = await readBack(url, ids, auth);
  let verified = 0;
  const failures: string[] = [];
  for (const e of expected) {
    const viaPublic = difference(e, publicRead.get(e.id) ?? null);
    const viaKey = difference(e, keyedRead.get(e.id) ?? null);
    if (!viaPublic && !viaKey) verified++;
    else
      failures.push(
        `${e.kind} ${e.id}: ${viaKey ? `stored: ${viaKey}` : 'stored correctly'}; public read: ${viaPublic ?? 'ok'}`,
      );
  }
  return { total: expected.length, verified, failures };
}

// ---- Reporting ------------------------------------------------------------------

function percentile(values: number[], p: number): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
const mb = (kb: number) => `${(kb / 1024).toFixed(1)} MB`;

function top(map: Map<string, number>, limit = 8): string {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, limit)
    .map(([k, v]) => `\n    ${v} × ${k.slice(0, 160)}`)
    .join('');
}

// ---- Main -----------------------------------------------------------------------

async function main(): Promise<number> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'privacy-facts-soak-'));
  let server: Server | null = null;
  let exitCode = 0;
  let interrupted = false;
  const onSignal = () => {
    console.error('interrupted: finishing the run early');
    interrupted = true;
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const killOnExit = () => {
    if (server?.isRunning()) server.child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  try {
    console.log(`soak: preparing a fresh database in ${dataDir}`);
    const key = await prepare(dataDir);
    const auth = { authorization: `Bearer ${key}` };
    const port = await freeLoopbackPort();
    server = startServer(dataDir, port);
    await waitUntilReady(server);
    const pid = server.child.pid!;
    console.log(`soak: server ${pid} at ${server.url}; ${workerCount} workers for ${seconds} s`);

    const started = Date.now();
    const deadline = started + seconds * 1000;
    const rss: number[] = [];
    const sample = async () => {
      const kb = await rssKilobytes(pid);
      if (kb !== null) rss.push(kb);
    };
    await sample();
    const sampler = setInterval(() => void sample(), RSS_INTERVAL_MS);
    const progress = setInterval(() => {
      const elapsed = Math.round((Date.now() - started) / 1000);
      const last = rss.at(-1);
      console.log(
        `soak: ${elapsed} s, ${stats.requests} requests, ${stats.writes} writes, ` +
          `${Object.values(stats.acknowledged).reduce((a, b) => a + b, 0)} acknowledged, RSS ${last ? mb(last) : '?'}`,
      );
    }, 15_000);
    const running = server;
    const keepGoing = () => Date.now() < deadline && !interrupted && running.isRunning();
    try {
      await Promise.all(
        Array.from({ length: workerCount }, (_, i) =>
          worker(i + 1, running.url, auth, keepGoing).catch((error: unknown) => {
            problems.push(`worker ${i + 1} stopped: ${(error as Error).stack ?? String(error)}`);
          }),
        ),
      );
    } finally {
      clearInterval(sampler);
      clearInterval(progress);
    }
    await sample();
    const duration = (Date.now() - started) / 1000;

    const failures: string[] = [...problems];
    if (!server.isRunning()) failures.push('the server died during the run');
    const result = server.isRunning() ? await verify(server.url, auth) : { total: 0, verified: 0, failures: [] };
    failures.push(...result.failures);

    const acknowledged = Object.values(stats.acknowledged).reduce((a, b) => a + b, 0);
    if (acknowledged === 0) failures.push('no write was acknowledged');

    const third = Math.max(1, Math.floor(rss.length / 3));
    const firstThird = mean(rss.slice(0, third));
    const lastThird = mean(rss.slice(-third));
    const growth = firstThird > 0 ? lastThird / firstThird - 1 : 0;
    if (rss.length < 3) console.log('soak: fewer than 3 RSS samples; the memory check needs a longer run');
    else if (growth > MAX_MEMORY_GROWTH) {
      failures.push(
        `memory grew by ${(growth * 100).toFixed(0)}% (first third ${mb(firstThird)}, last third ${mb(lastThird)})`,
      );
    }

    console.log(
      [
        '',
        `soak summary (${duration.toFixed(0)} s, ${workerCount} workers)`,
        `  requests:      ${stats.requests} (${(stats.requests / duration).toFixed(0)}/s; ${stats.reads} reads, ${stats.writes} writes)`,
        `  latency:       p50 ${percentile(stats.latencies, 50).toFixed(0)} ms, p95 ${percentile(stats.latencies, 95).toFixed(0)} ms, p99 ${percentile(stats.latencies, 99).toFixed(0)} ms, max ${percentile(stats.latencies, 100).toFixed(0)} ms`,
        `  acknowledged:  ${acknowledged} writes (processorCreate ${stats.acknowledged.processorCreate}, processorUpdate ${stats.acknowledged.processorUpdate}, contactCreate ${stats.acknowledged.contactCreate})`,
        `  conflicts:     ${stats.conflicts} (stale expectedRevision, refused as designed)`,
        `  verified:      ${result.verified} of ${result.total} objects as acknowledged (processors ${processors.size}, contacts ${contacts.size})`,
        `  errors:        ${[...stats.httpErrors.values()].reduce((a, b) => a + b, 0)} HTTP/network, ${[...stats.graphqlErrors.values()].reduce((a, b) => a + b, 0)} GraphQL, ${[...stats.userErrors.values()].reduce((a, b) => a + b, 0)} other user errors` +
          top(stats.httpErrors) +
          top(stats.graphqlErrors) +
          top(stats.userErrors),
        `  RSS:           first ${mb(rss[0] ?? 0)}, last ${mb(rss.at(-1) ?? 0)}, max ${mb(Math.max(0, ...rss))}; ` +
          `first third ${mb(firstThird)}, last third ${mb(lastThird)} (${growth >= 0 ? '+' : ''}${(growth * 100).toFixed(0)}%, ${rss.length} samples)`,
      ].join('\n'),
    );
    if (failures.length > 0) {
      exitCode = 1;
      console.error(`\nsoak FAILED (${failures.length}):`);
      for (const f of failures.slice(0, 30)) console.error(`  - ${f}`);
      if (failures.length > 30) console.error(`  … and ${failures.length - 30} more`);
    } else {
      console.log('\nsoak passed');
    }
  } catch (error) {
    exitCode = 1;
    console.error(
      `soak FAILED: ${error instanceof RequestFailed || error instanceof Error ? error.message : String(error)}`,
    );
    if (server?.lastLines.length) console.error(`last server output:\n${server.lastLines.join('\n')}`);
  } finally {
    if (server) {
      const { code, signal } = await stopServer(server);
      const clean = code === 0;
      console.log(`soak: server stopped (${signal ? `signal ${signal}` : `exit code ${code}`})`);
      if (!clean && exitCode === 0) {
        console.error('soak FAILED: the server did not stop cleanly on SIGTERM');
        exitCode = 1;
      }
    }
    process.off('exit', killOnExit);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (options.keep) console.log(`soak: data kept in ${dataDir}`);
    else await rm(dataDir, { recursive: true, force: true });
  }
  return exitCode;
}

function sleep(ms: number) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

process.exitCode = await main();
