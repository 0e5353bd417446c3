// An imported version of the IAB TCF Global Vendor List: shared reference
// data (admin), written once per version by the import (src/tcf/import.ts)
// and never changed after. Its ordinal is its place among the imported
// lists; imports only go forward, so a larger ordinal is a newer list.
import { z } from 'zod';
import type { Prisma } from '../db/client.js';
import { columns as stored, fieldsOf, mapping } from './mapping.js';
import { instant, localizedText } from './primitives.js';
import type { RecordType } from './record.js';

const version = z.number().int().min(1).max(1_000_000);

export const tcfVendorListSchema = z.strictObject({
  specVersion: version,
  version,
  policyVersion: version,
  lastUpdated: instant,
  ordinal: z.number().int().min(1),
  vendorCount: z.number().int().min(0).max(100_000),
  /** The list's standard texts (v3), by key, each per locale. */
  standardTexts: z.record(z.string().max(100), localizedText(5000)).optional(),
});
export type TcfVendorListItem = z.output<typeof tcfVendorListSchema>;

type Row = Prisma.TcfVendorListGetPayload<object>;

const f = fieldsOf<Row>();
const columns = mapping<TcfVendorListItem, Row>()({
  specVersion: f.value('specVersion'),
  version: f.value('version'),
  policyVersion: f.value('policyVersion'),
  lastUpdated: stored<string, { lastUpdated: Date }, Row>(
    (value) => ({ lastUpdated: new Date(value) }),
    (row) => row.lastUpdated.toISOString(),
  ),
  ordinal: f.value('ordinal'),
  vendorCount: f.value('vendorCount'),
  standardTexts: f.optionalJson('standardTexts'),
});

/** "3/17": the specification and list versions, as people name a list. */
export const listLabel = (l: { specVersion: number; version: number }) => `${l.specVersion}/${l.version}`;

export const tcfVendorList: RecordType<TcfVendorListItem, Row, null> = {
  typename: 'TcfVendorList',
  schema: tcfVendorListSchema,
  keyOf: listLabel,
  load: (tx, id) => tx.tcfVendorList.findUnique({ where: { id } }),
  toItem: columns.toItem,
  owner: () => ({ kind: 'shared' }),
  ownerOfNew: async () => ({ kind: 'shared' }),
  insert: (tx, _parent, item) => tx.tcfVendorList.create({ data: columns.createColumns(item) }),
  // A published list version never changes; an import of the same version writes nothing to it.
  update: async (tx, row, item) =>
    (await tx.tcfVendorList.updateMany({ where: { id: row.id }, data: columns.updateColumns(item) })).count,
  unique: { ordinal: 'ordinal', specVersion: 'version', version: 'version' },
};
