// Webhooks: targets that receive the change log's events, signed. A webhook is
// a record like the others: created, changed and deleted through the writer
// (authorised, validated, audited, in the change log), owned by the
// organisation it watches (write:<slug>), or by admins when it watches every
// organisation. Its changes are for its owner's writers only (its URL is not
// public), and its secret never leaves the record in clear (src/webhooks/secrets.ts).
// Delivery state (the log position enqueued through, the delivering
// instance's lease) lives in the same row but is not part of the record.
import { z } from 'zod';
import type { Prisma } from '../db/client.js';
import { webhookUrlProblem } from '../webhooks/target.js';
import { fieldsOf, mapping } from './mapping.js';
import { ownerOfOrganisation } from './owned.js';
import { organisationOwner, typenames, type Owner, type RecordType } from './record.js';

export const changeActions = ['CREATE', 'UPDATE', 'DELETE', 'RETIRE'] as const;

const webhookUrl = z
  .string()
  .max(2000)
  .superRefine((value, ctx) => {
    const reason = webhookUrlProblem(value);
    if (reason) ctx.addIssue({ code: 'custom', message: reason, params: { code: 'INVALID_URL' } });
  });

const sortedSet = <T extends string>(list: T[]) => [...new Set(list)].sort();

export const webhookSchema = z.strictObject({
  url: webhookUrl,
  description: z.string().trim().min(1).max(500).optional(),
  types: z
    .array(z.enum(typenames, { message: `a record type: one of ${typenames.join(', ')}` }))
    .max(typenames.length)
    .default([])
    .transform(sortedSet),
  actions: z.array(z.enum(changeActions)).max(changeActions.length).default([]).transform(sortedSet),
  includeNonPublic: z.boolean().default(false),
  enabled: z.boolean().default(true),
  disabledReason: z.string().max(1000).optional(),
  disabledAt: z.iso.datetime().optional(),
  secretCiphertext: z.string().min(1).max(500),
  secretCreatedAt: z.iso.datetime(),
});
export type WebhookItem = z.output<typeof webhookSchema>;

/** A new webhook's place: the organisation it watches, or null for every organisation (admins). */
export interface WebhookParent {
  organisationId: string | null;
}

const include = { organisation: { select: { id: true, slug: true } } } as const satisfies Prisma.WebhookInclude;
type Row = Prisma.WebhookGetPayload<{ include: typeof include }>;
export type WebhookRow = Row;

const instant = <K extends 'disabledAt' | 'secretCreatedAt'>(name: K, required: boolean) => ({
  create: (value: string | undefined) => ({ [name]: value ? new Date(value) : null }) as { [P in K]: Date },
  update: (value: string | undefined) => ({ [name]: value ? new Date(value) : null }) as { [P in K]: Date },
  read: (row: Row) => (required ? row[name]!.toISOString() : row[name]?.toISOString()) as string,
});

const f = fieldsOf<Row>();
const columns = mapping<WebhookItem, Row>()({
  url: f.value('url'),
  description: f.optional('description'),
  types: { ...f.value('types'), read: (row) => row.types as WebhookItem['types'] },
  actions: { ...f.value('actions'), read: (row) => row.actions as WebhookItem['actions'] },
  includeNonPublic: f.value('includeNonPublic'),
  enabled: f.value('enabled'),
  disabledReason: f.optional('disabledReason'),
  disabledAt: instant('disabledAt', false),
  secretCiphertext: f.value('secretCiphertext'),
  secretCreatedAt: instant('secretCreatedAt', true),
});

const ownerOfRow = (organisation: { id: string; slug: string } | null): Owner =>
  organisation ? organisationOwner(organisation) : { kind: 'keys' };

export const webhook: RecordType<WebhookItem, Row, WebhookParent> = {
  typename: 'Webhook',
  schema: webhookSchema,
  keyOf: (item) => item.url,
  hidden: ['secretCiphertext'],
  unique: {},
  load: (tx, id) => tx.webhook.findUnique({ where: { id }, include }),
  toItem: columns.toItem,
  owner: (row) => ownerOfRow(row.organisation),
  ownerOfNew: async (tx, parent) =>
    parent.organisationId ? ownerOfOrganisation(tx, parent.organisationId) : { kind: 'keys' },
  insert: (tx, parent, item) =>
    tx.webhook.create({ data: { ...columns.createColumns(item), organisationId: parent.organisationId } }),
  update: async (tx, row, item, revision) =>
    (
      await tx.webhook.updateMany({
        where: { id: row.id, revision: revision ?? row.revision },
        data: { ...columns.updateColumns(item), revision: { increment: 1 } },
      })
    ).count,
  remove: async (tx, row, revision) =>
    (await tx.webhook.deleteMany({ where: { id: row.id, revision: revision ?? row.revision } })).count,
  revisionOf: (row) => row.revision,
  // Where a webhook points is its owner's business, not the public's.
  visibility: () => 'writers',
};
