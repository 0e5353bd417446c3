// processorCreate / processorUpdate / processorRetire. Processors are never
// deleted: retiring sets validUntil and the status, so their history stays.
import { processor } from '../../domain/processor.js';
import { builder } from '../builder.js';
import {
  DataPlaceEnum,
  PlatformEnum,
  ProcessorRoleEnum,
  ProcessorStatusEnum,
  TransferSafeguardEnum,
} from '../common/enums.js';
import { factInputFields, factPatch } from '../common/fact.js';
import { AddressInput, LocalizedStringInput, localizedMap, plain } from '../common/inputs.js';
import { registerChildMutations } from '../common/register-mutations.js';
import { ProcessorRef } from './types.js';

const DataLocationInput = builder.inputType('DataLocationInput', {
  fields: (t) => ({
    place: t.field({ type: DataPlaceEnum, description: 'USER_DEVICE: only on the user’s device (no country).' }),
    country: t.string(),
    locality: t.string(),
  }),
});

/** A place as the record has it: a country (and city), or the device. */
const dataLocation = (l: { place?: string | null; country?: string | null; locality?: string | null }) =>
  l.place === 'USER_DEVICE' ? { place: 'USER_DEVICE' } : { country: l.country, locality: l.locality ?? undefined };

registerChildMutations({
  noun: 'processor',
  type: processor,
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
    address: t.field({ type: AddressInput }),
    headquartersCountry: t.string(),
    dataLocations: t.field({ type: [DataLocationInput] }),
    platforms: t.field({ type: [PlatformEnum], description: 'Only on these platforms; empty: all.' }),
    certifications: t.stringList(),
    transferSafeguard: t.field({ type: TransferSafeguardEnum, required }),
    agreementInPlace: t.boolean(),
    status: t.field({ type: ProcessorStatusEnum }),
    activeFrom: t.string({ description: 'YYYY-MM-DD; the same as validFrom with a day.' }),
    activeUntil: t.string({ description: 'YYYY-MM-DD; the same as validUntil with a day.' }),
    ...factInputFields(t),
  }),
  patch: ({ dataLocations, ...input }) =>
    plain({
      ...factPatch(input),
      service: localizedMap(input.service as never),
      ...(dataLocations == null ? { dataLocations } : { dataLocations: (dataLocations as never[]).map(dataLocation) }),
    }),
  nameOf: (patch) => String(patch.name ?? 'processor'),
  end: {
    name: 'retire',
    description: 'Ends a processor’s service: sets validUntil and the RETIRED status. Processors are never deleted.',
    patch: (input, today) => ({
      status: 'RETIRED',
      validUntil: (input.activeUntil as string | null | undefined) ?? today,
    }),
  },
});
