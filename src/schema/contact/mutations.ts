// contactCreate / Update / Delete. A contact may belong to one of the
// organisation's controller entities, named by its global ID.
import type { Tx } from '../../db/client.js';
import { contactColumns, itemOf } from '../../manifest/records.js';
import { contactSchema } from '../../manifest/schema.js';
import type { ChildSpec } from '../common/child-mutations.js';
import { ContactKindEnum } from '../common/enums.js';
import { AddressInput, LocalizedStringInput, localizedMap, plain } from '../common/inputs.js';
import { registerChildMutations } from '../common/register-mutations.js';
import { refuse } from '../common/user-errors.js';
import { localId } from '../common/write.js';
import { ContactRef } from './types.js';

const load = (tx: Tx, id: string) =>
  tx.contact.findUnique({
    where: { id },
    include: { organisation: { select: { slug: true } }, controllerEntity: { select: { key: true } } },
  });

/** The database id of the organisation's entity with this key. */
async function entityId(tx: Tx, organisationId: string, key: string | undefined) {
  if (!key) return null;
  const entity = await tx.controllerEntity.findUnique({ where: { organisationId_key: { organisationId, key } } });
  return entity?.id ?? null;
}

const spec: ChildSpec<NonNullable<Awaited<ReturnType<typeof load>>>, typeof contactSchema> = {
  typename: 'Contact',
  field: 'contact',
  schema: contactSchema,
  load,
  keyFrom: (item) => String(item.name ?? item.kind ?? 'contact'),
  prepare: async (tx, organisationId, { entityId: globalId, ...patch }) => {
    if (globalId === undefined) return patch;
    if (globalId === null) return { ...patch, entity: null };
    const id = localId(String(globalId), 'ControllerEntity', ['input', 'controllerEntity']);
    const entity = await tx.controllerEntity.findUnique({ where: { id } });
    if (!entity || entity.organisationId !== organisationId) {
      refuse('NOT_FOUND', 'no controller entity of this organisation has this id', ['input', 'controllerEntity']);
    }
    return { ...patch, entity: entity.key };
  },
  toItem: (c) => ({
    ...itemOf(c, ['key', 'kind', 'name', 'department', 'email', 'phone', 'url', 'note', 'activeFrom', 'activeUntil'], {
      address: true,
    }),
    ...(c.controllerEntity ? { entity: c.controllerEntity.key } : {}),
  }),
  create: async (tx, organisationId, item) =>
    (
      await tx.contact.create({
        data: { ...contactColumns(item, await entityId(tx, organisationId, item.entity)), organisationId } as never,
      })
    ).id,
  update: async (tx, id, expected, item) => {
    const { organisationId } = (await tx.contact.findUnique({ where: { id }, select: { organisationId: true } }))!;
    const columns = contactColumns(item, await entityId(tx, organisationId, item.entity));
    return (
      await tx.contact.updateMany({
        where: { id, revision: expected },
        data: { ...columns, revision: { increment: 1 } } as never,
      })
    ).count;
  },
  remove: async (tx, id, expected) => (await tx.contact.deleteMany({ where: { id, revision: expected } })).count,
};

registerChildMutations({
  noun: 'contact',
  spec,
  ref: ContactRef,
  fields: (t, required) => ({
    kind: t.field({ type: ContactKindEnum, required }),
    controllerEntity: t.id({ description: 'Global ID of the controller entity this contact belongs to.' }),
    name: t.string(),
    department: t.string(),
    email: t.string(),
    phone: t.string({ description: 'E.164, e.g. "+31207058500".' }),
    url: t.string(),
    address: t.field({ type: AddressInput }),
    note: t.field({ type: [LocalizedStringInput] }),
    activeFrom: t.string({ description: 'YYYY-MM-DD' }),
    activeUntil: t.string({ description: 'YYYY-MM-DD' }),
  }),
  patch: (input) => {
    const { controllerEntity, note, ...rest } = input;
    return plain({
      ...rest,
      note: localizedMap(note as never),
      // The manifest names entities by key; `prepare` turns the global ID into that key.
      ...(controllerEntity === undefined ? {} : { entityId: controllerEntity }),
    });
  },
  end: 'delete',
});
