// Read replicas (DATABASE_REPLICA_URLS). Read-only operations go to a replica
// through Prisma's read-replicas extension; writes, transactions and every read
// inside a mutation go to the primary (src/app.ts). A replica that stops
// answering is left out until it answers again, and with none left reads go to
// the primary, so losing a replica costs capacity, not answers. A replica that
// falls further behind the primary than the allowed lag is left out the same
// way, so a broken replication cannot serve old facts for long.
import { readReplicas } from '@prisma/extension-read-replicas';
import type { Logger } from '../logger.js';
import { openDatabase, type Database, type PrismaClient } from './client.js';

export interface ReplicaState {
  /** Host, port and database; never the credentials. */
  name: string;
  /** Whether reads go there just now. */
  inUse: boolean;
  /** "in use", or why not (unreachable, lagging, not a replica). */
  state: string;
}

export interface ReadReplicas {
  /** The client for a read-only operation: replicated while a replica answers, else the primary. */
  client(): PrismaClient;
  states(): ReplicaState[];
  /** True while at least one replica answers. */
  available(): boolean;
  /** How long a replica in use may still show the state before a write. */
  settleMs: number;
  close(): Promise<void>;
}

const CHECK_TIMEOUT_MS = 1_500;

/** A PostgreSQL WAL position ("16/B374D848") as a number that orders correctly. */
export function parseLsn(lsn: string): bigint {
  const [high, low] = lsn.split('/');
  return (BigInt(`0x${high}`) << 32n) + BigInt(`0x${low}`);
}

/**
 * How far behind a replica is, from the primary's WAL positions sampled over
 * time: the age of the newest sample the replica has replayed (0 when it has
 * replayed the latest), or null when it is behind every sample kept.
 */
export function lagOf(replayed: bigint, samples: { at: number; lsn: bigint }[], now: number): number | null {
  const latest = samples.at(-1);
  if (!latest || replayed >= latest.lsn) return 0;
  for (let i = samples.length - 1; i >= 0; i--) {
    if (samples[i]!.lsn <= replayed) return now - samples[i]!.at;
  }
  return null;
}

function withTimeout<T>(work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/** host:port/database of a URL, for logs and readiness. */
export function describeUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.host}${parsed.pathname}`;
}

export async function openReadReplicas(
  primary: Database,
  urls: string[],
  options: { logger: Logger; maxLagMs: number; checkEveryMs?: number; poolSize?: number },
): Promise<ReadReplicas> {
  const { logger, maxLagMs } = options;
  const checkEveryMs = options.checkEveryMs ?? 1_000;
  // The primary's WAL position over the last lag window (and a little more).
  const samples: { at: number; lsn: bigint }[] = [];
  const replicas = await Promise.all(
    urls.map(async (url) => ({
      name: describeUrl(url),
      db: await openDatabase({
        kind: 'postgres',
        url,
        poolSize: options.poolSize,
        onIdleError: (error) => logger.warn({ err: error, replica: describeUrl(url) }, 'a replica closed a connection'),
      }),
      problem: 'not checked yet' as string | null,
    })),
  );

  // One extended client per set of answering replicas, built when first needed.
  const clients = new Map<string, PrismaClient>();
  const clientFor = (up: typeof replicas): PrismaClient => {
    if (up.length === 0) return primary.prisma;
    const key = up.map((r) => r.name).join(',');
    let client = clients.get(key);
    if (!client) {
      const extension = readReplicas({ replicas: up.map((r) => r.db.prisma) });
      // The extended client adds $primary/$replica; the rest of the API sees a plain client.
      client = primary.prisma.$extends(extension) as unknown as PrismaClient;
      clients.set(key, client);
    }
    return client;
  };

  const check = async () => {
    const now = Date.now();
    try {
      const [row] = await withTimeout(primary.sql.query<{ lsn: string }>('SELECT pg_current_wal_lsn()::text AS lsn'));
      samples.push({ at: now, lsn: parseLsn(row!.lsn) });
      while (samples.length > 1 && samples[0]!.at < now - 2 * maxLagMs - checkEveryMs) samples.shift();
    } catch {
      // The primary is away: its own readiness says so; replicas are judged by what is known.
    }
    await Promise.all(
      replicas.map(async (replica) => {
        let problem: string | null = null;
        try {
          const [row] = await withTimeout(
            replica.db.sql.query<{ lsn: string | null }>('SELECT pg_last_wal_replay_lsn()::text AS lsn'),
          );
          if (!row?.lsn) problem = 'not a replica (it is not replaying a primary)';
          else {
            const lag = lagOf(parseLsn(row.lsn), samples, now);
            if (lag === null || lag > maxLagMs) {
              problem = `lagging: more than ${Math.round((lag ?? now - samples[0]!.at) / 1000)} s behind the primary`;
            }
          }
        } catch (error) {
          problem = `unreachable: ${(error as Error).message || 'no answer'}`;
        }
        if ((problem === null) !== (replica.problem === null)) {
          if (problem) logger.warn({ replica: replica.name, problem }, 'reads leave a replica');
          else logger.info({ replica: replica.name }, 'reads use a replica again');
        }
        replica.problem = problem;
      }),
    );
  };
  await check();
  // One check at a time: a replica that hangs must not pile up checks holding its connections.
  let checking = false;
  const timer = setInterval(() => {
    if (checking) return;
    checking = true;
    void check().finally(() => (checking = false));
  }, checkEveryMs);
  timer.unref();

  const up = () => replicas.filter((r) => r.problem === null);
  return {
    client: () => clientFor(up()),
    available: () => up().length > 0,
    states: () => replicas.map((r) => ({ name: r.name, inUse: r.problem === null, state: r.problem ?? 'in use' })),
    settleMs: maxLagMs + checkEveryMs,
    close: async () => {
      clearInterval(timer);
      await Promise.allSettled(replicas.map((r) => r.db.close()));
    },
  };
}
