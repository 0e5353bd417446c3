// Notices, their dated versions and their translations. A notice is one
// document of an organisation; a version is dated and moves one way, draft →
// published → archived; once published it never changes (a new version is how
// a notice changes); a translation is one locale of a version, made of ordered
// sections. Drafts are visible only to those who may write the organisation.
import { z } from 'zod';
import type { Prisma, Tx } from '../db/client.js';
import { NoticeKind, NoticeVersionStatus } from '../db/generated/enums.js';
import { sectionRecord } from '../notice/sections.js';
import { sectionAnchors } from './anchors.js';
import { firstDifference } from './compare.js';
import { refuse, type Path } from './errors.js';
import { columns as stored, fieldsOf, fromDate, mapping, toDate } from './mapping.js';
import { ownedByOrganisation, withOrganisation, type OrganisationParent } from './owned.js';
import { key, LIMITS, locale, prose, text } from './primitives.js';
import { organisationOwner, type RecordType } from './record.js';
import {
  asGiven,
  factsNaming,
  firstDay,
  partialDate,
  precisionOf,
  refreshPeriods,
  type DatePrecision,
} from './validity.js';

/** A date a notice gives (a month or a day) ↔ its first day and its precision. */
function partialDateColumns<K extends string, P extends string, R>(day: K, precision: P) {
  return stored<string, { [X in K]: Date } & { [X in P]: DatePrecision }, R>(
    (value) => ({ [day]: toDate(firstDay(value)), [precision]: precisionOf(value) }) as never,
    (row) => asGiven(fromDate((row as Record<string, Date>)[day]!), (row as Record<string, DatePrecision>)[precision]),
  );
}
function optionalPartialDateColumns<K extends string, P extends string, R>(day: K, precision: P) {
  return stored<string | undefined, { [X in K]: Date | null } & { [X in P]: DatePrecision }, R>(
    (value) =>
      ({ [day]: value ? toDate(firstDay(value)) : null, [precision]: value ? precisionOf(value) : 'DAY' }) as never,
    (row) => {
      const date = (row as Record<string, Date | null>)[day];
      return date ? asGiven(fromDate(date), (row as Record<string, DatePrecision>)[precision]) : undefined;
    },
  );
}

// ---------------------------------------------------------------------------
// In force

/** Versions that count for "in force": published, or archived (in force in the past). */
export const servedStatuses: NoticeVersionStatus[] = ['PUBLISHED', 'ARCHIVED'];

/** A version that took effect by `at`, of those that are served (a Prisma filter). */
export const takenEffectWhere = (at: Date) => ({ status: { in: servedStatuses }, effectiveDate: { lte: at } });

/** The version in force on `at`: the served version with the latest effective date up to then. */
export function versionInForce<V extends { status: string; effectiveDate: Date }>(versions: readonly V[], at: Date) {
  return versions
    .filter((v) => (servedStatuses as string[]).includes(v.status) && v.effectiveDate <= at)
    .reduce<V | null>((best, v) => (!best || v.effectiveDate > best.effectiveDate ? v : best), null);
}

/**
 * A translation in force on a day, in SQL (the rule of src/domain/notice-timeline.ts):
 * its version and it had taken effect; no later version had a translation in the
 * same locale by then; and an archived version only until the next version.
 */
export function translationInForceSql(t: string, v: string, at: string): string {
  const served = (alias: string) => `${alias}."status" IN ('PUBLISHED', 'ARCHIVED')`;
  const effective = (tr: string, ver: string) => `COALESCE(${tr}."effectiveDate", ${ver}."effectiveDate") <= ${at}`;
  const later = (ver: string) =>
    `${ver}."noticeId" = ${v}."noticeId" AND ${served(ver)} AND ${ver}."effectiveDate" > ${v}."effectiveDate" AND ${ver}."effectiveDate" <= ${at}`;
  return `${served(v)} AND ${v}."effectiveDate" <= ${at} AND ${effective(t, v)}
    AND NOT EXISTS (SELECT 1 FROM "NoticeTranslation" t2 JOIN "NoticeVersion" v2 ON v2."id" = t2."versionId"
      WHERE ${later('v2')} AND t2."locale" = ${t}."locale" AND ${effective('t2', 'v2')})
    AND (${v}."status" = 'PUBLISHED' OR NOT EXISTS (SELECT 1 FROM "NoticeVersion" v3
      WHERE ${later('v3')} AND EXISTS (SELECT 1 FROM "NoticeTranslation" t3 WHERE t3."versionId" = v3."id" AND ${effective('t3', 'v3')})))`;
}

// ---------------------------------------------------------------------------
// Notice

export const noticeSchema = z.strictObject({
  slug: key,
  kind: z.enum(NoticeKind).default('PRIVACY'),
});
export type NoticeItem = z.output<typeof noticeSchema>;

