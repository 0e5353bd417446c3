// What a vendor of the IAB TCF Global Vendor List declares: its purposes with
// their legal bases, special purposes, features, special features, data
// categories, retention, cookie facts and policy URLs per language. One per
// organisation of source TCF, written by the import (src/tcf/import.ts) only.
//
// `since` names the list version in which the vendor first declared what it
// declares now; every insert or update also keeps the declaration as that
// list gave it (TcfVendorRevision), so a vendor's history across list
// versions and the difference between two versions can be read back.
import { z } from 'zod';
import type { Prisma } from '../db/client.js';
import { TcfLegalBasis } from '../db/generated/enums.js';
import { changedFields } from './compare.js';
import { columns as stored, compact, fieldsOf, mapping } from './mapping.js';
import { inOrderOf, ownedByOrganisation, withOrganisation, type OrganisationParent } from './owned.js';
import { instant, locale, text, webUrl } from './primitives.js';
import type { RecordType } from './record.js';

const tcfId = z.number().int().min(1).max(1000);
/** A retention period in days, as the list gives it. */
const days = z.number().int().min(0).max(1_000_000);
const version = z.number().int().min(1).max(1_000_000);
const byId = <T extends { id: number }>(list: T[]) => [...list].sort((a, b) => a.id - b.id);
const idSet = z
  .array(tcfId)
  .max(200)
  .default([])
  .transform((ids) => [...new Set(ids)].sort((a, b) => a - b));

export const tcfVendorSchema = z
  .strictObject({
    gvlId: z.number().int().min(1).max(1_000_000),
    name: text(),
    purposes: z
      .array(
        z.strictObject({
          id: tcfId,
          /** Declared under `purposes` (consent) or `legIntPurposes` (legitimate interest). */
          legalBasis: z.enum(TcfLegalBasis),
          /** Also in `flexiblePurposes`: the vendor may switch to the other basis. */
          flexible: z.boolean().default(false),
          /** The vendor's retention for this purpose; without it, standardRetentionDays applies. */
          retentionDays: days.optional(),
        }),
      )
      .max(200)
      .default([])
      .transform(byId),
    specialPurposes: z
      .array(z.strictObject({ id: tcfId, retentionDays: days.optional() }))
      .max(200)
      .default([])
      .transform(byId),
    features: idSet,
    specialFeatures: idSet,
    dataCategories: idSet,
    standardRetentionDays: days.optional(),
    usesCookies: z.boolean().optional(),
    cookieMaxAgeSeconds: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    cookieRefresh: z.boolean().optional(),
    usesNonCookieAccess: z.boolean().optional(),
    deviceStorageDisclosureUrl: webUrl.optional(),
    urls: z
      // Without a locale: a v2 list's policyUrl, whose language the list does not say.
      .array(z.strictObject({ locale: locale.optional(), privacy: webUrl.optional(), legIntClaim: webUrl.optional() }))
      .max(100)
      .default([]),
    overflowHttpGetLimit: z.number().int().min(1).max(1_000_000).optional(),
    deletedDate: instant.optional(),
    since: z.strictObject({ specVersion: version, version }),
  })
  .superRefine((v, ctx) => {
    const seen = (ids: number[], path: string) =>
      ids.forEach((id, i) => {
        if (ids.indexOf(id) !== i)
          ctx.addIssue({ code: 'custom', path: [path, i], message: `${path} ${id} is listed twice` });
      });
    seen(
      v.purposes.map((p) => p.id),
      'purposes',
    );
    seen(
      v.specialPurposes.map((p) => p.id),
      'specialPurposes',
    );
    const locales = v.urls.map((u) => u.locale?.toLowerCase() ?? '');
    locales.forEach((l, i) => {
      if (locales.indexOf(l) !== i)
        ctx.addIssue({
          code: 'custom',
          path: ['urls', i, 'locale'],
          message: `two sets of URLs for "${l || 'no locale'}"`,
        });
    });
  });
