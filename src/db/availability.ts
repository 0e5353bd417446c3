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

/**
 * What went wrong connecting to the PostgreSQL server of `url`, in words for
 * an operator: naming the setting and host:port, never the password. Null
 * when the error is not about reaching or logging in to the server.
 */
export function describeConnectionProblem(error: unknown, url: string, setting = 'DATABASE_URL'): string | null {
  let where = '?';
  let user = '';
  let database = '';
  try {
    const parsed = new URL(url);
    where = `${parsed.hostname}:${parsed.port || '5432'}`;
    user = decodeURIComponent(parsed.username);
    database = decodeURIComponent(parsed.pathname.slice(1));
  } catch {
    // The configuration has checked its shape; keep the generic words.
  }
  const codes: string[] = [];
  const messages: string[] = [];
  for (let e: unknown = error, depth = 0; e && depth < 6; depth++) {
    const candidate = e as { code?: unknown; message?: unknown; errors?: unknown[]; cause?: unknown };
    if (typeof candidate.code === 'string') codes.push(candidate.code);
    if (typeof candidate.message === 'string') messages.push(candidate.message);
    // A host name with several addresses fails with an AggregateError of one error each.
    for (const inner of candidate.errors ?? []) {
      const c = (inner as { code?: unknown }).code;
      if (typeof c === 'string') codes.push(c);
    }
    e = candidate.cause;
  }
  const has = (code: string) => codes.includes(code);
  const fix = `Start the server, or correct ${setting} (leave it unset to use the embedded database).`;
  if (has('ECONNREFUSED'))
    return `Cannot connect to the PostgreSQL server named by ${setting} (${where}): connection refused. ${fix}`;
  if (has('ENOTFOUND') || has('EAI_AGAIN'))
    return `Cannot connect to the PostgreSQL server named by ${setting}: the host of ${where} is not known. Correct ${setting}.`;
  if (has('ETIMEDOUT') || has('EHOSTUNREACH') || messages.some((m) => /timeout/i.test(m)))
    return `Cannot connect to the PostgreSQL server named by ${setting} (${where}): no answer in time. ${fix}`;
  if (has('28P01') || has('28000'))
    return `The PostgreSQL server named by ${setting} (${where}) refused the user "${user}": the password or authentication failed. Correct the user or password in ${setting}.`;
  if (has('3D000'))
    return `The PostgreSQL server named by ${setting} (${where}) has no database "${database}". Create it, or correct ${setting}.`;
  return null;
}
