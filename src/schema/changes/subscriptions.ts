// Live change notifications over SSE (or any transport Yoga serves). Events
// are published after the transaction commits, never for a rolled-back change.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import { filter, pipe } from 'graphql-yoga';
import { organisationOwner } from '../../domain/record.js';
import { maySeeWritersOnly } from '../visibility.js';
import type { ChangeEvent } from '../../events/bus.js';
import { builder } from '../builder.js';
import type { Context } from '../context.js';

/**
 * The changes of one organisation, as this subscriber may see them: changes to
 * drafts only for those who may write it. A subscription made while the shared
 * channel is away would silently hear nothing, so it is refused instead.
 */
function listen(ctx: Context, topic: 'processorChanged' | 'organisationChanged', organisation: string) {
  if (!ctx.events.available()) {
    throw new GraphQLError('Change notifications are unavailable for the moment; subscribe again shortly.', {
      extensions: { code: 'SERVICE_UNAVAILABLE' },
    });
  }
  const writer = maySeeWritersOnly(ctx.caller, organisationOwner({ id: null, slug: organisation }));
  return pipe(
    ctx.events.subscribe(topic, organisation),
    filter((event: ChangeEvent) => event.visibility !== 'writers' || writer),
  );
}

export const ChangeActionEnum = builder.enumType('ChangeAction', {
  values: ['CREATE', 'UPDATE', 'DELETE', 'RETIRE'] as const,
});

const ProcessorChange = builder.objectRef<ChangeEvent>('ProcessorChange').implement({
  fields: (t) => ({
    action: t.field({ type: ChangeActionEnum, resolve: (e) => e.action }),
    changedFields: t.exposeStringList('changedFields'),
    at: t.field({ type: 'DateTime', resolve: (e) => new Date(e.at) }),
    processor: t.prismaField({
      type: 'Processor',
      nullable: true,
      resolve: (query, e, _args, ctx) => ctx.prisma.processor.findUnique({ ...query, where: { id: e.entityId } }),
    }),
  }),
});

const OrganisationChange = builder.objectRef<ChangeEvent>('OrganisationChange').implement({
  description: 'A change to the organisation or to any record it owns.',
  fields: (t) => ({
    action: t.field({ type: ChangeActionEnum, resolve: (e) => e.action }),
    changedFields: t.exposeStringList('changedFields'),
    at: t.field({ type: 'DateTime', resolve: (e) => new Date(e.at) }),
    entityType: t.exposeString('entityType', { description: 'e.g. "Processor", "Contact", "Organisation".' }),
    entityId: t.id({
      description: 'The global ID of the changed object.',
      resolve: (e) => encodeGlobalID(e.entityType, e.entityId),
    }),
    organisation: t.prismaField({
      type: 'Organisation',
      nullable: true,
      resolve: (query, e, _args, ctx) =>
        ctx.prisma.organisation.findUnique({ ...query, where: { slug: e.organisationSlug } }),
    }),
  }),
});

builder.subscriptionFields((t) => ({
  processorChanged: t.field({
    type: ProcessorChange,
    description: 'Processors of this organisation created, updated or retired.',
    args: { organisation: t.arg.string({ required: true, description: 'The organisation’s slug.' }) },
    subscribe: (_root, args, ctx) => listen(ctx, 'processorChanged', args.organisation),
    resolve: (event) => event,
  }),
  organisationChanged: t.field({
    type: OrganisationChange,
    description: 'Any change to this organisation or its records.',
    args: { organisation: t.arg.string({ required: true }) },
    subscribe: (_root, args, ctx) => listen(ctx, 'organisationChanged', args.organisation),
    resolve: (event) => event,
  }),
}));
