// Comparing domain records: two records are the same when their JSON is, key
// order aside. Used to decide whether a write changes anything, which fields
// it changes, and where a record first differs (to name a refused field).
import type { Path } from './errors.js';

/** Keys sorted at every depth, so two equal JSON values print the same. */
export function sortedDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedDeep);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([k, v]) => [k, sortedDeep(v)]),
    );
  }
  return value;
}

export const comparable = (value: unknown) => JSON.stringify(sortedDeep(value ?? null));

/** The top-level fields whose values differ. */
export function changedFields(before: Record<string, unknown> | null, after: Record<string, unknown> | null) {
  const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
  return [...keys].filter((k) => comparable(before?.[k]) !== comparable(after?.[k])).sort();
}

/** The path of the first value that differs (depth first), or null when the two are the same. */
export function firstDifference(a: unknown, b: unknown, at: Path = []): Path | null {
  if (comparable(a) === comparable(b)) return null;
  const bothObjects = a && b && typeof a === 'object' && typeof b === 'object';
  if (!bothObjects || Array.isArray(a) !== Array.isArray(b)) return at;
  if (Array.isArray(a) && Array.isArray(b)) {
    for (let i = 0; i < Math.max(a.length, b.length); i++) {
      const found = firstDifference(a[i], b[i], [...at, i]);
      if (found) return found;
    }
    return at;
  }
  // In the order the record gives its fields, so a given field (a heading) is named before one derived from it (its anchor).
  const keys = [...new Set([...Object.keys(b as object), ...Object.keys(a as object)])];
  for (const k of keys) {
    const found = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], [...at, k]);
    if (found) return found;
  }
  return at;
}