const noticeInclude = withOrganisation satisfies Prisma.NoticeInclude;
type NoticeRow = Prisma.NoticeGetPayload<{ include: typeof noticeInclude }>;
const nf = fieldsOf<NoticeRow>();
const noticeColumns = mapping<NoticeItem, NoticeRow>()({ slug: nf.value('slug'), kind: nf.value('kind') });

export const notice: RecordType<NoticeItem, NoticeRow, OrganisationParent> = {
  typename: 'Notice',
  schema: noticeSchema,
  keyOf: (item) => item.slug,
  ...ownedByOrganisation,
  unique: { slug: 'slug' },
  load: (tx, id) => tx.notice.findUnique({ where: { id }, include: noticeInclude }),
  toItem: noticeColumns.toItem,
  insert: (tx, parent, item) =>
    tx.notice.create({ data: { ...noticeColumns.createColumns(item), organisationId: parent.organisationId } }),
  update: async (tx, row, item) => {
    await tx.notice.update({ where: { id: row.id }, data: noticeColumns.updateColumns(item) });
    return 1;
  },
  remove: async (tx, row) => (await tx.notice.deleteMany({ where: { id: row.id } })).count,
  check: async (tx, { before, after }, at) => {
    if (before && after && before.slug !== after.slug)
      refuse('INVALID', 'a notice’s slug never changes', [...at, 'slug']);
    if (before && !after) {
      const kept = await tx.noticeVersion.count({ where: { noticeId: before.id, status: { not: 'DRAFT' } } });
      if (kept > 0) refuse('CONFLICT', 'a notice with published versions is history and stays', at);
    }
  },
};

// ---------------------------------------------------------------------------
// Version

export const noticeVersionSchema = z.strictObject({
  version: text(40),
  /** A day, or a month when the notice gives only that ("Stand: November 2025"): it takes effect on the 1st. */
  effectiveDate: partialDate,
  status: z.enum(NoticeVersionStatus).default('DRAFT'),
});
export type NoticeVersionItem = z.output<typeof noticeVersionSchema>;

export interface NoticeParent {
  noticeId: string;
}

const withNotice = {
  notice: { select: { id: true, organisationId: true, organisation: { select: { id: true, slug: true } } } },
} as const;
const versionInclude = withNotice satisfies Prisma.NoticeVersionInclude;
type VersionRow = Prisma.NoticeVersionGetPayload<{ include: typeof versionInclude }>;
const vf = fieldsOf<VersionRow>();
const versionColumns = mapping<NoticeVersionItem, VersionRow>()({
  version: vf.value('version'),
  effectiveDate: partialDateColumns<'effectiveDate', 'effectiveDatePrecision', VersionRow>(
    'effectiveDate',
    'effectiveDatePrecision',
  ),
  status: vf.value('status'),
});

/** Facts whose bounds name a version hold for days that depend on the versions: re-resolve them. */
const refreshFor = (tx: Tx, noticeId: string) =>
  tx.notice
    .findUnique({ where: { id: noticeId }, select: { organisationId: true } })
    .then((n) => (n ? refreshPeriods(tx, n.organisationId) : undefined));

const NEXT_STATUS: Record<NoticeVersionStatus, NoticeVersionStatus[]> = {
  DRAFT: ['DRAFT', 'PUBLISHED'],
  PUBLISHED: ['PUBLISHED', 'ARCHIVED'],
  ARCHIVED: ['ARCHIVED'],
};

/** A version may be published once it has content and takes effect after every other published version. */
async function checkPublishable(
  tx: Tx,
  noticeId: string,
  versionId: string | null,
  item: NoticeVersionItem,
  at: Path,
  dateAt: Path,
) {
  if (versionId && (await tx.noticeTranslation.count({ where: { versionId } })) === 0) {
    refuse('INVALID', 'a version needs at least one translation before it is published', at);
  }
  const latest = await tx.noticeVersion.findFirst({
    where: { noticeId, status: 'PUBLISHED', ...(versionId ? { id: { not: versionId } } : {}) },
    orderBy: { effectiveDate: 'desc' },
  });
  if (latest && fromDate(latest.effectiveDate) >= firstDay(item.effectiveDate)) {
    refuse(
      'CONFLICT',
      `version ${latest.version} takes effect on ${fromDate(latest.effectiveDate)}; a new version must take effect after it`,
      dateAt,
    );
  }
}

