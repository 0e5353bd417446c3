// When a fact holds. Every fact — a record (controller entity, contact,
// processor, retention rule, other controller) and every entry of the privacy
// facts — may say from when and until when it holds, each bound either a notice
// version or a date with the precision the notice gives it:
//
//   validFrom:  privacy@2018-05-25   (the version's first day)
//   validUntil: privacy@2015-10-05   (that version's last day: the day before the
//                                     next published version of the notice took effect)
//   validFrom:  2025-11              (a month: from 1 November 2025)
//   validUntil: 2026-03-31           (a day)
//
// Both ends are inclusive and either may be open: a fact stated by versions 1.0
// to 2.0 is `validFrom: privacy@1.0, validUntil: privacy@2.0`. One rule turns
// bounds into the days a fact holds (periodOf) and says whether it holds on a
// day (holdsOn); the API, the exports and the completeness report all ask it.
// Rows keep the resolved days too (activeFrom/activeUntil), so SQL filters give
// the same answer; they are refreshed when a notice version they depend on
// changes (refreshPeriods).
import { z } from 'zod';
import type { Tx } from '../db/client.js';
import { checkPartialDate } from '../validation/fields.js';
import { refuse, type Path } from './errors.js';

// ---------------------------------------------------------------------------
// Dates with a precision

export type DatePrecision = 'MONTH' | 'DAY';

/** "2025-11" is a month, "2025-11-03" a day. */
export const precisionOf = (date: string): DatePrecision => (date.length === 7 ? 'MONTH' : 'DAY');

/** The first day a partial date covers, YYYY-MM-DD. */
export const firstDay = (date: string) => (date.length === 7 ? `${date}-01` : date);

/** The last day a partial date covers, YYYY-MM-DD. */
export function lastDay(date: string): string {
  if (date.length !== 7) return date;
  const [y, m] = date.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

/** A stored first day and its precision, back as the date was given. */
export const asGiven = (day: string, precision: DatePrecision | null | undefined) =>
  precision === 'MONTH' ? day.slice(0, 7) : day;

/** The day (UTC) a moment falls on, YYYY-MM-DD. */
export const dayOf = (at: Date) => at.toISOString().slice(0, 10);

const dayBefore = (day: string) => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
};

/** A month or a day, as notices give dates ("Stand: November 2025"). */
export const partialDate = z
  .string()
  .max(10)
  .superRefine((value, ctx) => {
    const reason = checkPartialDate(value);
    if (reason) ctx.addIssue({ code: 'custom', message: reason, params: { code: 'INVALID_DATE' } });
  });

// ---------------------------------------------------------------------------
// Bounds

export type ParsedBound =
  { kind: 'date'; date: string; precision: DatePrecision } | { kind: 'version'; notice: string; version: string };

const NOTICE_SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

/** "privacy@1.2" → a version of the notice "privacy"; "2025-11" → a month; else null. */
export function parseBound(value: string): ParsedBound | null {
  const at = value.indexOf('@');
  if (at >= 0) {
    const notice = value.slice(0, at);
    const version = value.slice(at + 1).trim();
    return NOTICE_SLUG.test(notice) && version ? { kind: 'version', notice, version } : null;
  }
  return checkPartialDate(value) ? null : { kind: 'date', date: value, precision: precisionOf(value) };
}

/** A bound: a notice version ("privacy@1.2") or a date ("2025-11", "2025-11-03"). */
export const bound = z
  .string()
  .trim()
  .min(1)
  .max(120)
  .superRefine((value, ctx) => {
    if (parseBound(value)) return;
    const date = /^\d/.test(value);
    ctx.addIssue({
      code: 'custom',
      message: date
        ? (checkPartialDate(value) ?? 'not a date')
        : 'not a bound: a notice version ("privacy@1.2") or a date ("2025-11", "2025-11-03")',
      params: { code: date ? 'INVALID_DATE' : 'INVALID' },
    });
  });

export interface Validity {
  validFrom?: string | undefined;
  validUntil?: string | undefined;
}

/** The validity fields of a fact. */
export const validityShape = {
  validFrom: bound.optional(),
  validUntil: bound.optional(),
};

/** Two date bounds must not end before they start (version bounds are checked against the stored versions). */
export function checkDateOrder(v: Validity, ctx: z.RefinementCtx, path: (string | number)[] = []) {
  const from = v.validFrom ? parseBound(v.validFrom) : null;
  const until = v.validUntil ? parseBound(v.validUntil) : null;
  if (from?.kind === 'date' && until?.kind === 'date' && firstDay(from.date) > lastDay(until.date)) {
    ctx.addIssue({
      code: 'custom',
      path: [...path, 'validUntil'],
      message: `ends before it starts (${v.validFrom})`,
      params: { code: 'INVALID_DATE' },
    });
  }
}

