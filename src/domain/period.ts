// Records valid for a period (contacts, processors): activeFrom and activeUntil,
// both inclusive, either open. One rule, as a predicate and as a query filter,
// so the API, the exports and the completeness report agree on "active".
export interface Period {
  activeFrom: Date | null;
  activeUntil: Date | null;
}

/** The day a moment falls on (UTC), as DATE columns hold it. */
export const dayOf = (at: Date) => new Date(`${at.toISOString().slice(0, 10)}T00:00:00Z`);

export function isActiveOn(row: Period, at: Date): boolean {
  const day = dayOf(at);
  return (!row.activeFrom || row.activeFrom <= day) && (!row.activeUntil || row.activeUntil >= day);
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
