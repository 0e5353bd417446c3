// Read replicas (DATABASE_REPLICA_URLS). Read-only operations go to a replica
// through Prisma's read-replicas extension; writes, transactions and every read
// inside a mutation go to the primary (src/app.ts). A replica that stops
// answering is left out until it answers again, and with none left reads go to
// the primary, so losing a replica costs capacity, not answers.
import { readReplicas } from '@prisma/extension-read-replicas';
import type { Logger } from '../logger.js';
import { openDatabase, type Database, type PrismaClient } from './client.js';

export interface ReplicaState {
  /** Host, port and database; never the credentials. */
  name: string;
  state: string;
}

export interface ReadReplicas {
  /** The client for a read-only operation: replicated while a replica answers, else the primary. */
  client(): PrismaClient;
  states(): ReplicaState[];
  /** True while at least one replica answers. */
  available(): boolean;
  close(): Promise<void>;
}

const CHECK_TIMEOUT_MS = 1_500;

/** host:port/database of a URL, for logs and readiness. */
export function describeUrl(url: string): string {
  const parsed = new URL(url);
  return `${parsed.host}${parsed.pathname}`;
}

export async function openReadReplicas(
  primary: Database,
  urls: string[],
  options: { logger: Logger; checkEveryMs?: number; poolSize?: number },
): Promise<ReadReplicas> {
  const { logger } = options;
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
      // The extension's types name the stock client; ours is generated elsewhere, same runtime.
      const extension = readReplicas({ replicas: up.map((r) => r.db.prisma) as never });
      client = primary.prisma.$extends(extension) as unknown as PrismaClient;
      clients.set(key, client);
    }
    return client;
  };

  const check = async () => {
    await Promise.all(
      replicas.map(async (replica) => {
        let problem: string | null = null;
        try {
          const timeout = new Promise<never>((_, reject) =>
            setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS).unref(),
          );
          await Promise.race([replica.db.sql.query('SELECT 1'), timeout]);
        } catch (error) {
          problem = (error as Error).message || 'unreachable';
        }
        if ((problem === null) !== (replica.problem === null)) {
          if (problem) logger.warn({ replica: replica.name, problem }, 'a read replica stopped answering');
          else logger.info({ replica: replica.name }, 'a read replica answers');
        }
        replica.problem = problem;
      }),
    );
  };
  await check();
  const timer = setInterval(() => void check(), options.checkEveryMs ?? 2_000);
  timer.unref();

  const up = () => replicas.filter((r) => r.problem === null);
  return {
    client: () => clientFor(up()),
    available: () => up().length > 0,
    states: () => replicas.map((r) => ({ name: r.name, state: r.problem ? `unreachable: ${r.problem}` : 'reachable' })),
    close: async () => {
      clearInterval(timer);
      await Promise.allSettled(replicas.map((r) => r.db.close()));
    },
  };
}
