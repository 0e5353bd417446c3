// Webhooks and their delivery log. A webhook and its deliveries are for the
// writers of the organisation it watches (admins for one that watches all):
// to anyone else they do not exist.
import { encodeCursor } from '../../changes/log.js';
import { builder } from '../builder.js';
import { pageSize } from '../pagination.js';

export const WebhookDeliveryStatusEnum = builder.enumType('WebhookDeliveryStatus', {
  values: {
    PENDING: { description: 'Waiting for its (next) attempt, after the webhook’s earlier events.' },
    SUCCEEDED: { description: 'The receiver answered 2xx.' },
    FAILED: { description: 'Given up after the maximum of attempts; the webhook was disabled.' },
  } as const,
});

const ownerScopes = (w: { organisationId: string | null }) =>
  w.organisationId ? { writeOrganisationId: w.organisationId } : { admin: true };

export const WebhookRef = builder.prismaNode('Webhook', {
  id: { field: 'id' },
  runScopesOnType: true,
  authScopes: ownerScopes,
  description:
    'A URL that receives the change log’s events, signed (Standard Webhooks), in order, retried until it answers 2xx.',
  fields: (t) => ({
    revision: t.exposeInt('revision'),
    organisation: t.relation('organisation', {
      nullable: true,
      description: 'The organisation watched; null: every organisation (an admin’s webhook).',
    }),
    url: t.exposeString('url'),
    description: t.exposeString('description', { nullable: true }),
    types: t.exposeStringList('types', { description: 'Record types delivered; empty: all.' }),
    actions: t.exposeStringList('actions', { description: 'Actions delivered; empty: all.' }),
    includeNonPublic: t.exposeBoolean('includeNonPublic', {
      description: 'Also changes only the organisation’s writers see: drafts, and its webhooks.',
    }),
    enabled: t.exposeBoolean('enabled'),
    disabledReason: t.exposeString('disabledReason', {
      nullable: true,
      description: 'Why it was disabled (by a key, or after repeated failures).',
    }),
    disabledAt: t.expose('disabledAt', { type: 'DateTime', nullable: true }),
    secretCreatedAt: t.expose('secretCreatedAt', { type: 'DateTime' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    cursor: t.string({
      description: 'The change-log position up to which events have been queued for it.',
      resolve: (w) => encodeCursor(w.cursor),
    }),
    deliveries: t.relatedConnection('deliveries', {
      cursor: 'id',
      ...pageSize,
      description: 'The delivery log, newest event first.',
      args: { status: t.arg({ type: WebhookDeliveryStatusEnum, required: false }) },
      totalCount: true,
      query: (args) => ({
        where: args.status ? { status: args.status } : {},
        orderBy: [{ position: 'desc' }, { id: 'desc' }],
      }),
    }),
  }),
});

export const WebhookDeliveryRef = builder.prismaNode('WebhookDelivery', {
  id: { field: 'id' },
  runScopesOnType: true,
  authScopes: (d) => ({ writeRecord: { typename: 'Webhook', id: d.webhookId } }),
  description: 'One event for one webhook: its attempts so far and what the receiver answered.',
  fields: (t) => ({
    webhook: t.relation('webhook'),
    event: t.relation('event'),
    status: t.expose('status', { type: WebhookDeliveryStatusEnum }),
    attempt: t.exposeInt('attempt', { description: 'Attempts made so far.' }),
    responseCode: t.exposeInt('responseCode', {
      nullable: true,
      description: 'The HTTP status of the last attempt; null when there was no answer.',
    }),
    error: t.exposeString('error', { nullable: true, description: 'Why the last attempt failed.' }),
    nextAttemptAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it is tried next; null once it succeeded or failed for good.',
      resolve: (d) => (d.status === 'PENDING' ? d.nextAttemptAt : null),
    }),
    lastAttemptAt: t.expose('lastAttemptAt', { type: 'DateTime', nullable: true }),
    deliveredAt: t.expose('deliveredAt', { type: 'DateTime', nullable: true }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

builder.queryField('webhooks', (t) =>
  t.prismaConnection({
    type: 'Webhook',
    cursor: 'id',
    ...pageSize,
    description:
      'Webhooks of an organisation (a key that may write it), or with no organisation every webhook (admin).',
    args: { organisation: t.arg.string({ required: false }) },
    authScopes: (_root, args) => (args.organisation ? { writeOrganisation: args.organisation } : { admin: true }),
    totalCount: (_root, args, ctx) =>
      ctx.prisma.webhook.count({ where: args.organisation ? { organisation: { slug: args.organisation } } : {} }),
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.webhook.findMany({
        ...query,
        where: args.organisation ? { organisation: { slug: args.organisation } } : {},
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      }),
  }),
);
