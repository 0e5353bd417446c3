// retentionRuleCreate / Update / Delete.
import { retentionRule } from '../../domain/retention-rule.js';
import { RetentionActionEnum, RetentionBasisEnum, RetentionTriggerEnum } from '../common/enums.js';
import { LocalizedStringInput, localizedMap, plain } from '../common/inputs.js';
import { registerChildMutations } from '../common/register-mutations.js';
import { RetentionRuleRef } from './types.js';

registerChildMutations({
  noun: 'retentionRule',
  type: retentionRule,
  ref: RetentionRuleRef,
  fields: (t, required) => ({
    dataCategory: t.field({ type: [LocalizedStringInput], required }),
    period: t.string({ description: 'ISO 8601 duration, e.g. "P7Y"; or give a criterion.' }),
    criterion: t.field({ type: [LocalizedStringInput] }),
    trigger: t.field({ type: RetentionTriggerEnum, required }),
    basis: t.field({ type: RetentionBasisEnum, required }),
    legalReference: t.string(),
    action: t.field({ type: RetentionActionEnum, required }),
  }),
  patch: ({ dataCategory, criterion, ...rest }) =>
    plain({ ...rest, dataCategory: localizedMap(dataCategory as never), criterion: localizedMap(criterion as never) }),
  nameOf: (patch) => Object.values((patch.dataCategory as Record<string, string> | undefined) ?? {})[0] ?? 'rule',
  end: 'delete',
});
