// controllerEntityCreate / Update / Delete.
import { controllerEntity } from '../../domain/controller-entity.js';
import { EntityRoleEnum } from '../common/enums.js';
import { factInputFields, factPatch } from '../common/fact.js';
import { AddressInput, plain } from '../common/inputs.js';
import { registerChildMutations } from '../common/register-mutations.js';
import { ControllerEntityRef } from './types.js';

registerChildMutations({
  noun: 'controllerEntity',
  type: controllerEntity,
  ref: ControllerEntityRef,
  fields: (t, required) => ({
    legalName: t.string({ required }),
    role: t.field({ type: EntityRoleEnum, required }),
    registry: t.string(),
    registrationNumber: t.string(),
    vatNumber: t.string(),
    address: t.field({ type: AddressInput, required }),
    ...factInputFields(t),
  }),
  patch: (input) => plain(factPatch(input)),
  nameOf: (patch) => String(patch.legalName ?? 'entity'),
  end: 'delete',
});
