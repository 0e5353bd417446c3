// Live change notifications over SSE (or any transport Yoga serves). Events
// are published after the transaction commits, never for a rolled-back change.
// A subscription given a cursor (`since:`, or the `Last-Event-ID` header an
// EventSource sends when it reconnects) first replays the change log after
// it, then goes on live: nothing is missed in between, nothing sent twice.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import { filter, pipe } from 'graphql-yoga';
import { cursorArgument, encodeCursor, readChanges } from '../../changes/log.js';
import { eventFromEntry } from '../../events/tail.js';
import { organisationOwner } from '../../domain/record.js';
import { maySeeWritersOnly } from '../visibility.js';
import type { ChangeEvent } from '../../events/bus.js';
import { builder } from '../builder.js';
import type { Context } from '../context.js';

type Topic = 'processorChanged' | 'organisationChanged';

/** Where to resume: the `since` argument, else the Last-Event-ID header, else nowhere (live only). */
function resumeFrom(ctx: Context, since: string | null | undefined): bigint | null {
  if (since != null) return cursorArgument(since, 'since');
  const header = ctx.request?.headers.get('last-event-id');
  return header ? cursorArgument(header.trim(), 'Last-Event-ID') : null;
}

/**
 * The log after `since`, then the live events. The live subscription starts
 * first, so whatever commits while the log is read is buffered; of those,
 * the ones the replay already sent (at or below the head it read up to) are
 * dropped. (Through Redis the subscription is in place once Redis confirms it,
 * a few milliseconds later; a change in that moment reaches the client on its
 * next resume.)
 */
async function* resumed(
  ctx: Context,
  topic: Topic,
  organisation: string,
  since: bigint,
  visible: (event: ChangeEvent) => boolean,
): AsyncGenerator<ChangeEvent> {
  const live = ctx.events.subscribe(topic, organisation)[Symbol.asyncIterator]();
  // Asking for the first event attaches the listener now.
  let next = live.next();
  try {
    let high = since;
    for (;;) {
      const page = await readChanges(ctx.prisma, {
        since: high,
        first: 100,
        caller: ctx.caller,
        filter: { organisation, types: topic === 'processorChanged' ? ['Processor'] : null },
      });
      for (const entry of page.entries) yield eventFromEntry(entry);
      high = page.end;
      if (!page.hasNextPage) break;
    }
    for (;;) {
      const { value, done } = await next;
      if (done) return;
      if (visible(value) && (!value.position || BigInt(value.position) > high)) yield value;
      next = live.next();
    }
  } finally {
    await live.return?.();
  }
}

/**
 * The changes of one organisation, as this subscriber may see them: changes to
 * drafts only for those who may write it. A subscription made while the shared
 * channel is away would silently hear nothing, so it is refused instead.
 */
function listen(ctx: Context, topic: Topic, organisation: string, since?: string | null) {
  const from = resumeFrom(ctx, since);
  if (!ctx.events.available()) {
    throw new GraphQLError('Change notifications are unavailable for the moment; subscribe again shortly.', {
      extensions: { code: 'SERVICE_UNAVAILABLE' },
    });
  }
  const writer = maySeeWritersOnly(ctx.caller, organisationOwner({ id: null, slug: organisation }));
  const visible = (event: ChangeEvent) => event.visibility !== 'writers' || writer;
  if (from !== null) return resumed(ctx, topic, organisation, from, visible);
  return pipe(ctx.events.subscribe(topic, organisation), filter(visible));
}

/** The event, with its cursor noted for the SSE id line (src/schema/changes/event-ids.ts). */
function delivered(event: ChangeEvent, ctx: Context): ChangeEvent {
  ctx.changeCursor = event.position ? encodeCursor(BigInt(event.position)) : undefined;
  return event;
}

const cursorField = {
  description: 'Where this change is in the change log: give it as `since` (or Last-Event-ID) to resume after it.',
  nullable: true,
  resolve: (e: ChangeEvent) => (e.position ? encodeCursor(BigInt(e.position)) : null),
} as const;

const SINCE =
  'A change cursor: first the changes after it from the change log, then live ones. The `Last-Event-ID` header does the same.';

export const ChangeActionEnum = builder.enumType('ChangeAction', {
  values: ['CREATE', 'UPDATE', 'DELETE', 'RETIRE'] as const,
});

const ProcessorChange = builder.objectRef<ChangeEvent>('ProcessorChange').implement({
  fields: (t) => ({
    action: t.field({ type: ChangeActionEnum, resolve: (e) => e.action }),
    changedFields: t.exposeStringList('changedFields'),
    at: t.field({ type: 'DateTime', resolve: (e) => new Date(e.at) }),
    cursor: t.string(cursorField),
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
    cursor: t.string(cursorField),
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
    args: {
      organisation: t.arg.string({ required: true, description: 'The organisation’s slug.' }),
      since: t.arg.string({ required: false, description: SINCE }),
    },
    subscribe: (_root, args, ctx) => listen(ctx, 'processorChanged', args.organisation, args.since),
    resolve: (event, _args, ctx) => delivered(event, ctx),
  }),
  organisationChanged: t.field({
    type: OrganisationChange,
    description: 'Any change to this organisation or its records.',
    args: {
      organisation: t.arg.string({ required: true }),
      since: t.arg.string({ required: false, description: SINCE }),
    },
    subscribe: (_root, args, ctx) => listen(ctx, 'organisationChanged', args.organisation, args.since),
    resolve: (event, _args, ctx) => delivered(event, ctx),
  }),
}));
