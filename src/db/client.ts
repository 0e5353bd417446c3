// The one way to reach the database. PGlite (in-process PostgreSQL) by
// default, a PostgreSQL server when a postgres:// URL is configured; both sit
// behind the same Prisma client and a small raw-SQL runner for migrations.
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from './generated/client.js';

import type { Prisma } from './generated/client.js';
export type { Prisma, PrismaClient } from './generated/client.js';

/** The client inside an interactive transaction. */
export type Tx = Prisma.TransactionClient;

/** Raw SQL for migrations and health checks, outside Prisma's query compiler. */
export interface SqlRunner {
  /** Runs a script of one or more statements. */
  exec(script: string): Promise<void>;
  query<T extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /**
   * Runs `work` on one connection of its own, held until it ends, for what
   * belongs to a session (an advisory lock, a transaction spread over several
   * calls). PGlite has a single connection: the work runs on it.
   */
  session<T>(work: (sql: SqlRunner) => Promise<T>): Promise<T>;
}

/** The SQL Prisma sends: counted always; shown to a listener a test sets. */
export interface StatementLog {
  count: number;
  listener?: (statement: { query: string; params: string }) => void;
}

export interface Database {
  kind: 'pglite' | 'postgres';
  prisma: PrismaClient;
  sql: SqlRunner;
  /** Counts the SQL statements Prisma sends; used by tests and benchmarks. */
  statements: StatementLog;
  close(): Promise<void>;
}

export type DatabaseTarget =
  | { kind: 'pglite'; dataDir?: string; instance?: PGlite }
  | { kind: 'postgres'; url: string; poolSize?: number; onIdleError?: (error: Error) => void };

// Prisma 7 keeps the plans its query compiler makes, keyed by the query's
// shape with the values taken out, in an LRU cache (default 1,000 entries).
// The whole test suite, which goes through every query, mutation, manifest
// load and fuzzed input, makes about 300 distinct shapes, and one process sees
// fewer: the website's and integrators' few selections, the write flow
// (creates vary with the optional fields given). Plans are about 5 KB as JSON
// on average, 70 KB for the deepest nested query. 500 keeps every shape this
// schema is used with, with room for the selections clients choose, and bounds
// what a client cycling through new selections can make the cache hold.
const QUERY_PLAN_CACHE_SIZE = 500;

function makeClient(adapter: PrismaPGlite | PrismaPg): {
  prisma: PrismaClient;
  statements: StatementLog;
} {
  const prisma = new PrismaClient({
    adapter,
    log: [{ emit: 'event', level: 'query' }] as const,
    queryPlanCacheMaxSize: QUERY_PLAN_CACHE_SIZE,
  });
  const statements: StatementLog = { count: 0 };
  prisma.$on('query', (event) => {
    statements.count += 1;
    statements.listener?.(event);
  });
  return { prisma, statements };
}

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === 'pglite') {
    const pglite = target.instance ?? new PGlite(target.dataDir);
    await pglite.waitReady;
    const { prisma, statements } = makeClient(new PrismaPGlite(pglite));
    return {
      kind: 'pglite',
      prisma,
      statements,
      sql: pgliteRunner(pglite),
      close: async () => {
        await prisma.$disconnect();
        if (!pglite.closed) await pglite.close();
      },
    };
  }
  const pool = new pg.Pool({
    connectionString: target.url,
    max: target.poolSize ?? 10,
    // Fail fast when the server is down, so requests answer 503 instead of hanging.
    connectionTimeoutMillis: 3_000,
    // Notice connections that a network partition left dead, instead of waiting on them.
    keepAlive: true,
  });
  // An idle connection the server drops (restart, failover, admin) must not
  // crash the process: the pool discards it and opens a new one when needed.
  pool.on('error', (error) => target.onIdleError?.(error));
  const { prisma, statements } = makeClient(new PrismaPg(pool));
  return {
    kind: 'postgres',
    prisma,
    statements,
    sql: poolRunner(pool),
    close: async () => {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

function pgliteRunner(pglite: PGlite): SqlRunner {
  const runner: SqlRunner = {
    exec: async (script) => {
      await pglite.exec(script);
    },
    query: async <T extends Record<string, unknown>>(sql: string, params?: unknown[]) =>
      (await pglite.query<T>(sql, params)).rows,
    session: (work) => work(runner),
  };
  return runner;
}

/** Each call on any of the pool's connections; a session takes one of them. */
function poolRunner(pool: pg.Pool): SqlRunner {
  return {
    ...statementsOn(pool),
    session: async (work) => {
      const connection = await pool.connect();
      let failed = false;
      try {
        return await work(connectionRunner(connection));
      } catch (error) {
        failed = true;
        throw error;
      } finally {
        // A connection whose work failed may still hold session state (a lock, a
        // transaction): it is closed rather than handed to the next caller.
        connection.release(failed);
      }
    },
  };
}

/** Every call on one connection; a session within it is the same connection. */
function connectionRunner(connection: pg.PoolClient): SqlRunner {
  const runner: SqlRunner = { ...statementsOn(connection), session: (work) => work(runner) };
  return runner;
}

function statementsOn(on: pg.Pool | pg.PoolClient): Pick<SqlRunner, 'exec' | 'query'> {
  return {
    exec: async (script) => {
      await on.query(script);
    },
    query: async <T extends Record<string, unknown>>(sql: string, params?: unknown[]) =>
      (await on.query<T>(sql, params)).rows,
  };
}
