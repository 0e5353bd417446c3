// `npm run bench`: a throwaway PostgreSQL cluster with the seed plus synthetic
// organisations, six servers side by side, bounded load on each workload,
// a Markdown table on stdout and a JSON summary in bench/results/.
// Progress goes to stderr. Everything started here is stopped here, also on
// failure or Ctrl-C.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus as cpuInfo, tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { redisServerInstalled, startRedisServer, type RedisServer } from '../scripts/redis-server.js';
import { startCluster, type Cluster } from './cluster.js';
import { prepareBenchDatabase } from './data.js';
import { countStatements, load, LOAD, post } from './measure.js';
import { cpuMs, profileSummary } from './cpu.js';
import { ensurePeer } from './peer.js';
import { freePort, hasTaskset, killAllChildrenNow, startChild, stopAllChildren, stopChild } from './proc.js';
import { SERVER_LABELS, SERVERS, withRatios, type Row, type ServerName } from './report.js';
import { writeReport, type Skipped } from './results.js';
import { ROOT, startServer, type RunningServer } from './servers.js';
import { requestBody, serves, workloads } from './workloads.js';

const log = (line: string) => console.error(`[bench] ${line}`);

/** The CPUs this process may run on, from its affinity mask. */
function allowedCpus(): number[] {
  const out = hasTaskset ? spawnSync('taskset', ['-pc', String(process.pid)], { encoding: 'utf8' }).stdout : '';
  const list = out.split(':').pop()?.trim() ?? '';
  const ids = list.split(',').flatMap((part) => {
    const [from, to] = part.split('-').map(Number);
    if (from === undefined || Number.isNaN(from)) return [];
    return Array.from({ length: (to ?? from) - from + 1 }, (_, i) => from + i);
  });
  return ids.length > 0 ? ids : cpuInfo().map((_, i) => i);
}

// Servers on the first CPU, the load generator (this process) on the second, so they do not
// take time from each other; PostgreSQL may use every CPU, as it would next to an API. The
// re-spawned, pinned runner gets the original CPU list from BENCH_CPUS: its own mask is one CPU.
const cpus = process.env.BENCH_CPUS ? process.env.BENCH_CPUS.split(',').map(Number) : allowedCpus();
const pinning = hasTaskset && cpus.length >= 2;
const serverCpus = pinning ? String(cpus[0]) : null;
const loadCpu = pinning ? String(cpus[1]) : null;
const allCpus = pinning ? cpus.join(',') : null;
const pinningNote = pinning
  ? `servers on CPU ${serverCpus}, load generator on CPU ${loadCpu}, PostgreSQL on CPUs ${allCpus}`
  : 'none (taskset missing or a single CPU)';

