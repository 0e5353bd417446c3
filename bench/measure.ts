// The two measurements: throughput and latency under bounded load
// (autocannon), and SQL statements per request (pg_stat_statements).
import autocannon from 'autocannon';
import type pg from 'pg';

export interface LoadResult {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  requests: number;
  /** Connection errors, timeouts, non-2xx answers, and answers shorter than the expected body. */
  failures: number;
}

/** Autocannon settings per server × workload, and how many sequential requests the statement count uses. */
export const LOAD = { connections: 16, pipelining: 1, warmupSeconds: 2, seconds: 8, statementRequests: 20 } as const;

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * POSTs `body` to `url` for `seconds` over LOAD.connections connections. Latencies are taken from
 * each response (autocannon's own histogram has 1 ms resolution, too coarse for the fast servers);
 * an answer with fewer bytes than `minBytes` (headers included) counts as a failure: GraphQL
 * errors come with status 200, so the status alone would not catch them.
 */
export function load(url: string, body: string, seconds: number, minBytes: number): Promise<LoadResult> {
  return new Promise((resolve, reject) => {
    let latencies = new Float64Array(1 << 16);
    let count = 0;
    let short = 0;
    const instance = autocannon(
      {
        url,
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        connections: LOAD.connections,
        pipelining: LOAD.pipelining,
        duration: seconds,
        timeout: 10,
      },
      (error, result) => {
        if (error) return reject(error);
        const sorted = latencies.subarray(0, count).sort();
        resolve({
          requestsPerSecond: count / result.duration,
          p50Ms: percentile(sorted, 50),
          p99Ms: percentile(sorted, 99),
          requests: count,
          failures: result.errors + result.timeouts + result.non2xx + short,
        });
      },
    );
    instance.on('response', (_client, statusCode, bytes, ms) => {
      if (statusCode >= 200 && statusCode < 300 && bytes < minBytes) short += 1;
      if (count === latencies.length) {
        const bigger = new Float64Array(latencies.length * 2);
        bigger.set(latencies);
        latencies = bigger;
      }
      latencies[count++] = ms;
    });
  });
}

/** Sends `body` once and returns the answer's body text, failing on a non-2xx status. */
export async function post(url: string, body: string): Promise<string> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${url} answered ${res.status}: ${text.slice(0, 500)}`);
  return text;
}

// Statements a client sends to control transactions or sessions, counted apart from the work itself.
const CONTROL = String.raw`^\s*(begin|commit|rollback|start\s+transaction|savepoint|release|set|reset|show|discard|deallocate)\M`;

export interface StatementCount {
  /** Statements per request, transaction and session control excluded. */
  sql: number;
  /** BEGIN/COMMIT/SET/… per request. */
  control: number;
}

/**
 * Waits until no other session of this database has run a statement for `quietMs`: when a load run
 * ends, the server is still working through the requests autocannon abandoned, and their statements
 * must not land in the next count.
 */
async function waitUntilQuiet(stats: pg.Client, quietMs = 300, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quietSince = Date.now();
  while (Date.now() < deadline) {
    const { rows } = await stats.query<{ busy: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE datname = current_database()
                        AND pid <> pg_backend_pid() AND state <> 'idle') AS busy`,
    );
    if (rows[0]!.busy) quietSince = Date.now();
    else if (Date.now() - quietSince >= quietMs) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/**
 * Resets pg_stat_statements, sends `requests` requests one after the other and divides the
 * statements the database ran in that time by `requests`. Statements reading or resetting the
 * statistics themselves are left out.
 */
export async function countStatements(
  stats: pg.Client,
  url: string,
  body: string,
  requests: number,
): Promise<StatementCount> {
  await waitUntilQuiet(stats);
  await stats.query('SELECT pg_stat_statements_reset()');
  for (let i = 0; i < requests; i += 1) await post(url, body);
  // Work a server finishes after answering (none expected) still lands in this window.
  await new Promise((resolve) => setTimeout(resolve, 100));
  const { rows } = await stats.query<{ sql: number; control: number }>(
    `SELECT coalesce(sum(calls) FILTER (WHERE NOT control), 0)::int AS sql,
            coalesce(sum(calls) FILTER (WHERE control), 0)::int AS control
       FROM (SELECT calls, query ~* $1 AS control FROM pg_stat_statements
              WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
                AND query !~* 'pg_stat_statements') s`,
    [CONTROL],
  );
  const row = rows[0]!;
  return { sql: row.sql / requests, control: row.control / requests };
}
