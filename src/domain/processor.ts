// Processors: the service providers that process data for an organisation.
// Never deleted: ending one retires it (status RETIRED, validUntil set), so
// its history stays readable. A processor may have a postal address, work on
// some platforms only (a push service on Android), and keep data in
// countries or only on the user's device.
import { z } from 'zod';
import type { Prisma, Tx } from '../db/client.js';
import { ProcessorRole, ProcessorStatus, TransferSafeguard } from '../db/generated/enums.js';
import { activeDatesAsBounds } from './contact.js';
import {
  checkFact,
  checkRecordBounds,
  dataLocations,
  factColumns,
  factShape,
  inPlaceOrder,
  periodOfRecord,
  platforms,
  type DataLocationItem,
} from './fact.js';
import { compact, fieldsOf, mapping, optionalAddress } from './mapping.js';
import { ownedByOrganisation, withOrganisation, type OrganisationParent } from './owned.js';
import { address, countryCode, key, localizedText, text, webUrl } from './primitives.js';
import { claimThenWrite, type RecordType } from './record.js';
import { rowActiveOn, rowActiveOnWhere, type PeriodColumns } from './validity.js';

export const processorSchema = z.preprocess(
  activeDatesAsBounds,
  z
    .strictObject({
      key,
      name: text(),
      legalName: text().optional(),
      website: webUrl.optional(),
      role: z.enum(ProcessorRole),
      service: localizedText(1000),
      address: address.optional(),
      headquartersCountry: countryCode.optional(),
      dataLocations,
      platforms,
      certifications: z.array(text(100)).max(50).default([]),
      transferSafeguard: z.enum(TransferSafeguard),
      agreementInPlace: z.boolean().optional(),
      status: z.enum(ProcessorStatus).default('ACTIVE'),
      ...factShape,
    })
    .superRefine((p, ctx) => checkFact(p, ctx)),
);
export type ProcessorItem = z.output<typeof processorSchema>;

const include = {
  ...withOrganisation,
  dataLocations: { orderBy: [{ place: 'asc' }, { country: 'asc' }, { locality: 'asc' }] },
} as const satisfies Prisma.ProcessorInclude;
type Row = Prisma.ProcessorGetPayload<{ include: typeof include }>;

const locationRows = (list: DataLocationItem[]) =>
  list.map((l) =>
    'place' in l
      ? { place: 'USER_DEVICE' as const, country: null, locality: null }
      : { place: 'COUNTRY' as const, country: l.country, locality: l.locality ?? null },
  );

const locationsOf = (row: Row): DataLocationItem[] =>
  inPlaceOrder(
    row.dataLocations.map((l) =>
      l.place === 'USER_DEVICE' || !l.country
        ? ({ place: 'USER_DEVICE' } as const)
        : (compact({ country: l.country, locality: l.locality ?? undefined }) as DataLocationItem),
    ),
  );

const f = fieldsOf<Row>();
const columns = mapping<ProcessorItem, Row>()({
  key: f.value('key'),
  name: f.value('name'),
  legalName: f.optional('legalName'),
  website: f.optional('website'),
  role: f.value('role'),
  service: f.json('service'),
  address: optionalAddress<Row>(),
  headquartersCountry: f.optional('headquartersCountry'),
  dataLocations: {
    create: (list) => ({ dataLocations: { create: locationRows(list) } }),
    update: (list) => ({ dataLocations: { deleteMany: {}, create: locationRows(list) } }),
    read: locationsOf,
  },
  platforms: f.value('platforms'),
  certifications: f.value('certifications'),
  transferSafeguard: f.value('transferSafeguard'),
  agreementInPlace: f.optional('agreementInPlace'),
  status: f.value('status'),
  ...factColumns<Row>(),
});

export const processor: RecordType<ProcessorItem, Row, OrganisationParent> = {
  typename: 'Processor',
  schema: processorSchema,
  keyOf: (item) => item.key,
  ...ownedByOrganisation,
  load: (tx, id) => tx.processor.findUnique({ where: { id }, include }),
  toItem: columns.toItem,
  insert: async (tx, parent, item) =>
    tx.processor.create({
      data: {
        ...columns.createColumns(item),
        ...(await periodOfRecord(tx, parent.organisationId, item)),
        organisationId: parent.organisationId,
      },
    }),
  update: (tx, row, item, revision) =>
    claimThenWrite(
      tx.processor.updateMany({
        where: { id: row.id, revision: revision ?? row.revision },
        data: { revision: { increment: 1 } },
      }),
      async () =>
        tx.processor.update({
          where: { id: row.id },
          data: { ...columns.updateColumns(item), ...(await periodOfRecord(tx, row.organisationId, item)) },
        }),
    ),
  revisionOf: (row) => row.revision,
  check: async (tx, { before, after, parent }, at) => {
    const organisationId = parent?.organisationId ?? before?.organisationId;
    if (after && organisationId) await checkRecordBounds(tx, organisationId, after, at);
  },
};

/** Retiring: what ending a processor's service changes. */
export const retired = (item: ProcessorItem, on: string): ProcessorItem => ({
  ...item,
  status: 'RETIRED',
  validUntil: item.validUntil ?? on,
});

/** In use on a day: not retired, and within its period. */
export const inUseOn = (row: { status: string } & PeriodColumns, at: Date) =>
  row.status !== 'RETIRED' && rowActiveOn(row, at);

export const inUseOnWhere = (at: Date) => ({ status: { not: 'RETIRED' as const }, ...rowActiveOnWhere(at) });

export type { Tx };