async function main(): Promise<void> {
  let cluster: Cluster | undefined;
  let redis: RedisServer | undefined;
  let stats: pg.Client | undefined;
  const work = mkdtempSync(path.join(tmpdir(), 'privacy-facts-bench.'));
  let interrupted = false;
  const onSignal = () => {
    if (interrupted) return;
    interrupted = true;
    log('interrupted: stopping servers and the cluster');
    killAllChildrenNow();
    void redis?.stop();
    cluster?.stop();
    rmSync(work, { recursive: true, force: true });
    process.exit(130);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  try {
    const started = Date.now();
    ensurePeer(log);
    cluster = await startCluster({ cpus: allCpus });
    log('PostgreSQL cluster started');
    const { url: databaseUrl, vendorImport } = await prepareBenchDatabase(cluster, ROOT, log);
    stats = new pg.Client(databaseUrl);
    await stats.connect();
    if (redisServerInstalled()) redis = await startRedisServer();
    const { servers, skipped, notes } = await startServers(databaseUrl, work, redis?.url);
    const rows = await measureAll(servers, stats);
    const profiles = await stopAndProfile(servers, work);
    const coldStart = await measureColdStart(work).catch((error: unknown) => {
      notes.push(`Cold start not measured: ${(error as Error).message.split('\n')[0]}`);
      return null;
    });
    const file = await writeReport(rows, {
      skipped,
      notes,
      stats,
      pinning: pinningNote,
      vendorImport,
      seconds: (Date.now() - started) / 1000,
      profiles,
      coldStart,
    });
    log(`saved ${path.relative(ROOT, file)}`);
  } finally {
    await stats?.end().catch(() => undefined);
    await stopAllChildren();
    await redis?.stop();
    cluster?.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

interface Started {
  servers: Map<ServerName, RunningServer>;
  skipped: Skipped[];
  notes: string[];
}

/** The answer each server gave to each workload before the load, by `${workload}:${server}`. */
const answers = new Map<string, string>();

/** Starts the servers, records each one's answer to each workload, then starts the ceiling with the API's answers. */
async function startServers(databaseUrl: string, work: string, redisUrl?: string): Promise<Started> {
  const responsesFile = path.join(work, 'responses.json');
  const servers = new Map<ServerName, RunningServer>();
  const skipped: Started['skipped'] = [];
  const notes: string[] = [];
  const options = { databaseUrl, responsesFile, cpus: serverCpus, redisUrl, profileDir: path.join(work, 'profiles') };
  const names: ServerName[] = ['api', 'api+cache', 'api+redis', 'naive', 'postgraphile'];
  const results = await Promise.allSettled(names.map((name) => startServer(name, options)));
  results.forEach((result, i) => {
    if (result.status === 'fulfilled') servers.set(names[i]!, result.value);
    else skipped.push({ server: names[i]!, reason: String(result.reason?.message ?? result.reason) });
  });
  for (const [name, server] of servers) {
    try {
      for (const w of workloads.filter((w) => serves(w, name))) {
        const text = await post(server.url, requestBody(name === 'postgraphile' ? w.postgraphile : w.query));
        const parsed = JSON.parse(text) as { data?: unknown; errors?: unknown };
        if (parsed.errors || !parsed.data) throw new Error(`${w.id} answered with errors: ${text.slice(0, 500)}`);
        answers.set(`${w.id}:${name}`, text);
      }
    } catch (error) {
      servers.delete(name);
      skipped.push({ server: name, reason: error instanceof Error ? error.message : String(error) });
    }
  }
  for (const w of workloads) {
    const api = answers.get(`${w.id}:api`);
    for (const other of ['api+cache', 'api+redis', 'naive'] as const) {
      const theirs = answers.get(`${w.id}:${other}`);
      if (api && theirs && theirs !== api) notes.push(`${w.id}: ${SERVER_LABELS[other]} answers differ from the API's`);
    }
  }
  if (servers.has('api')) {
    const entries = workloads
      .filter((w) => answers.has(`${w.id}:api`))
      .map((w) => ({ request: requestBody(w.query), response: answers.get(`${w.id}:api`)! }));
    writeFileSync(responsesFile, JSON.stringify(entries));
    for (const w of workloads)
      if (answers.has(`${w.id}:api`)) answers.set(`${w.id}:ceiling`, answers.get(`${w.id}:api`)!);
    servers.set('ceiling', await startServer('ceiling', options));
  } else skipped.push({ server: 'ceiling', reason: 'needs the API (cache off) answers' });
  for (const s of skipped) log(`skipped ${s.server}: ${s.reason}`);
  log(`servers up: ${[...servers.keys()].join(', ')}`);
  return { servers, skipped, notes };
}

async function measureAll(servers: Map<ServerName, RunningServer>, stats: pg.Client): Promise<Row[]> {
  const rows: Omit<Row, 'vsCeiling' | 'vsPostgraphile'>[] = [];
  for (const w of workloads) {
    for (const name of SERVERS) {
      const server = servers.get(name);
      if (!server || !serves(w, name)) continue;
      const body = requestBody(name === 'postgraphile' ? w.postgraphile : w.query);
      const minBytes = Buffer.byteLength(answers.get(`${w.id}:${name}`)!);
      await load(server.url, body, LOAD.warmupSeconds, minBytes);
      const cpuBefore = cpuMs(server.child.process.pid);
      const result = await load(server.url, body, LOAD.seconds, minBytes);
      const cpuAfter = cpuMs(server.child.process.pid);
      const cpuMsPerRequest =
        cpuBefore !== null && cpuAfter !== null && result.requests > 0
          ? (cpuAfter - cpuBefore) / result.requests
          : null;
      const statements = await countStatements(stats, server.url, body, LOAD.statementRequests);
      rows.push({ workload: w.id, server: name, ...result, statements, cpuMsPerRequest });
      log(
        `${w.id} ${name}: ${result.requestsPerSecond.toFixed(0)} req/s, p50 ${result.p50Ms.toFixed(2)} ms, ` +
          `p99 ${result.p99Ms.toFixed(2)} ms, ${statements.sql.toFixed(1)} SQL/req` +
          (result.failures ? `, ${result.failures} failed` : ''),
      );
    }
  }
  return withRatios(rows);
}

/** Stops the API's servers (they write their CPU profiles as they exit) and summarises each profile. */
async function stopAndProfile(servers: Map<ServerName, RunningServer>, work: string) {
  const profiles: Record<string, { where: string; share: number }[]> = {};
  for (const name of ['api', 'api+cache', 'api+redis'] as const) {
    const server = servers.get(name);
    if (!server) continue;
    await stopChild(server.child, 15_000);
    const dir = path.join(work, 'profiles', name);
    const file = existsSync(dir) ? readdirSync(dir).find((f) => f.endsWith('.cpuprofile')) : undefined;
    if (file) profiles[name] = profileSummary(path.join(dir, file), 8);
  }
  return profiles;
}

/**
 * Process start to the first answer of W1 on the embedded database: once on a
 * new data directory (migrations and the seed run first), then again on the same.
 */
async function measureColdStart(work: string) {
  const dataDir = path.join(work, 'cold-start');
  const once = async () => {
    const port = await freePort();
    const started = performance.now();
    const child = startChild('cold start', [process.execPath, '--import', 'tsx', 'src/server.ts'], {
      env: {
        PATH: process.env.PATH ?? '/usr/bin:/bin',
        HOME: process.env.HOME ?? '/tmp',
        DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        NODE_ENV: 'production',
      },
      cwd: ROOT,
      cpus: serverCpus,
    });
    try {
      const url = `http://127.0.0.1:${port}/graphql`;
      for (;;) {
        if (child.process.exitCode !== null) throw new Error(`the server exited: ${child.output()}`);
        const answer = await post(url, requestBody(workloads[0]!.query)).catch(() => null);
        if (answer?.includes('"resolvedLocale"')) return (performance.now() - started) / 1000;
        if (performance.now() - started > 120_000) throw new Error('no answer within 120 s');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    } finally {
      await stopChild(child, 15_000);
    }
  };
  const firstRunSeconds = await once();
  const laterRunSeconds = await once();
  log(`cold start: ${firstRunSeconds.toFixed(2)} s first, ${laterRunSeconds.toFixed(2)} s after`);
  return { firstRunSeconds, laterRunSeconds };
}

if (pinning && !process.env.BENCH_CPUS) {
  // Re-run this script pinned to the load generator's CPU; autocannon runs in this process.
  const argv = ['-c', loadCpu!, process.execPath, ...process.execArgv, ...process.argv.slice(1)];
  const child = spawn('taskset', argv, { stdio: 'inherit', env: { ...process.env, BENCH_CPUS: cpus.join(',') } });
  // Ctrl-C reaches the child too (same process group); a signal sent to this process alone is passed on.
  const forward = (signal: NodeJS.Signals) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  if (!pinning) log('taskset missing or a single CPU: running without pinning');
  await main();
}
