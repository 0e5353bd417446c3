// processorCreate / processorUpdate / processorRetire. Processors are never
// deleted: retiring sets activeUntil and the status, so their history stays.
import type { Tx } from '../../db/client.js';
import { decodeLocations, itemOf, processorColumns } from '../../manifest/records.js';
import { processorSchema } from '../../manifest/schema.js';
import { builder } from '../builder.js';
import type { ChildSpec } from '../common/child-mutations.js';
import { registerChildMutations } from '../common/register-mutations.js';
import { ProcessorRoleEnum, ProcessorStatusEnum, TransferSafeguardEnum } from '../common/enums.js';
import { LocalizedStringInput, localizedMap, plain } from '../common/inputs.js';
import { ProcessorRef } from './types.js';

const include = { organisation: { select: { slug: true } }, dataLocations: true } as const;
type Row = Awaited<ReturnType<typeof load>>;
const load = (tx: Tx, id: string) => tx.processor.findUnique({ where: { id }, include });

function columnsFor(item: Parameters<typeof processorColumns>[0]) {
  const { dataLocations, ...columns } = processorColumns(item);
  return { columns, locations: decodeLocations(dataLocations) };
}

export const processorSpec: ChildSpec<NonNullable<Row>, typeof processorSchema> = {
  typename: 'Processor',
  field: 'processor',
  schema: processorSchema,
  load: load as never,
  keyFrom: (item) => String(item.name ?? 'processor'),
  toItem: (p) => ({
    ...itemOf(p, [
      'key', 'name', 'legalName', 'website', 'role', 'service', 'headquartersCountry', 'certifications',
      'transferSafeguard', 'agreementInPlace', 'status', 'activeFrom', 'activeUntil',
    ]), // prettier-ignore
    dataLocations: p.dataLocations.map((l) => itemOf(l, ['country', 'locality'])),
  }),
  create: async (tx, organisationId, item) => {
    const { columns, locations } = columnsFor(item);
    const row = await tx.processor.create({
      data: { ...columns, organisationId, dataLocations: { create: locations } } as never,
    });
    return row.id;
  },
  update: async (tx, id, expected, item) => {
    const { columns, locations } = columnsFor(item);
    const { count } = await tx.processor.updateMany({
      where: { id, revision: expected },
      data: { ...columns, revision: { increment: 1 } } as never,
    });
    if (count > 0) {
      await tx.processorDataLocation.deleteMany({ where: { processorId: id } });
      await tx.processorDataLocation.createMany({ data: locations.map((l) => ({ ...l, processorId: id })) });
    }
    return count;
  },
};

const DataLocationInput = builder.inputType('DataLocationInput', {
  fields: (t) => ({
    country: t.string({ required: true }),
    locality: t.string(),
  }),
});

registerChildMutations({
  noun: 'processor',
  spec: processorSpec,
  ref: ProcessorRef,
  fields: (t, required) => ({
    name: t.string({ required }),
    legalName: t.string(),
    website: t.string(),
    role: t.field({ type: ProcessorRoleEnum, required }),
    service: t.field({
      type: [LocalizedStringInput],
      required,
      description: 'What the processor does, in one or more languages.',
    }),
    headquartersCountry: t.string(),
    dataLocations: t.field({ type: [DataLocationInput] }),
    certifications: t.stringList(),
    transferSafeguard: t.field({ type: TransferSafeguardEnum, required }),
    agreementInPlace: t.boolean(),
    status: t.field({ type: ProcessorStatusEnum }),
    activeFrom: t.string({ description: 'YYYY-MM-DD' }),
    activeUntil: t.string({ description: 'YYYY-MM-DD' }),
  }),
  patch: (input) => plain({ ...input, service: localizedMap(input.service as never) }),
  end: {
    name: 'retire',
    description: 'Ends a processor’s service: sets activeUntil and the RETIRED status. Processors are never deleted.',
    patch: (input) => ({
      status: 'RETIRED',
      activeUntil: (input.activeUntil as string | null | undefined) ?? new Date().toISOString().slice(0, 10),
    }),
  },
});
