// processorCreate / processorUpdate / processorRetire. Processors are never
// deleted: retiring sets activeUntil and the status, so their history stays.
import { processor } from '../../domain/processor.js';
import { builder } from '../builder.js';
import { ProcessorRoleEnum, ProcessorStatusEnum, TransferSafeguardEnum } from '../common/enums.js';
import { LocalizedStringInput, localizedMap, plain } from '../common/inputs.js';
import { registerChildMutations } from '../common/register-mutations.js';
import { ProcessorRef } from './types.js';

const DataLocationInput = builder.inputType('DataLocationInput', {
  fields: (t) => ({
    country: t.string({ required: true }),
    locality: t.string(),
  }),
});

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
  nameOf: (patch) => String(patch.name ?? 'processor'),
  end: {
    name: 'retire',
    description: 'Ends a processor’s service: sets activeUntil and the RETIRED status. Processors are never deleted.',
    patch: (input, today) => ({
      status: 'RETIRED',
      activeUntil: (input.activeUntil as string | null | undefined) ?? today,
    }),
  },
});