/** The version bounds a fact names. */
export const versionBoundsOf = (v: Validity) =>
  [v.validFrom, v.validUntil].flatMap((b) => {
    const parsed = b ? parseBound(b) : null;
    return parsed?.kind === 'version' ? [parsed] : [];
  });

// ---------------------------------------------------------------------------
// Periods

/** A notice version as bounds see it: its first day, and whether it is served. */
export interface TimelineEntry {
  notice: string;
  version: string;
  /** YYYY-MM-DD: its first day. */
  effectiveDate: string;
  status: string;
}
export type Timeline = readonly TimelineEntry[];

/** The days a fact holds, both inclusive; null is open. */
export interface Period {
  first: string | null;
  last: string | null;
}

const SERVED = new Set(['PUBLISHED', 'ARCHIVED']);

const findVersion = (timeline: Timeline, b: { notice: string; version: string }) =>
  timeline.find((t) => t.notice === b.notice && t.version === b.version);

/** The last day a version is in force: the day before the next served version of its notice; null while none. */
function lastDayOfVersion(timeline: Timeline, v: TimelineEntry): string | null {
  const next = timeline
    .filter((t) => t.notice === v.notice && SERVED.has(t.status) && t.effectiveDate > v.effectiveDate)
    .map((t) => t.effectiveDate)
    .sort()[0];
  return next ? dayBefore(next) : null;
}

/**
 * The days a fact holds, from its bounds and the organisation's notice
 * versions. A bound naming a version the timeline lacks is reported as
 * `missing` (writes refuse it; reads treat the fact as holding on no day).
 */
export function periodOf(v: Validity, timeline: Timeline): Period & { missing: string | null } {
  let missing: string | null = null;
  const resolve = (value: string | undefined, end: 'first' | 'last'): string | null => {
    if (!value) return null;
    const b = parseBound(value);
    if (!b) return null;
    if (b.kind === 'date') return end === 'first' ? firstDay(b.date) : lastDay(b.date);
    const version = findVersion(timeline, b);
    if (!version) {
      missing ??= value;
      return end === 'first' ? '9999-12-31' : '0000-01-01';
    }
    return end === 'first' ? version.effectiveDate : lastDayOfVersion(timeline, version);
  };
  return { first: resolve(v.validFrom, 'first'), last: resolve(v.validUntil, 'last'), missing };
}

/** Whether a period covers a day (YYYY-MM-DD). */
export const covers = (p: Period, day: string) => (!p.first || p.first <= day) && (!p.last || p.last >= day);

/** Whether a fact holds on a day. */
export const holdsOn = (v: Validity, timeline: Timeline, day: string) => covers(periodOf(v, timeline), day);

/** Only the facts that hold on a day. */
export const holdingOn = <T extends Validity>(list: readonly T[], timeline: Timeline, day: string) =>
  list.filter((item) => holdsOn(item, timeline, day));

// ---------------------------------------------------------------------------
// Rows: the resolved days, kept beside the bounds for SQL filters

export interface PeriodColumns {
  activeFrom: Date | null;
  activeUntil: Date | null;
}

const toDay = (day: string | null) => (day ? new Date(`${day}T00:00:00Z`) : null);

export function periodColumns(v: Validity, timeline: Timeline): PeriodColumns {
  const p = periodOf(v, timeline);
  return { activeFrom: toDay(p.first), activeUntil: toDay(p.last) };
}

/**
 * Anything with resolved days: a row (DATE columns as Date), or a record read
 * elsewhere with YYYY-MM-DD strings. An absent bound is open.
 */
export interface MaybePeriod {
  activeFrom?: Date | string | null;
  activeUntil?: Date | string | null;
}

const dayString = (value: Date | string) => (typeof value === 'string' ? value.slice(0, 10) : dayOf(value));

/** A row holds on a moment's day: the same rule, on its resolved days. */
export function rowActiveOn(row: MaybePeriod, at: Date): boolean {
  return covers(
    {
      first: row.activeFrom ? dayString(row.activeFrom) : null,
      last: row.activeUntil ? dayString(row.activeUntil) : null,
    },
    dayOf(at),
  );
}