export type TcfVendorItem = z.output<typeof tcfVendorSchema>;
/** What a list declares of a vendor: the record without the list it first appeared in. */
export type TcfVendorFacts = Omit<TcfVendorItem, 'since'>;

const include = {
  ...withOrganisation,
  sinceList: { select: { specVersion: true, version: true } },
  purposes: { orderBy: { tcfId: 'asc' } },
  specialPurposes: { orderBy: { tcfId: 'asc' } },
} as const satisfies Prisma.TcfVendorInclude;
type Row = Prisma.TcfVendorGetPayload<{ include: typeof include }>;

const purposeRows = (list: TcfVendorItem['purposes']) =>
  list.map((p) => ({
    tcfId: p.id,
    legalBasis: p.legalBasis,
    flexible: p.flexible,
    retentionDays: p.retentionDays ?? null,
  }));
const specialPurposeRows = (list: TcfVendorItem['specialPurposes']) =>
  list.map((p) => ({ tcfId: p.id, retentionDays: p.retentionDays ?? null }));
const sinceList = (since: TcfVendorItem['since']) => ({ sinceList: { connect: { specVersion_version: since } } });

const f = fieldsOf<Row>();
const columns = mapping<TcfVendorItem, Row>()({
  gvlId: f.value('gvlId'),
  name: f.value('name'),
  purposes: {
    create: (list) => ({ purposes: { create: purposeRows(list) } }),
    update: (list) => ({ purposes: { deleteMany: {}, create: purposeRows(list) } }),
    read: (row) =>
      row.purposes.map((p) =>
        compact({
          id: p.tcfId,
          legalBasis: p.legalBasis,
          flexible: p.flexible,
          retentionDays: p.retentionDays ?? undefined,
        }),
      ),
  },
  specialPurposes: {
    create: (list) => ({ specialPurposes: { create: specialPurposeRows(list) } }),
    update: (list) => ({ specialPurposes: { deleteMany: {}, create: specialPurposeRows(list) } }),
    read: (row) =>
      row.specialPurposes.map((p) => compact({ id: p.tcfId, retentionDays: p.retentionDays ?? undefined })),
  },
  features: f.value('features'),
  specialFeatures: f.value('specialFeatures'),
  dataCategories: f.value('dataCategories'),
  standardRetentionDays: f.optional('standardRetentionDays'),
  usesCookies: f.optional('usesCookies'),
  cookieMaxAgeSeconds: stored<number | undefined, { cookieMaxAgeSeconds: bigint | null }, Row>(
    (value) => ({ cookieMaxAgeSeconds: value === undefined ? null : BigInt(value) }),
    (row) => (row.cookieMaxAgeSeconds === null ? undefined : Number(row.cookieMaxAgeSeconds)),
  ),
  cookieRefresh: f.optional('cookieRefresh'),
  usesNonCookieAccess: f.optional('usesNonCookieAccess'),
  deviceStorageDisclosureUrl: f.optional('deviceStorageDisclosureUrl'),
  urls: f.json('urls'),
  overflowHttpGetLimit: f.optional('overflowHttpGetLimit'),
  deletedDate: stored<string | undefined, { deletedDate: Date | null }, Row>(
    (value) => ({ deletedDate: value ? new Date(value) : null }),
    (row) => row.deletedDate?.toISOString(),
  ),
  since: {
    create: sinceList,
    update: sinceList,
    read: (row) => ({ specVersion: row.sinceList.specVersion, version: row.sinceList.version }),
  },
});

export function factsOf(item: TcfVendorItem): TcfVendorFacts {
  const { since: _since, ...facts } = item;
  return facts;
}

const revisionFacts = (item: TcfVendorItem) => factsOf(item) as unknown as Prisma.InputJsonObject;