export const noticeVersion: RecordType<NoticeVersionItem, VersionRow, NoticeParent> = {
  typename: 'NoticeVersion',
  schema: noticeVersionSchema,
  keyOf: (item) => item.version,
  unique: { version: 'version', effectiveDate: 'effectiveDate' },
  load: (tx, id) => tx.noticeVersion.findUnique({ where: { id }, include: versionInclude }),
  toItem: versionColumns.toItem,
  owner: (row) => organisationOwner(row.notice.organisation),
  ownerOfNew: async (tx, parent) => {
    const found = await tx.notice.findUnique({ where: { id: parent.noticeId }, include: withOrganisation });
    return found ? organisationOwner(found.organisation) : null;
  },
  visibility: (row) => (row.status === 'DRAFT' ? 'writers' : 'public'),
  insert: async (tx, parent, item) => {
    const row = await tx.noticeVersion.create({
      data: {
        ...versionColumns.createColumns(item),
        noticeId: parent.noticeId,
        publishedAt: item.status === 'DRAFT' ? null : new Date(),
      },
    });
    await refreshFor(tx, parent.noticeId);
    return row;
  },
  update: async (tx, row, item, revision) => {
    const { count } = await tx.noticeVersion.updateMany({
      where: { id: row.id, revision: revision ?? row.revision },
      data: {
        ...versionColumns.updateColumns(item),
        revision: { increment: 1 },
        ...(row.status === 'DRAFT' && item.status === 'PUBLISHED' ? { publishedAt: new Date() } : {}),
      },
    });
    if (count > 0) await refreshFor(tx, row.noticeId);
    return count;
  },
  remove: async (tx, row, revision) => {
    const { count } = await tx.noticeVersion.deleteMany({ where: { id: row.id, revision: revision ?? row.revision } });
    if (count > 0) await refreshFor(tx, row.noticeId);
    return count;
  },
  revisionOf: (row) => row.revision,
  check: async (tx, { before, after, parent }, at) => {
    if (before && !after) {
      if (before.status !== 'DRAFT') refuse('CONFLICT', 'a published version is history and stays', at);
      const reference = `${(await tx.notice.findUnique({ where: { id: before.noticeId } }))?.slug}@${before.version}`;
      const naming = await factsNaming(tx, before.notice.organisationId, reference);
      if (naming.length > 0) {
        refuse('CONFLICT', `facts hold from or until ${reference} (${naming.join(', ')}); change them first`, at);
      }
      return;
    }
    if (!after) return;
    if (before && before.status !== 'DRAFT') {
      for (const field of ['version', 'effectiveDate'] as const) {
        if (noticeVersion.toItem(before)[field] !== after[field]) {
          refuse('CONFLICT', publishedNeverChanges(before.status), [...at, field]);
        }
      }
    }
    const from = before?.status;
    if (from && !NEXT_STATUS[from].includes(after.status)) {
      const why = from === 'DRAFT' ? '' : ': published versions never change; create a new version';
      const message = `a ${from.toLowerCase()} version cannot become ${after.status.toLowerCase()}${why}`;
      refuse('CONFLICT', message, [...at, 'status']);
    }
    if (after.status === 'PUBLISHED' && from !== 'PUBLISHED') {
      // Publishing a stored draft as it is: the refusal is about the version, not one of its fields.
      const dateAt = before && fromDate(before.effectiveDate) === after.effectiveDate ? at : [...at, 'effectiveDate'];
      await checkPublishable(tx, before?.noticeId ?? parent!.noticeId, before?.id ?? null, after, at, dateAt);
    }
  },
};

const publishedNeverChanges = (status: string) =>
  `this version is ${status.toLowerCase()}: published versions never change; create a new version`;

// ---------------------------------------------------------------------------
// Translation

/** A fragment identifier as GitHub makes them from headings: letters of any script, digits, - and _. */
const anchor = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[\p{L}\p{M}\p{N}_-]+$/u, 'must be letters, digits, hyphens and underscores (e.g. "bewaartermijnen")');

const section = z.strictObject({
  heading: text(300),
  anchor: anchor.optional(),
  level: z.number().int().min(1).max(6).default(2),
  body: prose().default(''),
});

export const noticeTranslationSchema = z
  .strictObject({
    locale,
    title: text(300),
    /** When this translation takes effect, if later than its version (a locale added, or updated, after it): a day or a month. */
    effectiveDate: partialDate.optional(),
    sections: z.array(section).min(1).max(LIMITS.sections),
  })
  .superRefine((t, ctx) => {
    const seen = new Map<string, number>();
    t.sections.forEach((s, i) => {
      if (!s.anchor) return;
      const first = seen.get(s.anchor);
      if (first === undefined) seen.set(s.anchor, i);
      else {
        ctx.addIssue({
          code: 'custom',
          path: ['sections', i, 'anchor'],
          message: `duplicate anchor "${s.anchor}" (first at index ${first})`,
          params: { code: 'DUPLICATE' },
        });
      }
    });
  })
  // Every section gets a stable anchor: the one given, else one made from its heading.
  .transform((t) => {
    const anchors = sectionAnchors(t.sections);
    return { ...t, sections: t.sections.map((s, i) => ({ ...s, anchor: anchors[i]! })) };
  });
