// Telling a unique-key clash (PostgreSQL 23505) apart from other faults, and
// which columns clashed, whichever way the driver reports it: Prisma's P2002
// (with the fields in `meta.target` or in the driver adapter's cause), or the
// driver adapter's own error carrying PostgreSQL's code and detail.
const DETAIL = /Key \(([^)]+)\)=/;

interface Candidate {
  code?: unknown;
  message?: unknown;
  meta?: {
    target?: unknown;
    driverAdapterError?: { cause?: { constraint?: { fields?: unknown; index?: unknown }; table?: unknown } };
  };
  cause?: { code?: unknown; detail?: unknown; message?: unknown; constraint?: { fields?: unknown } };
}

/** The columns of a violated unique constraint, or null when the error is something else. */
export function uniqueViolation(error: unknown): string[] | null {
  const e = error as Candidate | null;
  if (!e || typeof e !== 'object') return null;
  const columns = (value: unknown) =>
    Array.isArray(value) ? value.map((c) => String(c).replaceAll('"', '').trim()) : null;
  if (e.code === 'P2002') {
    return (
      columns(e.meta?.target) ??
      columns(e.meta?.driverAdapterError?.cause?.constraint?.fields) ??
      fromIndexName(e.meta?.driverAdapterError?.cause) ??
      (typeof e.meta?.target === 'string' ? [e.meta.target] : [])
    );
  }
  if (e.cause?.code === '23505') {
    const detail = typeof e.cause.detail === 'string' ? DETAIL.exec(e.cause.detail) : null;
    return (
      columns(e.cause.constraint?.fields) ??
      (detail ? detail[1]!.split(',').map((c) => c.replaceAll('"', '').trim()) : [])
    );
  }
  return null;
}

/**
 * adapter-pg 7.10 names only the index ("Processor_organisationId_key_key"):
 * Prisma names unique indexes <Model>_<columns joined by _>_key, and this
 * schema's columns have no underscores, so the columns are the parts between.
 */
function fromIndexName(cause: { constraint?: { index?: unknown }; table?: unknown } | undefined): string[] | null {
  const index = cause?.constraint?.index;
  const table = cause?.table;
  if (
    typeof index !== 'string' ||
    typeof table !== 'string' ||
    !index.startsWith(`${table}_`) ||
    !index.endsWith('_key')
  ) {
    return null;
  }
  const body = index.slice(table.length + 1, -'_key'.length);
  return body ? body.split('_') : null;
}

/** PostgreSQL asks to retry a transaction that lost a race (serialisation failure, deadlock). */
export function isRetryable(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | null, depth = 0; e && depth < 4; depth++) {
    if (e.code === '40001' || e.code === '40P01' || e.code === 'P2034') return true;
    e = e.cause as typeof e;
  }
  return false;
}
