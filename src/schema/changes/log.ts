// The change log as a connection: `changes(since:)` gives an integrator every
// change after its last cursor, oldest first, so one that was offline catches
// up with nothing lost and nothing twice (src/changes/log.ts). Drafts and
// other writers-only changes are there only for callers who may write the
// organisation; events carry the record's public fields only.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import { cursorArgument, encodeCursor, readChanges } from '../../changes/log.js';
import { typenames, type ChangeAction } from '../../domain/record.js';
import { builder } from '../builder.js';
import { checkPageSize, DEFAULT_PAGE_SIZE } from '../pagination.js';
import { ChangeActionEnum } from './subscriptions.js';

export const ChangeEventRef = builder.prismaObject('ChangeLogEntry', {
  name: 'ChangeEvent',
  description:
    'One committed change to one record, from the change log. Its `cursor` is also its event id in webhook deliveries.',
  fields: (t) => ({
    cursor: t.string({
      description: 'Opaque; resume after this change with `changes(since:)` or a subscription’s `since`.',
      resolve: (e) => encodeCursor(e.position),
    }),
    at: t.expose('at', { type: 'DateTime', description: 'When the change was committed.' }),
    action: t.field({ type: ChangeActionEnum, resolve: (e) => e.action as ChangeAction }),
    recordType: t.exposeString('entityType', { description: 'e.g. "Processor", "RetentionRule", "NoticeVersion".' }),
    recordId: t.id({
      description: 'The global ID of the changed record.',
      resolve: (e) => encodeGlobalID(e.entityType, e.entityId),
    }),
    organisation: t.exposeString('organisationSlug', {
      nullable: true,
      description: 'The slug of the organisation the record belongs to; null for shared reference data.',
    }),
    revision: t.exposeInt('revision', { nullable: true, description: 'The record’s revision after the change.' }),
    key: t.exposeString('key', { description: 'The record’s key among its siblings ("zendesk", "1.2", "nl").' }),
    changedFields: t.exposeStringList('changedFields'),
    before: t.field({
      type: 'JSONObject',
      nullable: true,
      description: 'The record’s public fields before the change; null for a creation.',
      resolve: (e) => e.before as Record<string, unknown> | null,
    }),
    after: t.field({
      type: 'JSONObject',
      nullable: true,
      description: 'The record’s public fields after the change; null for a deletion.',
      resolve: (e) => e.after as Record<string, unknown> | null,
    }),
  }),
});

const ChangeConnection = builder.connectionObject(
  { type: ChangeEventRef, name: 'ChangeConnection' },
  { name: 'ChangeEdge' },
);

function badArgument(argument: string, message: string) {
  return new GraphQLError(`"${argument}" ${message}`, { extensions: { code: 'BAD_USER_INPUT', argument } });
}

builder.queryField('changes', (t) =>
  t.field({
    type: ChangeConnection,
    description:
      'Committed changes after `since`, oldest first: the change log. Keep `pageInfo.endCursor` and ask again with it; on the last page it is the log’s head, so filtered readers skip ahead too.',
    args: {
      organisation: t.arg.string({ required: false, description: 'Only this organisation’s changes (its slug).' }),
      types: t.arg.stringList({ required: false, description: 'Only these record types, e.g. ["Processor"].' }),
      actions: t.arg({ type: [ChangeActionEnum], required: false }),
      since: t.arg.string({
        required: false,
        description: 'A cursor this API gave; from the start of the log when omitted.',
      }),
      first: t.arg.int({ required: false, description: `At most 100; ${DEFAULT_PAGE_SIZE} when omitted.` }),
    },
    resolve: async (_root, args, ctx) => {
      // Every argument is checked before anything reaches the database.
      const since = cursorArgument(args.since, 'since');
      checkPageSize({ first: args.first });
      const unknown = (args.types ?? []).find((type) => !(typenames as readonly string[]).includes(type));
      if (unknown !== undefined) throw badArgument('types', `names no record type: "${unknown.slice(0, 60)}"`);
      const page = await readChanges(ctx.prisma, {
        since,
        first: args.first ?? DEFAULT_PAGE_SIZE,
        caller: ctx.caller,
        filter: { organisation: args.organisation, types: args.types, actions: args.actions },
      });
      const edges = page.entries.map((node) => ({ cursor: encodeCursor(node.position), node }));
      return {
        edges,
        pageInfo: {
          hasNextPage: page.hasNextPage,
          hasPreviousPage: since > 0n,
          startCursor: edges[0]?.cursor ?? null,
          endCursor: encodeCursor(page.end),
        },
      };
    },
  }),
);