export type NoticeTranslationItem = z.output<typeof noticeTranslationSchema>;

export interface VersionParent {
  versionId: string;
}

const translationInclude = {
  version: { select: { id: true, status: true, revision: true, ...withNotice } },
  sections: { orderBy: { position: 'asc' } },
} as const satisfies Prisma.NoticeTranslationInclude;
type TranslationRow = Prisma.NoticeTranslationGetPayload<{ include: typeof translationInclude }>;

const tf = fieldsOf<TranslationRow>();
// Sections are rows; what is derived from their text (HTML, plain text, language) depends on the locale.
const translationColumns = mapping<Omit<NoticeTranslationItem, 'sections'>, TranslationRow>()({
  locale: tf.value('locale'),
  title: tf.value('title'),
  effectiveDate: optionalPartialDateColumns<'effectiveDate', 'effectiveDatePrecision', TranslationRow>(
    'effectiveDate',
    'effectiveDatePrecision',
  ),
});
const sectionRows = (item: NoticeTranslationItem) =>
  item.sections.map((s, position) => ({ ...sectionRecord(s, item.locale), position }));

/** Refuses unless the version is a draft: published versions never change. */
export function requireDraft(version: { status: NoticeVersionStatus }, at: Path) {
  if (version.status !== 'DRAFT') refuse('CONFLICT', publishedNeverChanges(version.status), at);
}

/** A change of a translation is a change of its version's content: its revision moves too. */
const bumpVersion = (tx: Tx, versionId: string) =>
  tx.noticeVersion.update({ where: { id: versionId }, data: { revision: { increment: 1 } } });

export const noticeTranslation: RecordType<NoticeTranslationItem, TranslationRow, VersionParent> = {
  typename: 'NoticeTranslation',
  schema: noticeTranslationSchema,
  keyOf: (item) => item.locale,
  unique: { locale: 'locale', anchor: 'sections', position: 'sections' },
  load: (tx, id) => tx.noticeTranslation.findUnique({ where: { id }, include: translationInclude }),
  toItem: (row) => ({
    ...translationColumns.toItem(row),
    sections: row.sections.map(({ anchor, heading, level, body }) => ({ anchor, heading, level, body })),
  }),
  owner: (row) => organisationOwner(row.version.notice.organisation),
  ownerOfNew: (tx, parent) =>
    tx.noticeVersion
      .findUnique({ where: { id: parent.versionId }, include: withNotice })
      .then((v) => (v ? organisationOwner(v.notice.organisation) : null)),
  visibility: (row) => (row.version.status === 'DRAFT' ? 'writers' : 'public'),
  insert: async (tx, parent, item) => {
    const row = await tx.noticeTranslation.create({
      data: {
        ...translationColumns.createColumns(item),
        versionId: parent.versionId,
        sections: { create: sectionRows(item) },
      },
    });
    await bumpVersion(tx, parent.versionId);
    return row;
  },
  update: async (tx, row, item) => {
    await tx.noticeTranslation.update({
      where: { id: row.id },
      data: { ...translationColumns.updateColumns(item), sections: { deleteMany: {}, create: sectionRows(item) } },
    });
    await bumpVersion(tx, row.versionId);
    return 1;
  },
  remove: async (tx, row) => {
    const { count } = await tx.noticeTranslation.deleteMany({ where: { id: row.id } });
    await bumpVersion(tx, row.versionId);
    return count;
  },
  check: async (tx, { before, after, parent, createdHere }, at) => {
    const versionId = before?.versionId ?? parent!.versionId;
    const version = await tx.noticeVersion.findUnique({
      where: { id: versionId },
      select: { status: true, effectiveDate: true },
    });
    if (!version) refuse('NOT_FOUND', 'no NoticeVersion has this id', at);
    const versionDate = fromDate(version.effectiveDate);
    if (after?.effectiveDate && firstDay(after.effectiveDate) < versionDate) {
      refuse('INVALID_DATE', `a translation takes effect on or after its version (${versionDate})`, [
        ...at,
        'effectiveDate',
      ]);
    }
    // A draft changes freely; a version a manifest creates arrives with its translations, whatever its status.
    if (version.status === 'DRAFT' || createdHere(versionId)) return;
    // A published version may gain a locale, taking effect on its own date; nothing it has changes.
    if (!before && after && version.status === 'PUBLISHED') {
      if (!after.effectiveDate) {
        refuse(
          'REQUIRED',
          `a translation added to a published version needs the day it takes effect (on or after ${versionDate})`,
          [...at, 'effectiveDate'],
        );
      }
      return;
    }
    // Name the first field that would change, so a manifest's author finds it.
    const where = before && after ? firstDifference(noticeTranslation.toItem(before), after) : null;
    requireDraft(version, where ? [...at, ...where] : at);
  },
};
