// The TCF Global Vendor List's own definitions — purposes, special purposes,
// features, special features and data categories — in the list's words, per
// locale: English from the list itself, other languages from its translation
// files (purposes-de.json, …). Shared reference data (admin), written by the
// import (src/tcf/import.ts).
import { z } from 'zod';
import type { Prisma } from '../db/client.js';
import { TcfDefinitionKind } from '../db/generated/enums.js';
import { fieldsOf, mapping } from './mapping.js';
import { localizedText, prose } from './primitives.js';
import type { RecordType } from './record.js';

/** Per locale, a list of texts: the list's illustrations of a purpose. */
const localizedList = z.record(z.string().max(35), z.array(prose(5000)).max(50));

export const tcfDefinitionSchema = z.strictObject({
  kind: z.enum(TcfDefinitionKind),
  tcfId: z.number().int().min(1).max(1000),
  name: localizedText(500),
  description: localizedText(10_000),
  illustrations: localizedList.optional(),
  /** v2 lists: the legal text beside the user-facing description. */
  descriptionLegal: localizedText(10_000).optional(),
  /** The gvlSpecificationVersion of the list the texts come from. */
  specVersion: z.number().int().min(1).max(100),
});
export type TcfDefinitionItem = z.output<typeof tcfDefinitionSchema>;

type Row = Prisma.TcfDefinitionGetPayload<object>;

const f = fieldsOf<Row>();
const columns = mapping<TcfDefinitionItem, Row>()({
  kind: f.value('kind'),
  tcfId: f.value('tcfId'),
  name: f.json('name'),
  description: f.json('description'),
  illustrations: f.optionalJson('illustrations'),
  descriptionLegal: f.optionalJson('descriptionLegal'),
  specVersion: f.value('specVersion'),
});

/** "purpose-7", "data-category-3". */
export const definitionKey = (d: { kind: TcfDefinitionKind; tcfId: number }) =>
  `${d.kind.toLowerCase().replace('_', '-')}-${d.tcfId}`;

export const tcfDefinition: RecordType<TcfDefinitionItem, Row, null> = {
  typename: 'TcfDefinition',
  schema: tcfDefinitionSchema,
  keyOf: definitionKey,
  load: (tx, id) => tx.tcfDefinition.findUnique({ where: { id } }),
  toItem: columns.toItem,
  owner: () => ({ kind: 'shared' }),
  ownerOfNew: async () => ({ kind: 'shared' }),
  insert: (tx, _parent, item) => tx.tcfDefinition.create({ data: columns.createColumns(item) }),
  update: async (tx, row, item, revision) =>
    (
      await tx.tcfDefinition.updateMany({
        where: { id: row.id, revision: revision ?? row.revision },
        data: { ...columns.updateColumns(item), revision: { increment: 1 } },
      })
    ).count,
  revisionOf: (row) => row.revision,
  unique: { kind: 'tcfId', tcfId: 'tcfId' },
};
