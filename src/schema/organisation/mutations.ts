// organisationCreate / organisationUpdate / organisationApplyManifest.
import { describeProblem } from '../../auth/actor.js';
import { organisation } from '../../domain/organisation.js';
import { refuse } from '../../domain/errors.js';
import { WritesUnavailableError } from '../../domain/writer.js';
import { loadManifestText, type LoadResult } from '../../manifest/load.js';
import { builder } from '../builder.js';
import { localId } from '../common/ids.js';
import { plain } from '../common/inputs.js';
import { payloadType, UserError, type UserErrorShape } from '../common/user-errors.js';
import { mutate, unavailable } from '../common/write.js';
import { Organisation as OrganisationRef } from './types.js';

const OrganisationPayload = payloadType('OrganisationPayload', 'organisation', OrganisationRef);

const OrganisationCreateInput = builder.inputType('OrganisationCreateInput', {
  fields: (t) => ({
    slug: t.string({ required: true, description: 'Lower-case letters, digits and hyphens; never changes.' }),
    name: t.string({ required: true }),
    website: t.string(),
    defaultLocale: t.string({ required: true, description: 'BCP 47, e.g. "nl".' }),
    supervisoryAuthorities: t.stringList({ description: 'Slugs of the supervisory authorities it answers to.' }),
  }),
});

const OrganisationUpdateInput = builder.inputType('OrganisationUpdateInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    expectedRevision: t.int({ required: true }),
    name: t.string(),
    website: t.string(),
    defaultLocale: t.string(),
    supervisoryAuthorities: t.stringList({ description: 'Slugs; replaces the list.' }),
  }),
});

const ManifestChange = builder
  .objectRef<{ entity: string; key: string; action: string; fields: string[] }>('ManifestChange')
  .implement({
    description: 'One record a manifest creates, updates, retires or deletes.',
    fields: (t) => ({
      entity: t.exposeString('entity'),
      key: t.exposeString('key'),
      action: t.exposeString('action', { description: 'CREATE, UPDATE, RETIRE or DELETE.' }),
      fields: t.exposeStringList('fields'),
    }),
  });

type ManifestPayloadShape = {
  organisation?: unknown;
  changes?: LoadResult['changes'];
  dryRun?: boolean;
  userErrors: UserErrorShape[];
};
const ManifestPayload = builder.objectRef<ManifestPayloadShape>('OrganisationApplyManifestPayload').implement({
  fields: (t) => ({
    organisation: t.field({ type: OrganisationRef, nullable: true, resolve: (p) => (p.organisation ?? null) as never }),
    changes: t.field({ type: [ManifestChange], resolve: (p) => p.changes ?? [] }),
    dryRun: t.boolean({ resolve: (p) => p.dryRun ?? false }),
    userErrors: t.field({ type: [UserError], resolve: (p) => p.userErrors }),
  }),
});

builder.mutationFields((t) => ({
  organisationCreate: t.field({
    type: OrganisationPayload,
    description: 'Creates an organisation; needs write:<slug>, write:* or admin.',
    args: { input: t.arg({ type: OrganisationCreateInput, required: true }) },
    resolve: (_root, args, ctx) =>
      mutate(ctx, 'organisation', (s) => s.create(organisation, null, plain(args.input), ['input'])),
  }),
  organisationUpdate: t.field({
    type: OrganisationPayload,
    args: { input: t.arg({ type: OrganisationUpdateInput, required: true }) },
    resolve: (_root, args, ctx) =>
      mutate(ctx, 'organisation', async (s) => {
        const { id, expectedRevision, ...patch } = plain(args.input);
        const row = await s.load(organisation, localId(id, 'Organisation'), ['input', 'id']);
        return s.update(organisation, row, { patch, expectedRevision }, ['input']);
      }),
  }),
  organisationApplyManifest: t.field({
    type: ManifestPayload,
    description:
      'Loads an organisation manifest (YAML or JSON text) as `npm run manifest:load` does, in one transaction, with an audit event and a notification for every record it changes. With dryRun, reports what would change and writes nothing.',
    args: {
      manifest: t.arg.string({ required: true }),
      dryRun: t.arg.boolean({ defaultValue: false }),
    },
    resolve: async (_root, args, ctx) => {
      // Reading a manifest is work: a caller with no key at all is told so first.
      if (!ctx.caller.actor) {
        return mutate(ctx, 'organisation', async () =>
          refuse('FORBIDDEN', `Forbidden: ${describeProblem(ctx.caller)}.`),
        );
      }
      try {
        const outcome = await loadManifestText(
          ctx.writer,
          { caller: ctx.caller, requestId: ctx.requestId },
          args.manifest,
          { dryRun: args.dryRun ?? false, base: ['manifest'] },
        );
        if (!outcome.ok) return { userErrors: outcome.userErrors };
        const { organisationId, changes, dryRun } = outcome.result;
        const org = organisationId ? await ctx.prisma.organisation.findUnique({ where: { id: organisationId } }) : null;
        return { organisation: org, changes, dryRun, userErrors: [] };
      } catch (error) {
        if (error instanceof WritesUnavailableError) throw unavailable(error.message);
        throw error;
      }
    },
  }),
}));
