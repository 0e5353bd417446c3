// otherControllerCreate / Update / Delete.
import { otherController } from '../../domain/other-controller.js';
import { OtherControllerRoleEnum, PlatformEnum } from '../common/enums.js';
import { factInputFields, factPatch } from '../common/fact.js';
import { AddressInput, LocalizedStringInput, localizedMap, plain } from '../common/inputs.js';
import { registerChildMutations } from '../common/register-mutations.js';
import { OtherControllerRef } from './types.js';

registerChildMutations({
  noun: 'otherController',
  type: otherController,
  ref: OtherControllerRef,
  fields: (t, required) => ({
    name: t.string({ required }),
    legalName: t.string(),
    role: t.field({ type: OtherControllerRoleEnum, required }),
    service: t.field({ type: [LocalizedStringInput], required, description: 'The connected service.' }),
    legalReference: t.string(),
    website: t.string(),
    privacyPolicyUrl: t.string(),
    email: t.string(),
    phone: t.string({ description: 'E.164.' }),
    address: t.field({ type: AddressInput }),
    platforms: t.field({ type: [PlatformEnum] }),
    ...factInputFields(t),
  }),
  patch: (input) => plain({ ...factPatch(input), service: localizedMap(input.service as never) }),
  nameOf: (patch) => String(patch.name ?? 'controller'),
  end: 'delete',
});
