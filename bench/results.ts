// What a run prints and keeps: the table and targets on stdout, and a small
// JSON summary in bench/results/ (numbers rounded, no raw samples).
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { LOAD } from './measure.js';
import { evaluateTargets, markdownTable, SERVER_LABELS, targetLines, type Row, type ServerName } from './report.js';
import type { VendorImport } from './data.js';
import { ROOT } from './servers.js';
import { workloads } from './workloads.js';

export interface Skipped {
  server: ServerName;
  reason: string;
}

const round = (n: number, digits: number) => (Number.isFinite(n) ? Number(n.toFixed(digits)) : null);

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { cwd: ROOT, encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

async function environment(stats: pg.Client, pinning: string) {
  const one = async (sql: string) => Object.values((await stats.query(sql)).rows[0] as object)[0] as string;
  return {
    date: new Date().toISOString(),
    commit: git(['rev-parse', '--short', 'HEAD']) + (git(['status', '--porcelain']) ? ' (uncommitted changes)' : ''),
    node: process.version,
    postgres: await one('SHOW server_version'),
    cpu: `${cpus().length} × ${cpus()[0]?.model ?? 'unknown'}`,
    pinning,
    load: LOAD,
    data: {
      organisations: Number(await one('SELECT count(*) FROM "Organisation"')),
      processors: Number(await one('SELECT count(*) FROM "Processor"')),
      noticeSections: Number(await one('SELECT count(*) FROM "NoticeSection"')),
      tcfVendors: Number(await one('SELECT count(*) FROM "TcfVendor"')),
    },
  };
}

/** Prints the report and writes the JSON summary; returns the file written. */
export async function writeReport(
  rows: Row[],
  info: {
    skipped: Skipped[];
    notes: string[];
    stats: pg.Client;
    pinning: string;
    seconds: number;
    /** Where each API server's CPU went, by package (from its CPU profile). */
    profiles: Record<string, { where: string; share: number }[]>;
    /** Process start to first answer on the embedded database: the first run (migrations, seed) and a later one. */
    coldStart: { firstRunSeconds: number; laterRunSeconds: number } | null;
    vendorImport: VendorImport;
  },
): Promise<string> {
  const env = await environment(info.stats, info.pinning);
  const targets = evaluateTargets(rows, info.coldStart?.laterRunSeconds);
  const n = LOAD.statementRequests;
  const lines = [
    `## Benchmark ${env.date.slice(0, 16).replace('T', ' ')} UTC (${env.commit || 'no git'})`,
    '',
    `${env.cpu}; Node ${env.node}; PostgreSQL ${env.postgres}; pinning: ${env.pinning}.`,
    `${env.data.organisations} organisations (${env.data.tcfVendors} of them TCF vendors), ${env.data.processors} processors, ${env.data.noticeSections} notice sections; ` +
      `the ${info.vendorImport.vendors}-vendor list imported in ${(info.vendorImport.ms / 1000).toFixed(1)} s. ` +
      `${LOAD.connections} connections, pipelining ${LOAD.pipelining}, ${LOAD.warmupSeconds} s warm-up + ${LOAD.seconds} s per row.`,
    '',
    markdownTable(rows),
    '',
    `SQL/req: pg_stat_statements calls over ${n} sequential requests ÷ ${n}, ` +
      'without BEGIN/COMMIT/SET-style statements and without the statistics queries themselves.',
    ...workloads.filter((w) => w.postgraphileNote).map((w) => `PostGraphile ${w.id}: ${w.postgraphileNote}.`),
    ...info.notes,
    ...info.skipped.map((s) => `Not measured: ${s.server}: ${s.reason.split('\n')[0]}`),
    ...(info.coldStart
      ? [
          `Cold start, embedded database, process start to first answer: ${info.coldStart.firstRunSeconds.toFixed(2)} s ` +
            `the first time (migrations and seed), ${info.coldStart.laterRunSeconds.toFixed(2)} s after.`,
        ]
      : []),
    ...Object.entries(info.profiles).map(
      ([server, parts]) =>
        `CPU of ${SERVER_LABELS[server as keyof typeof SERVER_LABELS] ?? server}: ` +
        parts.map((p) => `${p.where} ${p.share}%`).join(', '),
    ),
    '',
    'Targets:',
    targetLines(targets),
  ];
  console.log(lines.join('\n'));

  const summary = {
    ...env,
    seconds: Math.round(info.seconds),
    vendorImport: info.vendorImport,
    rows: rows.map((r) => ({
      workload: r.workload,
      server: r.server,
      requestsPerSecond: round(r.requestsPerSecond, 0),
      p50Ms: round(r.p50Ms, 2),
      p99Ms: round(r.p99Ms, 2),
      sqlPerRequest: round(r.statements.sql, 2),
      controlStatementsPerRequest: round(r.statements.control, 2),
      vsCeiling: round(r.vsCeiling, 3),
      vsPostgraphile: round(r.vsPostgraphile, 3),
      cpuMsPerRequest: r.cpuMsPerRequest === null ? null : round(r.cpuMsPerRequest, 3),
      requests: r.requests,
      failures: r.failures,
    })),
    targets,
    coldStart: info.coldStart,
    profiles: info.profiles,
    notes: info.notes,
    skipped: info.skipped.map((s) => ({ server: s.server, reason: s.reason.split('\n')[0] })),
  };
  const dir = path.join(ROOT, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${env.date.slice(0, 19).replace(/:/g, '-')}Z.json`);
  writeFileSync(file, JSON.stringify(summary, null, 2) + '\n');
  return file;
}
