// retentionRuleCreate / Update / Delete.
import { retentionRule } from '../../domain/retention-rule.js';
import {
  RetentionActionEnum,
  RetentionBasisEnum,
  RetentionCountFromEnum,
  RetentionTriggerEnum,
} from '../common/enums.js';
import { factInputFields, factPatch } from '../common/fact.js';
import { builder } from '../builder.js';
import { LocalizedStringInput, localizedMap, plain } from '../common/inputs.js';
import { registerChildMutations } from '../common/register-mutations.js';
import { RetentionRuleRef } from './types.js';

const KeeperInput = builder.inputType('RetentionKeeperInput', {
  description: 'Who keeps the data: exactly one of a recipient, a processor, another controller or an entity, by key.',
  fields: (t) => ({
    recipient: t.string(),
    processor: t.string(),
    otherController: t.string(),
    entity: t.string(),
  }),
});

registerChildMutations({
  noun: 'retentionRule',
  type: retentionRule,
  ref: RetentionRuleRef,
  fields: (t, required) => ({
    dataCategory: t.field({ type: [LocalizedStringInput], required }),
    period: t.string({ description: 'ISO 8601 duration, e.g. "P7Y"; or give a criterion.' }),
    criterion: t.field({ type: [LocalizedStringInput] }),
    trigger: t.field({
      type: RetentionTriggerEnum,
      description: 'One event the period counts from; or give triggers.',
    }),
    triggers: t.field({ type: [RetentionTriggerEnum], description: 'The events the period counts from.' }),
    countFrom: t.field({ type: RetentionCountFromEnum, description: 'With several triggers: EARLIEST or LATEST.' }),
    basis: t.field({ type: RetentionBasisEnum, required }),
    legalReference: t.string(),
    action: t.field({ type: RetentionActionEnum, required }),
    userControlled: t.boolean({ description: 'The user deletes the data themselves.' }),
    keptBy: t.field({ type: KeeperInput }),
    ...factInputFields(t),
  }),
  patch: ({ dataCategory, criterion, trigger, keptBy, ...rest }) =>
    plain({
      ...factPatch(rest),
      ...(trigger != null && rest.triggers == null ? { triggers: [trigger] } : {}),
      ...(keptBy === undefined
        ? {}
        : { keptBy: keptBy && Object.fromEntries(Object.entries(keptBy).filter(([, v]) => v != null)) }),
      dataCategory: localizedMap(dataCategory as never),
      criterion: localizedMap(criterion as never),
    }),
  nameOf: (patch) => Object.values((patch.dataCategory as Record<string, string> | undefined) ?? {})[0] ?? 'rule',
  end: 'delete',
});
