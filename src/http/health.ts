// Liveness and readiness for load balancers and orchestrators:
//   GET /health  the process is up (no database involved)
//   GET /ready   the database answers and every migration is applied
// Redis and read replicas are reported too. Without them an instance still
// answers correctly (slower, writes refused while Redis is away), so they make
// it "degraded", not unready: taking every instance out of a load balancer
// because Redis is away would turn a degradation into an outage.
import type { Database } from '../db/client.js';
import { migrationState } from '../db/migrate.js';
import type { ReadReplicas, ReplicaState } from '../db/replicas.js';
import type { SharedRedis } from '../redis/connection.js';
import type { Reply } from './reply.js';

export interface OptionalServices {
  redis?: SharedRedis;
  replicas?: ReadReplicas;
}

export interface Readiness {
  ready: boolean;
  status: 'ready' | 'degraded' | 'not ready';
  database: string;
  migrations: string;
  redis?: string;
  replicas?: ReplicaState[];
}

const CHECK_TIMEOUT_MS = 2_000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

async function primaryReadiness(db: Database): Promise<Pick<Readiness, 'ready' | 'database' | 'migrations'>> {
  try {
    const state = await withTimeout(migrationState(db.sql), CHECK_TIMEOUT_MS);
    const current = state.pending.length === 0 && state.modified.length === 0;
    return {
      ready: current,
      database: 'reachable',
      migrations: current ? 'applied' : `pending: ${[...state.pending, ...state.modified].join(', ')}`,
    };
  } catch (error) {
    return { ready: false, database: `unreachable: ${(error as Error).message}`, migrations: 'unknown' };
  }
}

export async function readiness(db: Database, services: OptionalServices = {}): Promise<Readiness> {
  const primary = await primaryReadiness(db);
  const replicas = services.replicas?.states();
  const degraded = (services.redis && !services.redis.available()) || replicas?.some((r) => !r.inUse);
  return {
    ...primary,
    status: !primary.ready ? 'not ready' : degraded ? 'degraded' : 'ready',
    ...(services.redis ? { redis: services.redis.describe() } : {}),
    ...(replicas ? { replicas } : {}),
  };
}

/** The answer to /health or /ready. */
export async function healthReply(db: Database, path: string, services: OptionalServices = {}): Promise<Reply> {
  if (path === '/health') return { status: 200, json: { status: 'ok' } };
  const state = await readiness(db, services);
  return { status: state.ready ? 200 : 503, json: state };
}
