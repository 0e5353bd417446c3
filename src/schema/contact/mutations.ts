// contactCreate / Update / Delete. A contact may belong to one of the
// organisation's controller entities, named by its global ID.
import { contact } from '../../domain/contact.js';
import { refuse } from '../../domain/errors.js';
import { ContactKindEnum } from '../common/enums.js';
import { factInputFields, factPatch } from '../common/fact.js';
import { localId } from '../common/ids.js';
import { AddressInput, LocalizedStringInput, localizedMap, plain } from '../common/inputs.js';
import { registerChildMutations } from '../common/register-mutations.js';
import { ContactRef } from './types.js';

registerChildMutations({
  noun: 'contact',
  type: contact,
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
    inApp: t.field({
      type: [LocalizedStringInput],
      description: 'Where it is in the app ("Settings › Privacy"), for a contact with no address of its own.',
    }),
    note: t.field({ type: [LocalizedStringInput] }),
    activeFrom: t.string({ description: 'YYYY-MM-DD; the same as validFrom with a day.' }),
    activeUntil: t.string({ description: 'YYYY-MM-DD; the same as validUntil with a day.' }),
    ...factInputFields(t),
  }),
  patch: ({ controllerEntity, note, inApp, ...rest }) =>
    plain({
      ...factPatch(rest),
      note: localizedMap(note as never),
      inApp: localizedMap(inApp as never),
      ...(controllerEntity === undefined ? {} : { controllerEntity }),
    }),
  // The record names its entity by key; the input names it by global ID.
  prepare: async (s, organisationId, { controllerEntity, ...patch }) => {
    if (controllerEntity === undefined) return patch;
    if (controllerEntity === null) return { ...patch, entity: null };
    const id = localId(String(controllerEntity), 'ControllerEntity', ['input', 'controllerEntity']);
    const entity = await s.tx.controllerEntity.findUnique({ where: { id } });
    if (!entity || entity.organisationId !== organisationId) {
      refuse('NOT_FOUND', 'no controller entity of this organisation has this id', ['input', 'controllerEntity']);
    }
    return { ...patch, entity: entity.key };
  },
  nameOf: (patch) => String(patch.name ?? patch.kind ?? 'contact'),
  end: 'delete',
});
