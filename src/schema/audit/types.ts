// The audit trail: every successful change, who made it, and the record
// before and after. Readable by keys that may write the organisation.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { idOf } from '../common/ids.js';
import type { Prisma } from '../../db/generated/client.js';
import { builder } from '../builder.js';
import { ChangeActionEnum } from '../changes/subscriptions.js';
import { pageSize } from '../pagination.js';
import type { Context } from '../context.js';

const AuditActor = builder
  .objectRef<{ label: string; keyId: string | null; prefix: string | null }>('AuditActor')
  .implement({
    fields: (t) => ({
      label: t.exposeString('label', { description: 'The API key’s label at the time of the change.' }),
      keyPrefix: t.exposeString('prefix', {
        nullable: true,
        description: 'The public part of the key, e.g. pfk_ab12cd34ef56.',
      }),
    }),
  });

export const AuditEventRef = builder.prismaNode('AuditEvent', {
  id: { field: 'id' },
  // The trail is for those who may write what it describes, however it is reached.
  runScopesOnType: true,
  authScopes: (event) => (event.organisationId ? { writeOrganisationId: event.organisationId } : { admin: true }),
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime' }),
    action: t.field({ type: ChangeActionEnum, resolve: (e) => e.action as never }),
    entityType: t.exposeString('entityType'),
    entityId: t.id({
      description: 'Global ID of the changed object.',
      resolve: (e) => encodeGlobalID(e.entityType, e.entityId),
    }),
    actor: t.field({
      type: AuditActor,
      select: { actorLabel: true, actorKeyId: true, actorKey: { select: { prefix: true } } },
      resolve: (e) => ({ label: e.actorLabel, keyId: e.actorKeyId, prefix: e.actorKey?.prefix ?? null }),
    }),
    changedFields: t.exposeStringList('changedFields'),
    before: t.field({ type: 'JSONObject', nullable: true, resolve: (e) => e.before as Record<string, unknown> | null }),
    after: t.field({ type: 'JSONObject', nullable: true, resolve: (e) => e.after as Record<string, unknown> | null }),
    requestId: t.exposeString('requestId', { nullable: true }),
  }),
});

builder.queryField('auditEvents', (t) =>
  t.prismaConnection({
    type: 'AuditEvent',
    cursor: 'id',
    ...pageSize,
    // Refused, it is null with a FORBIDDEN error on its path; the other fields of the query still answer.
    nullable: true,
    description:
      'Changes to an organisation and its records, newest first. Needs a key that may write it; null (with a FORBIDDEN error) otherwise.',
    args: {
      organisation: t.arg.string({ required: true }),
      entityType: t.arg.string({ required: false, description: 'e.g. "Processor".' }),
      entityId: t.arg.id({ required: false, description: 'Global ID of one object.' }),
    },
    authScopes: (_root, args) => ({ writeOrganisation: args.organisation }),
    totalCount: async (_root, args, ctx) => ctx.prisma.auditEvent.count({ where: await auditFilter(ctx, args) }),
    resolve: async (query, _root, args, ctx) =>
      ctx.prisma.auditEvent.findMany({
        ...query,
        where: await auditFilter(ctx, args),
        orderBy: [{ at: 'desc' }, { id: 'desc' }],
      }),
  }),
);

// Audit events keep the organisation's id without a foreign key: the trail outlives what it describes.
async function auditFilter(
  ctx: Context,
  args: { organisation: string; entityType?: string | null; entityId?: string | number | null },
) {
  const organisation = await ctx.prisma.organisation.findUnique({ where: { slug: args.organisation } });
  const where: Prisma.AuditEventWhereInput = {
    organisationId: organisation?.id ?? NO_ID,
    ...(args.entityType ? { entityType: args.entityType } : {}),
    // An id that does not decode matches nothing.
    ...(args.entityId ? { entityId: idOf(String(args.entityId)) ?? NO_ID } : {}),
  };
  return where;
}

const NO_ID = '00000000-0000-0000-0000-000000000000';

builder.prismaObjectField('Processor', 'history', (t) =>
  t.prismaConnection({
    type: 'AuditEvent',
    cursor: 'id',
    ...pageSize,
    nullable: true,
    description:
      'This processor’s changes, newest first; null (with a FORBIDDEN error) unless the key may write its organisation.',
    authScopes: (processor) => ({ writeOrganisationId: processor.organisationId }),
    totalCount: (processor, _args, ctx) =>
      ctx.prisma.auditEvent.count({ where: { entityType: 'Processor', entityId: processor.id } }),
    resolve: (query, processor, _args, ctx) =>
      ctx.prisma.auditEvent.findMany({
        ...query,
        where: { entityType: 'Processor', entityId: processor.id },
        orderBy: [{ at: 'desc' }, { id: 'desc' }],
      }),
  }),
);
