// Records valid for a period (contacts, processors, and any record or fact
// with the same two fields): activeFrom and activeUntil, both inclusive,
// either open. One rule, as a predicate and as a query filter, so the API,
// the exports and the completeness report agree on "active".
export interface Period {
  activeFrom: Date | null;
  activeUntil: Date | null;
}

/**
 * Any record that may carry a period: a row (DATE columns as Date), or a fact
 * in a manifest or profile (YYYY-MM-DD strings). An absent bound is open.
 */
export interface MaybePeriod {
  activeFrom?: Date | string | null;
  activeUntil?: Date | string | null;
}

/** The day a moment falls on (UTC), as DATE columns hold it. */
export const dayOf = (at: Date) => new Date(`${at.toISOString().slice(0, 10)}T00:00:00Z`);

const dayString = (value: Date | string) => (typeof value === 'string' ? value : value.toISOString()).slice(0, 10);

export function isActiveOn(row: MaybePeriod, at: Date): boolean {
  const day = dayString(at);
  return (
    (!row.activeFrom || dayString(row.activeFrom) <= day) && (!row.activeUntil || dayString(row.activeUntil) >= day)
  );
}

/** The records valid on a day: the one time filter for every record with activeFrom/activeUntil. */
export function validOn<T extends MaybePeriod>(records: readonly T[], at: Date): T[] {
  return records.filter((r) => isActiveOn(r, at));
}

/** The same rule as a Prisma filter. */
export function activeOnWhere(at: Date) {
  const day = dayOf(at);
  return {
    AND: [
      { OR: [{ activeFrom: null }, { activeFrom: { lte: day } }] },
      { OR: [{ activeUntil: null }, { activeUntil: { gte: day } }] },
    ],
  };
}
