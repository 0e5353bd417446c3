// Retention rules: what is kept, for how long, from which event, why, what
// happens after, and who keeps it. Their order is the order a notice lists
// them in. A period may count from several events ("100 days after issue or
// the last status change": the later of the two), from an event the notice does
// not name (UNKNOWN), or not at all when the user deletes the data themselves.
import { z } from 'zod';
import type { Prisma, Tx } from '../db/client.js';
import { RetentionAction, RetentionBasis, RetentionCountFrom, RetentionTrigger } from '../db/generated/enums.js';
import { refuse, type Path } from './errors.js';
import { checkFact, checkRecordBounds, factColumns, factShape, flatFactWrites } from './fact.js';
import { columns as stored, fieldsOf, mapping } from './mapping.js';
import { ownedByOrganisation, withOrganisation, type OrganisationParent } from './owned.js';
import { duration, key, localizedText, text } from './primitives.js';
import type { RecordType } from './record.js';

/** Who keeps the data, when it is not the organisation itself. */
export const keeperKinds = ['recipient', 'processor', 'otherController', 'entity'] as const;
export type KeeperKind = (typeof keeperKinds)[number];
export type KeptBy = Partial<Record<KeeperKind, string>>;

const keptBy = z
  .strictObject(
    Object.fromEntries(keeperKinds.map((k) => [k, key.optional()])) as Record<KeeperKind, z.ZodOptional<typeof key>>,
  )
  .refine((v) => Object.values(v).filter(Boolean).length === 1, {
    message:
      'names one keeper: { recipient: <key> }, { processor: <key> }, { otherController: <key> } or { entity: <key> }',
  });

export const keeperOf = (k: KeptBy | undefined) => {
  const entry = Object.entries(k ?? {}).find(([, v]) => v);
  return entry ? { kind: entry[0] as KeeperKind, key: entry[1] as string } : null;
};

/** A rule written with one `trigger` is read as the list of one. */
const oneTriggerAsList = (input: unknown) => {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return input;
  const { trigger, ...rest } = input as Record<string, unknown>;
  return trigger !== undefined && rest.triggers === undefined ? { ...rest, triggers: [trigger] } : input;
};

const fields = {
  key,
  dataCategory: localizedText(500),
  period: duration.optional(),
  criterion: localizedText(1000).optional(),
  /** The events the period counts from. */
  triggers: z.array(z.enum(RetentionTrigger)).min(1).max(5),
  /** With several triggers: from whichever happens first (EARLIEST) or last (LATEST). */
  countFrom: z.enum(RetentionCountFrom).optional(),
  basis: z.enum(RetentionBasis),
  legalReference: text().optional(),
  action: z.enum(RetentionAction),
  /** The user deletes the data themselves, whenever they choose (data kept in the app). */
  userControlled: z.boolean().default(false),
  keptBy: keptBy.optional(),
  /** The place in the organisation's list; new rules go last. */
  position: z.number().int().min(0).max(10_000).optional(),
  ...factShape,
};

type RuleShape = {
  period?: string;
  criterion?: object;
  userControlled: boolean;
  triggers: string[];
  countFrom?: string;
};
function checkRule(r: RuleShape, ctx: z.RefinementCtx) {
  if (!r.period && !r.criterion && !r.userControlled) {
    ctx.addIssue({
      code: 'custom',
      message:
        'a retention rule needs a period or, when there is no fixed period, a criterion (or userControlled: true when the user deletes the data)',
    });
  }
  if (new Set(r.triggers).size !== r.triggers.length) {
    ctx.addIssue({
      code: 'custom',
      path: ['triggers'],
      message: 'names a trigger twice',
      params: { code: 'DUPLICATE' },
    });
  }
  if (r.countFrom && r.triggers.length < 2) {
    ctx.addIssue({
      code: 'custom',
      path: ['countFrom'],
      message: 'countFrom chooses between several triggers; this rule has one',
      params: { code: 'INVALID' },
    });
  }
  if (!r.countFrom && r.triggers.length > 1) {
    ctx.addIssue({
      code: 'custom',
      path: ['countFrom'],
      message: 'with several triggers, say whether the period counts from the EARLIEST or the LATEST',
      params: { code: 'REQUIRED' },
    });
  }
}

