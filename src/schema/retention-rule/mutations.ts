// retentionRuleCreate / Update / Delete.
import type { Tx } from '../../db/client.js';
import { itemOf, retentionRuleColumns } from '../../manifest/records.js';
import { retentionRuleSchema } from '../../manifest/schema.js';
import type { ChildSpec } from '../common/child-mutations.js';
import { RetentionActionEnum, RetentionBasisEnum, RetentionTriggerEnum } from '../common/enums.js';
import { LocalizedStringInput, localizedMap, plain } from '../common/inputs.js';
import { registerChildMutations } from '../common/register-mutations.js';
import { RetentionRuleRef } from './types.js';

const load = (tx: Tx, id: string) =>
  tx.retentionRule.findUnique({ where: { id }, include: { organisation: { select: { slug: true } } } });

const spec: ChildSpec<NonNullable<Awaited<ReturnType<typeof load>>>, typeof retentionRuleSchema> = {
  typename: 'RetentionRule',
  field: 'retentionRule',
  schema: retentionRuleSchema,
  load,
  keyFrom: (item) => Object.values((item.dataCategory as Record<string, string> | undefined) ?? {})[0] ?? 'rule',
  toItem: (r) =>
    itemOf(r, ['key', 'dataCategory', 'period', 'criterion', 'trigger', 'basis', 'legalReference', 'action']),
  create: async (tx, organisationId, item) => {
    const position = await tx.retentionRule.count({ where: { organisationId } });
    return (
      await tx.retentionRule.create({ data: { ...retentionRuleColumns(item), organisationId, position } as never })
    ).id;
  },
  update: async (tx, id, expected, item) =>
    (
      await tx.retentionRule.updateMany({
        where: { id, revision: expected },
        data: { ...retentionRuleColumns(item), revision: { increment: 1 } } as never,
      })
    ).count,
  remove: async (tx, id, expected) => (await tx.retentionRule.deleteMany({ where: { id, revision: expected } })).count,
};

registerChildMutations({
  noun: 'retentionRule',
  spec,
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
  end: 'delete',
});
