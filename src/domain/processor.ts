// Processors: the service providers that process data for an organisation.
// Never deleted: ending one retires it (status RETIRED, activeUntil set), so
// its history stays readable.
import { z } from 'zod';
import type { Prisma, Tx } from '../db/client.js';
import { ProcessorRole, ProcessorStatus, TransferSafeguard } from '../db/generated/enums.js';
import { compact, fieldsOf, mapping } from './mapping.js';
import { ownedByOrganisation, withOrganisation, type OrganisationParent } from './owned.js';
import { activeOnWhere, isActiveOn } from './period.js';
import { calendarDate, countryCode, key, localizedText, text, webUrl } from './primitives.js';
import { claimThenWrite, type RecordType } from './record.js';

const dataLocation = z.union([
  countryCode.transform((country) => ({ country, locality: undefined as string | undefined })),
  z.strictObject({ country: countryCode, locality: text().optional() }),
]);

const byPlace = (a: { country: string; locality?: string }, b: { country: string; locality?: string }) =>
  a.country.localeCompare(b.country) || (a.locality ?? '').localeCompare(b.locality ?? '');

export const processorSchema = z.strictObject({
  key,
  name: text(),
  legalName: text().optional(),
  website: webUrl.optional(),
  role: z.enum(ProcessorRole),
  service: localizedText(1000),
  headquartersCountry: countryCode.optional(),
  // A set of places: kept in one order, so the same places always compare equal.
  dataLocations: z
    .array(dataLocation)
    .max(50)
    .default([])
    .transform((list) => list.map((l) => compact(l)).sort(byPlace)),
  certifications: z.array(text(100)).max(50).default([]),
  transferSafeguard: z.enum(TransferSafeguard),
  agreementInPlace: z.boolean().optional(),
  status: z.enum(ProcessorStatus).default('ACTIVE'),
  activeFrom: calendarDate.optional(),
  activeUntil: calendarDate.optional(),
});
export type ProcessorItem = z.output<typeof processorSchema>;

const include = {
  ...withOrganisation,
  dataLocations: { orderBy: [{ country: 'asc' }, { locality: 'asc' }] },
} as const satisfies Prisma.ProcessorInclude;
type Row = Prisma.ProcessorGetPayload<{ include: typeof include }>;

const locationRows = (list: ProcessorItem['dataLocations']) =>
  list.map((l) => ({ country: l.country, locality: l.locality ?? null }));

const f = fieldsOf<Row>();
const columns = mapping<ProcessorItem, Row>()({
  key: f.value('key'),
  name: f.value('name'),
  legalName: f.optional('legalName'),
  website: f.optional('website'),
  role: f.value('role'),
  service: f.json('service'),
  headquartersCountry: f.optional('headquartersCountry'),
  dataLocations: {
    create: (list) => ({ dataLocations: { create: locationRows(list) } }),
    update: (list) => ({ dataLocations: { deleteMany: {}, create: locationRows(list) } }),
    read: (row) => row.dataLocations.map((l) => compact({ country: l.country, locality: l.locality ?? undefined })),
  },
  certifications: f.value('certifications'),
  transferSafeguard: f.value('transferSafeguard'),
  agreementInPlace: f.optional('agreementInPlace'),
  status: f.value('status'),
  activeFrom: f.optionalDate('activeFrom'),
  activeUntil: f.optionalDate('activeUntil'),
});

export const processor: RecordType<ProcessorItem, Row, OrganisationParent> = {
  typename: 'Processor',
  schema: processorSchema,
  keyOf: (item) => item.key,
  ...ownedByOrganisation,
  load: (tx, id) => tx.processor.findUnique({ where: { id }, include }),
  toItem: columns.toItem,
  insert: (tx, parent, item) =>
    tx.processor.create({ data: { ...columns.createColumns(item), organisationId: parent.organisationId } }),
  update: (tx, row, item, revision) =>
    claimThenWrite(
      tx.processor.updateMany({
        where: { id: row.id, revision: revision ?? row.revision },
        data: { revision: { increment: 1 } },
      }),
      () => tx.processor.update({ where: { id: row.id }, data: columns.updateColumns(item) }),
    ),
  revisionOf: (row) => row.revision,
};

/** Retiring: what ending a processor's service changes. */
export const retired = (item: ProcessorItem, on: string): ProcessorItem => ({
  ...item,
  status: 'RETIRED',
  activeUntil: item.activeUntil ?? on,
});

/** In use on a day: not retired, and within its period. */
export const inUseOn = (row: { status: string; activeFrom: Date | null; activeUntil: Date | null }, at: Date) =>
  row.status !== 'RETIRED' && isActiveOn(row, at);

export const inUseOnWhere = (at: Date) => ({ status: { not: 'RETIRED' as const }, ...activeOnWhere(at) });

export type { Tx };