const ruleObject = z.strictObject(fields);
export const retentionRuleSchema = z.preprocess(
  oneTriggerAsList,
  ruleObject.superRefine((r, ctx) => {
    checkRule(r, ctx);
    checkFact(r, ctx);
  }),
);
/** A manifest's entry: its place is its place in the list. */
export const retentionRuleEntrySchema = z.preprocess(
  oneTriggerAsList,
  ruleObject.omit({ position: true }).superRefine((r, ctx) => {
    checkRule(r, ctx);
    checkFact(r, ctx);
  }),
);
export type RetentionRuleItem = z.output<typeof retentionRuleSchema>;

const include = withOrganisation satisfies Prisma.RetentionRuleInclude;
type Row = Prisma.RetentionRuleGetPayload<{ include: typeof include }>;

const f = fieldsOf<Row>();
const columns = mapping<RetentionRuleItem, Row>()({
  key: f.value('key'),
  dataCategory: f.json('dataCategory'),
  period: f.optional('period'),
  criterion: f.optionalJson('criterion'),
  triggers: f.value('triggers'),
  countFrom: f.optional('countFrom'),
  basis: f.value('basis'),
  legalReference: f.optional('legalReference'),
  action: f.value('action'),
  userControlled: f.value('userControlled'),
  keptBy: stored<KeptBy | undefined, { keptByKind: string | null; keptByKey: string | null }, Row>(
    (value) => {
      const keeper = keeperOf(value);
      return { keptByKind: keeper?.kind ?? null, keptByKey: keeper?.key ?? null };
    },
    (row) => (row.keptByKind && row.keptByKey ? { [row.keptByKind]: row.keptByKey } : undefined),
  ),
  position: f.optional('position'),
  ...factColumns<Row>(),
});

/** The keeper a rule names must exist: a recipient of the privacy facts, a processor, another controller or an entity. */
export async function checkKeeper(tx: Tx, organisationId: string, value: KeptBy | undefined, at: Path) {
  const keeper = keeperOf(value);
  if (!keeper) return;
  const where = { organisationId, key: keeper.key };
  let found: boolean;
  if (keeper.kind === 'recipient') {
    const profile = await tx.privacyProfile.findUnique({ where: { organisationId }, select: { facts: true } });
    const recipients = ((profile?.facts as { recipients?: { key: string }[] } | undefined)?.recipients ?? []).map(
      (r) => r.key,
    );
    found = recipients.includes(keeper.key);
  } else if (keeper.kind === 'processor') found = (await tx.processor.count({ where })) > 0;
  else if (keeper.kind === 'otherController') found = (await tx.otherController.count({ where })) > 0;
  else found = (await tx.controllerEntity.count({ where })) > 0;
  if (!found)
    refuse('NOT_FOUND', `no ${keeper.kind} of this organisation has the key "${keeper.key}"`, [
      ...at,
      'keptBy',
      keeper.kind,
    ]);
}

export const retentionRule: RecordType<RetentionRuleItem, Row, OrganisationParent> = {
  typename: 'RetentionRule',
  schema: retentionRuleSchema,
  keyOf: (item) => item.key,
  ...ownedByOrganisation,
  load: (tx, id) => tx.retentionRule.findUnique({ where: { id }, include }),
  toItem: columns.toItem,
  ...flatFactWrites<RetentionRuleItem, Row>(
    (tx) => tx.retentionRule,
    columns,
    async (tx, organisationId, item, stored) => ({
      position: item.position ?? stored?.position ?? (await tx.retentionRule.count({ where: { organisationId } })),
    }),
  ),
  revisionOf: (row) => row.revision,
  check: async (tx, { before, after, parent }, at) => {
    const organisationId = parent?.organisationId ?? before?.organisationId;
    if (!after || !organisationId) return;
    await checkRecordBounds(tx, organisationId, after, at);
    await checkKeeper(tx, organisationId, after.keptBy, at);
  },
};
