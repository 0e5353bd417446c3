// The Markdown table, the targets and whether they are met.
import type { LoadResult, StatementCount } from './measure.js';
import type { Workload } from './workloads.js';

export const SERVERS = ['api', 'api+cache', 'api+redis', 'ceiling', 'naive', 'postgraphile'] as const;
export type ServerName = (typeof SERVERS)[number];

export const SERVER_LABELS: Record<ServerName, string> = {
  api: 'API, cache off',
  'api+cache': 'API, cache on',
  'api+redis': 'API, cache on, Redis',
  ceiling: 'ceiling (bytes from memory)',
  naive: 'naive resolvers',
  postgraphile: 'PostGraphile 5',
};

export interface Row extends LoadResult {
  workload: Workload['id'];
  server: ServerName;
  statements: StatementCount;
  /** The server process's CPU time (user + system) per request during the measured load; null when unknown. */
  cpuMsPerRequest: number | null;
  vsCeiling: number;
  vsPostgraphile: number;
}

export interface Target {
  name: string;
  met: boolean;
  detail: string;
}

const fmt = (n: number, digits = 0) =>
  Number.isFinite(n)
    ? n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
    : '–';

export function withRatios(rows: Omit<Row, 'vsCeiling' | 'vsPostgraphile'>[]): Row[] {
  const rps = (w: string, s: ServerName) => rows.find((r) => r.workload === w && r.server === s)?.requestsPerSecond;
  return rows.map((r) => ({
    ...r,
    vsCeiling: r.requestsPerSecond / (rps(r.workload, 'ceiling') ?? NaN),
    vsPostgraphile: r.requestsPerSecond / (rps(r.workload, 'postgraphile') ?? NaN),
  }));
}

export function markdownTable(rows: Row[]): string {
  const lines = [
    '| workload | server | req/s | p50 ms | p99 ms | SQL/req | CPU ms/req | × ceiling | × PostGraphile |',
    '| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    const failed = r.failures > 0 ? ` (${fmt(r.failures)} failed)` : '';
    lines.push(
      `| ${r.workload} | ${SERVER_LABELS[r.server]} | ${fmt(r.requestsPerSecond)}${failed} | ${fmt(r.p50Ms, 2)} | ` +
        `${fmt(r.p99Ms, 2)} | ${fmt(r.statements.sql, 1)} | ${r.cpuMsPerRequest === null ? '–' : fmt(r.cpuMsPerRequest, 3)} | ` +
        `${fmt(r.vsCeiling, 2)} | ${fmt(r.vsPostgraphile, 2)} |`,
    );
  }
  return lines.join('\n');
}

export function evaluateTargets(rows: Row[], coldStartSeconds?: number | null): Target[] {
  const get = (w: string, s: ServerName) => rows.find((r) => r.workload === w && r.server === s);
  const targets: Target[] = [];
  const cached = get('W1', 'api+cache');
  if (cached) {
    targets.push({
      name: 'W1 with cache on ≥ 0.8× ceiling',
      met: cached.vsCeiling >= 0.8,
      detail: `${fmt(cached.vsCeiling, 2)}× ceiling`,
    });
  }
  for (const w of ['W1', 'W2', 'W3']) {
    const api = get(w, 'api');
    const pgl = get(w, 'postgraphile');
    if (!api || !pgl) continue;
    targets.push({
      name: `${w} cache off ≥ 1.0× PostGraphile throughput, lower p99`,
      met: api.vsPostgraphile >= 1 && api.p99Ms < pgl.p99Ms,
      detail: `${fmt(api.vsPostgraphile, 2)}× throughput, p99 ${fmt(api.p99Ms, 2)} vs ${fmt(pgl.p99Ms, 2)} ms`,
    });
  }
  const api = get('W3', 'api');
  const naive = get('W3', 'naive');
  if (api && naive) {
    const ratio = api.requestsPerSecond / naive.requestsPerSecond;
    targets.push({
      name: 'W3 cache off ≥ 10× naive',
      met: ratio >= 10,
      detail: `${fmt(ratio, 1)}× naive`,
    });
  }
  if (coldStartSeconds != null) {
    targets.push({
      name: 'Embedded cold start to first answer ≤ 3 s (after the first run’s migrations)',
      met: coldStartSeconds <= 3,
      detail: `${fmt(coldStartSeconds, 2)} s`,
    });
  }
  return targets;
}

export function targetLines(targets: Target[]): string {
  return targets.map((t) => `- [${t.met ? 'x' : ' '}] ${t.name}: ${t.met ? 'met' : 'MISSED'} (${t.detail})`).join('\n');
}
