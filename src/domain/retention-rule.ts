// Retention rules: what is kept, for how long, from which event, why, and what
// happens after. Their order is the order a notice lists them in.
import { z } from 'zod';
import type { Prisma } from '../db/client.js';
import { RetentionAction, RetentionBasis, RetentionTrigger } from '../db/generated/enums.js';
import { fieldsOf, mapping } from './mapping.js';
import { ownedByOrganisation, withOrganisation, type OrganisationParent } from './owned.js';
import { duration, key, localizedText, text } from './primitives.js';
import type { RecordType } from './record.js';

const fields = z.strictObject({
  key,
  dataCategory: localizedText(500),
  period: duration.optional(),
  criterion: localizedText(1000).optional(),
  trigger: z.enum(RetentionTrigger),
  basis: z.enum(RetentionBasis),
  legalReference: text().optional(),
  action: z.enum(RetentionAction),
  /** The place in the organisation's list; new rules go last. */
  position: z.number().int().min(0).max(10_000).optional(),
});
const periodOrCriterion = {
  check: (r: { period?: string; criterion?: object }) => Boolean(r.period || r.criterion),
  message: 'a retention rule needs a period or, when there is no fixed period, a criterion',
};
export const retentionRuleSchema = fields.refine(periodOrCriterion.check, { message: periodOrCriterion.message });
/** A manifest's entry: its place is its place in the list. */
export const retentionRuleEntrySchema = fields
  .omit({ position: true })
  .refine(periodOrCriterion.check, { message: periodOrCriterion.message });
export type RetentionRuleItem = z.output<typeof retentionRuleSchema>;

const include = withOrganisation satisfies Prisma.RetentionRuleInclude;
type Row = Prisma.RetentionRuleGetPayload<{ include: typeof include }>;

const f = fieldsOf<Row>();
const columns = mapping<RetentionRuleItem, Row>()({
  key: f.value('key'),
  dataCategory: f.json('dataCategory'),
  period: f.optional('period'),
  criterion: f.optionalJson('criterion'),
  trigger: f.value('trigger'),
  basis: f.value('basis'),
  legalReference: f.optional('legalReference'),
  action: f.value('action'),
  position: f.optional('position'),
});

export const retentionRule: RecordType<RetentionRuleItem, Row, OrganisationParent> = {
  typename: 'RetentionRule',
  schema: retentionRuleSchema,
  keyOf: (item) => item.key,
  ...ownedByOrganisation,
  load: (tx, id) => tx.retentionRule.findUnique({ where: { id }, include }),
  toItem: columns.toItem,
  insert: async (tx, parent, item) =>
    tx.retentionRule.create({
      data: {
        ...columns.createColumns(item),
        organisationId: parent.organisationId,
        position: item.position ?? (await tx.retentionRule.count({ where: { organisationId: parent.organisationId } })),
      },
    }),
  update: async (tx, row, item, revision) =>
    (
      await tx.retentionRule.updateMany({
        where: { id: row.id, revision: revision ?? row.revision },
        data: { ...columns.updateColumns(item), position: item.position ?? row.position, revision: { increment: 1 } },
      })
    ).count,
  remove: async (tx, row, revision) =>
    (await tx.retentionRule.deleteMany({ where: { id: row.id, revision: revision ?? row.revision } })).count,
  revisionOf: (row) => row.revision,
};
