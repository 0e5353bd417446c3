// The Pothos builder: the Prisma plugin (no N+1: nested selections become one
// query plan), Relay (global IDs, connections) and the scalars that carry meaning.
import SchemaBuilder from '@pothos/core';
import { GraphQLError } from 'graphql';
import { describeProblem } from '../auth/actor.js';
import PrismaPlugin from '@pothos/plugin-prisma';
import RelayPlugin from '@pothos/plugin-relay';
import ScopeAuthPlugin from '@pothos/plugin-scope-auth';
import { canRead, canWrite } from '../auth/keys.js';
import type PrismaTypes from '../db/generated/pothos-types.js';
import { getDatamodel } from '../db/generated/pothos-types.js';
import type { Context } from './context.js';
import { scalars } from './scalars.js';
import { visibleNode } from './notice/draft-access.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './pagination.js';

/** A well-formed id of an object that does not exist: null, as for any unknown node. */
function nullWhenMissing(error: unknown): null {
  if (
    (error as { code?: unknown }).code === 'P2025' ||
    /No record was found|not found/i.test(String((error as Error).message))
  ) {
    return null;
  }
  throw error;
}

function checkIdCount(count: number) {
  if (count > MAX_PAGE_SIZE) {
    throw new GraphQLError(`"ids" may hold at most ${MAX_PAGE_SIZE} ids; got ${count}`, {
      extensions: { code: 'BAD_USER_INPUT', argument: 'ids' },
    });
  }
}

export const builder = new SchemaBuilder<{
  Context: Context;
  PrismaTypes: PrismaTypes;
  DefaultFieldNullability: false;
  DefaultEdgesNullability: false;
  DefaultNodeNullability: false;
  AuthScopes: {
    /** Reads are public unless REQUIRE_AUTH_FOR_READS is set. */
    read: boolean;
    /** May change this organisation (slug): write:<slug>, write:* or admin. */
    writeOrganisation: string | null;
    /** The same, for an organisation known by its database id. */
    writeOrganisationId: string;
    /** The same, for the organisation of a notice (by the notice's id). */
    writeNoticeId: string;
    /** May create organisations: write:* or admin. */
    writeAny: boolean;
    /** Shared reference data and keys: admin. */
    admin: boolean;
  };
  Scalars: {
    Date: { Input: Date; Output: Date | string };
    DateTime: { Input: Date; Output: Date | string };
    EmailAddress: { Input: string; Output: string };
    URL: { Input: string; Output: string };
    CountryCode: { Input: string; Output: string };
    Locale: { Input: string; Output: string };
    PhoneNumber: { Input: string; Output: string };
    Duration: { Input: string; Output: string };
    JSONObject: { Input: Record<string, unknown>; Output: Record<string, unknown> };
  };
}>({
  defaultFieldNullability: false,
  // Relay before scope-auth, so auth functions see decoded global IDs.
  plugins: [RelayPlugin, ScopeAuthPlugin, PrismaPlugin],
  scopeAuth: {
    authorizeOnSubscribe: true,
    treatErrorsAsUnauthorized: true,
    authScopes: (ctx) => {
      const scopes = ctx.caller.actor?.scopes ?? [];
      return {
        read: !ctx.requireAuthForReads || canRead(scopes),
        writeOrganisation: (slug) => canWrite(scopes, slug),
        writeOrganisationId: async (id) => {
          if (scopes.length === 0) return false;
          const org = await ctx.prisma.organisation.findUnique({ where: { id }, select: { slug: true } });
          return canWrite(scopes, org?.slug ?? null);
        },
        writeNoticeId: async (noticeId) => {
          if (scopes.length === 0) return false;
          const notice = await ctx.prisma.notice.findUnique({
            where: { id: noticeId },
            select: { organisation: { select: { slug: true } } },
          });
          return canWrite(scopes, notice?.organisation.slug ?? null);
        },
        writeAny: canWrite(scopes, null),
        admin: scopes.includes('admin'),
      };
    },
    unauthorizedError: (_parent, ctx) =>
      new GraphQLError(`Forbidden: ${describeProblem(ctx.caller)}.`, { extensions: { code: 'FORBIDDEN' } }),
  },
  prisma: {
    // The Rust-free client carries no DMMF; the generator writes it for Pothos.
    dmmf: getDatamodel(),
    client: (ctx) => ctx.prisma,
    exposeDescriptions: false,
    filterConnectionTotalCount: true,
    defaultConnectionSize: DEFAULT_PAGE_SIZE,
    maxConnectionSize: MAX_PAGE_SIZE,
    onUnusedQuery: process.env.NODE_ENV === 'production' ? null : 'warn',
  },
  relay: {
    clientMutationId: 'omit',
    cursorType: 'String',
    edgesFieldOptions: { nullable: false },
    nodeFieldOptions: { nullable: false },
    // `nodes` beside `edges`: most clients want the objects, not the cursors of each.
    nodesOnConnection: { description: 'The objects of this page, without their cursors.' },
    nodeQueryOptions: {
      resolve: async (_root, args, ctx, _info, resolveNode) =>
        visibleNode(ctx, args.id, await Promise.resolve(resolveNode(args.id)).catch(nullWhenMissing)),
    },
    nodesQueryOptions: {
      resolve: async (_root, args, ctx, _info, resolveNodes) => {
        checkIdCount(args.ids.length);
        // One missing id must not fail the others: look each up on its own when the batch fails.
        const nodes: unknown[] = await Promise.resolve(resolveNodes(args.ids)).catch(() =>
          Promise.all(
            args.ids.map((id) => Promise.resolve(resolveNodes([id])).then((n) => (n as unknown[])[0], nullWhenMissing)),
          ),
        );
        return Promise.all(args.ids.map((ref, i) => visibleNode(ctx, ref, nodes[i])));
      },
    },
  },
});

for (const [name, scalar] of Object.entries(scalars)) {
  builder.addScalarType(name as keyof typeof scalars, scalar);
}

builder.queryType({ authScopes: { read: true } });
builder.mutationType({});
builder.subscriptionType({ authScopes: { read: true } });

export type Types = typeof builder extends PothosSchemaTypes.SchemaBuilder<infer T> ? T : never;
/** The field builder of input types, for helpers that add a domain's input fields. */
export type InputFields = PothosSchemaTypes.InputFieldBuilder<Types, 'InputObject'>;
