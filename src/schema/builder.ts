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
import { ownerOfOrganisation } from '../domain/owned.js';
import { ownerOf } from '../domain/registry.js';
import { maySeeWritersOnly } from './visibility.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './pagination.js';

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
    /** The same, for the owner of a record (its type and id). */
    writeRecord: { typename: string; id: string };
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
    PartialDate: { Input: string; Output: string };
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
        writeOrganisationId: async (id) =>
          scopes.length > 0 && maySeeWritersOnly(ctx.caller, await ownerOfOrganisation(ctx.prisma, id)),
        writeRecord: async ({ typename, id }) =>
          scopes.length > 0 && maySeeWritersOnly(ctx.caller, (await ownerOf(ctx.prisma, typename, id))?.owner ?? null),
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
    // node and nodes are defined in src/schema/node.ts: ids strictly parsed, drafts invisible.
    nodeQueryOptions: false,
    nodesQueryOptions: false,
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
