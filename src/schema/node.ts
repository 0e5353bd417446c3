// node(id) and nodes(ids): refetch any object by its global ID. An id is
// parsed strictly before anything reaches the database: a malformed one, or
// one of a type this API does not have, is a BAD_USER_INPUT error naming the
// argument; a well-formed id of nothing is a plain null — and so is an object
// the caller may not see (src/schema/visibility.ts), so the two cannot be told
// apart. In `nodes`, each bad id is null with its own error; the others answer.
import { resolveNodes } from '@pothos/plugin-relay';
import { GraphQLError, isObjectType, type GraphQLResolveInfo } from 'graphql';
import { builder } from './builder.js';
import type { Context } from './context.js';
import { MAX_PAGE_SIZE } from './pagination.js';
import { mayReadNode } from './visibility.js';

const GLOBAL_ID = /^([A-Z][A-Za-z]{0,60}):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const BASE64 = /^[A-Za-z0-9+/]{1,200}={0,2}$/;

function badId(argument: string, why: string) {
  return new GraphQLError(`"${argument}" ${why}`, { extensions: { code: 'BAD_USER_INPUT', argument } });
}

/** A global ID as {typename, id}, or the error that says why it is not one. */
export function parseGlobalId(value: string, argument: string, info: GraphQLResolveInfo) {
  const decoded = BASE64.test(value) ? Buffer.from(value, 'base64').toString('utf8') : '';
  const match = GLOBAL_ID.exec(decoded);
  if (!match) return badId(argument, 'is not an ID of this API');
  const type = info.schema.getType(match[1]!);
  if (!isObjectType(type) || !type.getInterfaces().some((i) => i.name === 'Node')) {
    return badId(argument, 'is not an ID of this API (unknown type)');
  }
  return { typename: match[1]!, id: match[2]! };
}

/** Prisma's "no such record" from a node loader: the id names nothing. */
function nullWhenMissing(error: unknown): null {
  if (
    (error as { code?: unknown }).code === 'P2025' ||
    /No record was found|not found/i.test(String((error as Error).message))
  ) {
    return null;
  }
  throw error;
}

async function load(ctx: Context, info: GraphQLResolveInfo, refs: { typename: string; id: string }[]) {
  // One missing id must not fail the others: look each up on its own when the batch fails.
  const nodes: unknown[] = await resolveNodes(builder, ctx, info, refs).catch(() =>
    Promise.all(refs.map((ref) => resolveNodes(builder, ctx, info, [ref]).then((n) => n[0], nullWhenMissing))),
  );
  return Promise.all(
    refs.map(async (ref, i) =>
      nodes[i] != null && (await mayReadNode(ctx.prisma, ctx.caller, ref)) ? nodes[i] : null,
    ),
  );
}

builder.queryFields((t) => ({
  node: t.field({
    type: builder.nodeInterfaceRef(),
    nullable: true,
    description: 'Any object by its global ID; null when there is none (or none the caller may see).',
    args: { id: t.arg.id({ required: true }) },
    resolve: async (_root, args, ctx, info) => {
      const ref = parseGlobalId(String(args.id), 'id', info);
      if (ref instanceof GraphQLError) throw ref;
      const [node] = await load(ctx, info, [ref]);
      return node as never;
    },
  }),
  nodes: t.field({
    type: [builder.nodeInterfaceRef()],
    nullable: { list: false, items: true },
    description: `Objects by their global IDs, in order (at most ${MAX_PAGE_SIZE}); null for each id that names none.`,
    args: { ids: t.arg.idList({ required: true }) },
    resolve: async (_root, args, ctx, info) => {
      if (args.ids.length > MAX_PAGE_SIZE) {
        throw badId('ids', `may hold at most ${MAX_PAGE_SIZE} ids; got ${args.ids.length}`);
      }
      const parsed = args.ids.map((id) => parseGlobalId(String(id), 'ids', info));
      const good = parsed.filter((p): p is { typename: string; id: string } => !(p instanceof GraphQLError));
      const nodes = await load(ctx, info, good);
      let next = 0;
      // An Error in a list is that item's error: it answers null with its own path.
      return parsed.map((p) => (p instanceof GraphQLError ? p : nodes[next++])) as never;
    },
  }),
}));