/** The records that hold on a moment's day: the one time filter for every record with resolved days. */
export const validOn = <T extends MaybePeriod>(records: readonly T[], at: Date): T[] =>
  records.filter((r) => rowActiveOn(r, at));

/** The same rule as a Prisma filter on the resolved days. */
export function rowActiveOnWhere(at: Date) {
  const day = toDay(dayOf(at))!;
  return {
    AND: [
      { OR: [{ activeFrom: null }, { activeFrom: { lte: day } }] },
      { OR: [{ activeUntil: null }, { activeUntil: { gte: day } }] },
    ],
  };
}

/** The notice versions of an organisation, as bounds see them. */
export async function organisationTimeline(tx: Tx, organisationId: string): Promise<TimelineEntry[]> {
  const notices = await tx.notice.findMany({
    where: { organisationId },
    select: { slug: true, versions: { select: { version: true, effectiveDate: true, status: true } } },
  });
  return notices.flatMap((n) =>
    n.versions.map((v) => ({
      notice: n.slug,
      version: v.version,
      effectiveDate: dayOf(v.effectiveDate),
      status: v.status,
    })),
  );
}

/** Refuses bounds naming versions the organisation does not have, and periods that end before they start. */
export function checkBounds(v: Validity, timeline: Timeline, at: Path) {
  for (const field of ['validFrom', 'validUntil'] as const) {
    const value = v[field];
    const b = value ? parseBound(value) : null;
    if (b?.kind === 'version' && !findVersion(timeline, b)) {
      refuse('NOT_FOUND', `no version "${b.version}" of the notice "${b.notice}"`, [...at, field]);
    }
  }
  const p = periodOf(v, timeline);
  if (p.first && p.last && p.first > p.last) {
    refuse('INVALID', `ends (${p.last}) before it starts (${p.first})`, [...at, 'validUntil']);
  }
}

type PeriodDelegate = {
  findMany(
    args: object,
  ): Promise<({ id: string; validFrom: string | null; validUntil: string | null } & PeriodColumns)[]>;
  update(args: object): Promise<unknown>;
};

/**
 * Re-resolves the days of an organisation's records whose bounds name notice
 * versions: a version's date or status changed, or a new version ended the
 * one a fact runs until. Derived values only: no revision, no audit event.
 */
export async function refreshPeriods(tx: Tx, organisationId: string) {
  const timeline = await organisationTimeline(tx, organisationId);
  const delegates = [
    tx.controllerEntity,
    tx.contact,
    tx.processor,
    tx.retentionRule,
    tx.otherController,
  ] as unknown as PeriodDelegate[];
  const where = {
    organisationId,
    OR: [{ validFrom: { contains: '@' } }, { validUntil: { contains: '@' } }],
  };
  const same = (a: Date | null, b: Date | null) => (a?.getTime() ?? null) === (b?.getTime() ?? null);
  for (const delegate of delegates) {
    const rows = await delegate.findMany({
      where,
      select: { id: true, validFrom: true, validUntil: true, activeFrom: true, activeUntil: true },
    });
    for (const row of rows) {
      const next = periodColumns(
        { validFrom: row.validFrom ?? undefined, validUntil: row.validUntil ?? undefined },
        timeline,
      );
      if (!same(next.activeFrom, row.activeFrom) || !same(next.activeUntil, row.activeUntil)) {
        await delegate.update({ where: { id: row.id }, data: next });
      }
    }
  }
}

/** The facts (by type and key) whose bounds name a notice version ("privacy@1.2"). */
export async function factsNaming(tx: Tx, organisationId: string, reference: string): Promise<string[]> {
  const where = { organisationId, OR: [{ validFrom: reference }, { validUntil: reference }] };
  const select = { key: true } as const;
  const [entities, contacts, processors, rules, others, profile] = await Promise.all([
    tx.controllerEntity.findMany({ where, select }),
    tx.contact.findMany({ where, select }),
    tx.processor.findMany({ where, select }),
    tx.retentionRule.findMany({ where, select }),
    tx.otherController.findMany({ where, select }),
    tx.privacyProfile.findUnique({ where: { organisationId }, select: { facts: true } }),
  ]);
  const named = [
    ...entities.map((r) => `controller entity ${r.key}`),
    ...contacts.map((r) => `contact ${r.key}`),
    ...processors.map((r) => `processor ${r.key}`),
    ...rules.map((r) => `retention rule ${r.key}`),
    ...others.map((r) => `other controller ${r.key}`),
  ];
  if (profile && JSON.stringify(profile.facts).includes(JSON.stringify(reference))) named.push('privacy facts');
  return named;
}
