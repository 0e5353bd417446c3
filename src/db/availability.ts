// Telling "the database is unreachable" apart from other faults, so clients
// get a 503 they can retry rather than an unexpected error.
const UNAVAILABLE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|Connection terminated|connection timeout|terminating connection|the database system is (starting up|shutting down)|Can't reach database|timeout exceeded when trying to connect|Connection ended unexpectedly|57P0[13]|08006|08001/i;

export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e && depth < 6; depth++) {
    const candidate = e as { message?: unknown; code?: unknown; cause?: unknown; originalError?: unknown };
    if (typeof candidate.message === 'string' && UNAVAILABLE.test(candidate.message)) return true;
    if (typeof candidate.code === 'string' && UNAVAILABLE.test(candidate.code)) return true;
    e = candidate.originalError ?? candidate.cause;
  }
  return false;
}