export const tcfVendor: RecordType<TcfVendorItem, Row, OrganisationParent> = {
  typename: 'TcfVendor',
  schema: tcfVendorSchema,
  keyOf: (item) => String(item.gvlId),
  ...ownedByOrganisation,
  unique: { organisationId: 'organisation', gvlId: 'gvlId' },
  load: (tx, id) => tx.tcfVendor.findUnique({ where: { id }, include }),
  toItem: columns.toItem,
  insert: (tx, parent, item) =>
    tx.tcfVendor.create({
      data: {
        ...columns.createColumns(item),
        organisation: { connect: { id: parent.organisationId } },
        revisions: {
          create: {
            list: { connect: { specVersion_version: item.since } },
            facts: revisionFacts(item),
            changedFields: [],
          },
        },
      },
    }),
  // An import's new vendors in five statements, whatever their number.
  insertMany: async (tx, entries) => {
    const lists = await tx.tcfVendorList.findMany({
      where: { OR: entries.map((e) => ({ specVersion: e.item.since.specVersion, version: e.item.since.version })) },
      select: { id: true, specVersion: true, version: true },
    });
    const listId = (since: TcfVendorItem['since']) =>
      lists.find((l) => l.specVersion === since.specVersion && l.version === since.version)!.id;
    const created = await tx.tcfVendor.createManyAndReturn({
      data: entries.map(({ parent, item }) => {
        const { purposes: _p, specialPurposes: _s, sinceList: _l, ...scalars } = columns.createColumns(item);
        return { ...scalars, organisationId: parent.organisationId, sinceListId: listId(item.since) };
      }),
      select: { id: true, gvlId: true },
    });
    const idOf = new Map(created.map((v) => [v.gvlId, v.id]));
    const ids = entries.map((e) => idOf.get(e.item.gvlId)!);
    const rows = <T>(make: (item: TcfVendorItem, vendorId: string) => T[]) =>
      entries.flatMap((e, i) => make(e.item, ids[i]!));
    await tx.tcfVendorPurpose.createMany({
      data: rows((item, vendorId) => purposeRows(item.purposes).map((p) => ({ ...p, vendorId }))),
    });
    await tx.tcfVendorSpecialPurpose.createMany({
      data: rows((item, vendorId) => specialPurposeRows(item.specialPurposes).map((p) => ({ ...p, vendorId }))),
    });
    await tx.tcfVendorRevision.createMany({
      data: rows((item, vendorId) => [
        { vendorId, listId: listId(item.since), facts: revisionFacts(item), changedFields: [] },
      ]),
    });
    return ids;
  },
  loadMany: async (tx, ids) => inOrderOf(ids, await tx.tcfVendor.findMany({ where: { id: { in: ids } }, include })),
  update: async (tx, row, item, revision) => {
    // The claim and the revision bump are one statement, so of concurrent writers one wins.
    const { count } = await tx.tcfVendor.updateMany({
      where: { id: row.id, revision: revision ?? row.revision },
      data: { revision: { increment: 1 } },
    });
    if (count === 0) return 0;
    const list = await tx.tcfVendorList.findUniqueOrThrow({
      where: { specVersion_version: item.since },
      select: { id: true },
    });
    const revisionRow = {
      facts: revisionFacts(item),
      changedFields: changedFields(factsOf(columns.toItem(row)), factsOf(item)),
    };
    await tx.tcfVendor.update({
      where: { id: row.id },
      data: {
        ...columns.updateColumns(item),
        revisions: {
          upsert: {
            where: { vendorId_listId: { vendorId: row.id, listId: list.id } },
            create: { ...revisionRow, list: { connect: { id: list.id } } },
            update: revisionRow,
          },
        },
      },
    });
    return count;
  },
  revisionOf: (row) => row.revision,
};

/** Vendor rows as the writer takes them, many at once (an import compares them all). */
export const tcfVendorRows = (tx: Prisma.TransactionClient, where: Prisma.TcfVendorWhereInput = {}) =>
  tx.tcfVendor.findMany({ where, include });

export type TcfVendorRow = Row;
