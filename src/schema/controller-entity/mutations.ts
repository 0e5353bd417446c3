// controllerEntityCreate / Update / Delete.
import type { Tx } from '../../db/client.js';
import { entityColumns, itemOf } from '../../manifest/records.js';
import { controllerEntitySchema } from '../../manifest/schema.js';
import type { ChildSpec } from '../common/child-mutations.js';
import { EntityRoleEnum } from '../common/enums.js';
import { AddressInput, plain } from '../common/inputs.js';
import { registerChildMutations } from '../common/register-mutations.js';
import { ControllerEntityRef } from './types.js';

const load = (tx: Tx, id: string) =>
  tx.controllerEntity.findUnique({ where: { id }, include: { organisation: { select: { slug: true } } } });

const spec: ChildSpec<NonNullable<Awaited<ReturnType<typeof load>>>, typeof controllerEntitySchema> = {
  typename: 'ControllerEntity',
  field: 'controllerEntity',
  schema: controllerEntitySchema,
  load,
  keyFrom: (item) => String(item.legalName ?? 'entity'),
  toItem: (e) =>
    itemOf(e, ['key', 'legalName', 'role', 'registry', 'registrationNumber', 'vatNumber'], { address: true }),
  create: async (tx, organisationId, item) =>
    (await tx.controllerEntity.create({ data: { ...entityColumns(item), organisationId } as never })).id,
  update: async (tx, id, expected, item) =>
    (
      await tx.controllerEntity.updateMany({
        where: { id, revision: expected },
        data: { ...entityColumns(item), revision: { increment: 1 } } as never,
      })
    ).count,
  remove: async (tx, id, expected) =>
    (await tx.controllerEntity.deleteMany({ where: { id, revision: expected } })).count,
};

registerChildMutations({
  noun: 'controllerEntity',
  spec,
  ref: ControllerEntityRef,
  fields: (t, required) => ({
    legalName: t.string({ required }),
    role: t.field({ type: EntityRoleEnum, required }),
    registry: t.string(),
    registrationNumber: t.string(),
    vatNumber: t.string(),
    address: t.field({ type: AddressInput, required }),
  }),
  patch: (input) => plain(input),
  end: 'delete',
});
