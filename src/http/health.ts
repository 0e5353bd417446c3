// Liveness and readiness for load balancers and orchestrators:
//   GET /health  the process is up (no database involved)
//   GET /ready   the database answers and every migration is applied
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Database } from '../db/client.js';
import { migrationState } from '../db/migrate.js';

const CHECK_TIMEOUT_MS = 2_000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export async function readiness(db: Database): Promise<{ ready: boolean; database: string; migrations: string }> {
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

export async function handleHealth(db: Database, req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const path = (req.url ?? '/').split('?')[0];
  if (path !== '/health' && path !== '/ready') return false;
  const reply = (status: number, body: object) => {
    res.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
  };
  if (path === '/health') {
    reply(200, { status: 'ok' });
    return true;
  }
  const state = await readiness(db);
  reply(state.ready ? 200 : 503, { status: state.ready ? 'ready' : 'not ready', ...state });
  return true;
}
