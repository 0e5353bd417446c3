// organisationCreate / organisationUpdate / organisationApplyManifest.
import { parseDocument } from 'yaml';
import { applyManifestInTransaction } from '../../manifest/apply.js';
import { parseManifest } from '../../manifest/parse.js';
import { compact } from '../../manifest/records.js';
import { organisationSchema } from '../../manifest/schema.js';
import type { Organisation } from '../../db/generated/client.js';
import { builder } from '../builder.js';
import { patched } from '../common/child-mutations.js';
import { plain } from '../common/inputs.js';
import { forbiddenFor, refuse, UserError, UserInputError, type UserErrorShape } from '../common/user-errors.js';
import { assertClaimed, idOf, localId, runWrite, snapshot, validate } from '../common/write.js';
import { Organisation as OrganisationRef } from './types.js';

type Payload = { organisation?: Organisation | null; userErrors: UserErrorShape[] };

const OrganisationPayload = builder.objectRef<Payload>('OrganisationPayload').implement({
  fields: (t) => ({
    organisation: t.field({ type: OrganisationRef, nullable: true, resolve: (p) => p.organisation ?? null }),
    userErrors: t.field({ type: [UserError], resolve: (p) => p.userErrors }),
  }),
});

const OrganisationCreateInput = builder.inputType('OrganisationCreateInput', {
  fields: (t) => ({
    slug: t.string({ required: true, description: 'Lower-case letters, digits and hyphens; never changes.' }),
    name: t.string({ required: true }),
    website: t.string(),
    defaultLocale: t.string({ required: true, description: 'BCP 47, e.g. "nl".' }),
  }),
});

const OrganisationUpdateInput = builder.inputType('OrganisationUpdateInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    expectedRevision: t.int({ required: true }),
    name: t.string(),
    website: t.string(),
    defaultLocale: t.string(),
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

type ManifestPayloadShape = Payload & {
  changes?: { entity: string; key: string; action: string; fields: string[] }[];
  dryRun?: boolean;
};
const ManifestPayload = builder.objectRef<ManifestPayloadShape>('OrganisationApplyManifestPayload').implement({
  fields: (t) => ({
    organisation: t.field({ type: OrganisationRef, nullable: true, resolve: (p) => p.organisation ?? null }),
    changes: t.field({ type: [ManifestChange], resolve: (p) => p.changes ?? [] }),
    dryRun: t.boolean({ resolve: (p) => p.dryRun ?? false }),
    userErrors: t.field({ type: [UserError], resolve: (p) => p.userErrors }),
  }),
});

class DryRun extends Error {
  constructor(readonly payload: Omit<ManifestPayloadShape, 'userErrors'>) {
    super('dry run');
  }
}

/** The slug a manifest names, read cheaply for authorisation before full validation. */
function manifestSlug(text: string): string | null {
  try {
    const slug = parseDocument(text).getIn(['organisation', 'slug']);
    return typeof slug === 'string' ? slug : null;
  } catch {
    return null;
  }
}

const toItem = (o: Organisation) =>
  compact({ slug: o.slug, name: o.name, website: o.website ?? undefined, defaultLocale: o.defaultLocale });

builder.mutationFields((t) => ({
  organisationCreate: t.field({
    type: OrganisationPayload,
    args: { input: t.arg({ type: OrganisationCreateInput, required: true }) },
    authScopes: { writeAny: true },
    unauthorizedResolver: (_root, _args, ctx) => forbiddenFor(ctx),
    resolve: (_root, args, ctx) =>
      runWrite(ctx, async ({ tx, record }) => {
        const item = validate(organisationSchema, patched({}, plain(args.input)));
        const organisation = await tx.organisation.create({ data: { ...item, website: item.website ?? null } });
        await record({
          action: 'CREATE',
          entityType: 'Organisation',
          entityId: organisation.id,
          organisationId: organisation.id,
          organisationSlug: organisation.slug,
          before: null,
          after: snapshot(organisation),
        });
        return { organisation };
      }),
  }),
  organisationUpdate: t.field({
    type: OrganisationPayload,
    args: { input: t.arg({ type: OrganisationUpdateInput, required: true }) },
    authScopes: async (_root, args, ctx) => {
      const id = idOf(String(args.input.id), 'Organisation');
      const org = id ? await ctx.prisma.organisation.findUnique({ where: { id }, select: { slug: true } }) : null;
      return { writeOrganisation: org?.slug ?? null };
    },
    unauthorizedResolver: (_root, _args, ctx) => forbiddenFor(ctx),
    resolve: (_root, args, ctx) =>
      runWrite(ctx, async ({ tx, record }) => {
        const id = localId(String(args.input.id), 'Organisation');
        const before = await tx.organisation.findUnique({ where: { id } });
        if (!before) refuse('NOT_FOUND', 'no Organisation has this id', ['input', 'id']);
        const { id: _id, expectedRevision, ...patch } = plain(args.input);
        const item = validate(organisationSchema, patched(toItem(before), patch));
        const { count } = await tx.organisation.updateMany({
          where: { id, revision: expectedRevision },
          data: {
            name: item.name,
            website: item.website ?? null,
            defaultLocale: item.defaultLocale,
            revision: { increment: 1 },
          },
        });
        await assertClaimed(
          count,
          () => tx.organisation.findUnique({ where: { id } }),
          expectedRevision,
          'Organisation',
        );
        const organisation = (await tx.organisation.findUnique({ where: { id } }))!;
        await record({
          action: 'UPDATE',
          entityType: 'Organisation',
          entityId: id,
          organisationId: id,
          organisationSlug: organisation.slug,
          before: snapshot(before),
          after: snapshot(organisation),
        });
        return { organisation };
      }),
  }),
  organisationApplyManifest: t.field({
    type: ManifestPayload,
    description:
      'Loads an organisation manifest (YAML or JSON text) as `npm run manifest:load` does, in one transaction. With dryRun, reports what would change and writes nothing.',
    args: {
      manifest: t.arg.string({ required: true }),
      dryRun: t.arg.boolean({ defaultValue: false }),
    },
    authScopes: (_root, args) => ({ writeOrganisation: manifestSlug(args.manifest) }),
    unauthorizedResolver: (_root, _args, ctx) => forbiddenFor(ctx),
    resolve: async (_root, args, ctx) => {
      if (args.manifest.length > 2_000_000) {
        return {
          userErrors: [{ field: ['manifest'], code: 'TOO_LONG' as const, message: 'a manifest may be at most 2 MB' }],
        };
      }
      const parsed = parseManifest(args.manifest);
      if (!parsed.ok) {
        return {
          userErrors: parsed.problems.map((p) => ({
            field: ['manifest', ...p.path.split('.')],
            code: (p.code === 'SYNTAX' ? 'SYNTAX' : p.code) as UserErrorShape['code'],
            message: p.message,
          })),
        };
      }
      try {
        return await runWrite(ctx, async ({ tx, record }) => {
          const before = await tx.organisation.findUnique({ where: { slug: parsed.manifest.organisation.slug } });
          const result = await applyManifestInTransaction(tx, parsed.manifest);
          const organisation = (await tx.organisation.findUnique({ where: { id: result.organisationId } }))!;
          const payload = { organisation, changes: result.changes, dryRun: Boolean(args.dryRun) };
          if (args.dryRun) throw new DryRun(payload);
          if (result.changes.length > 0) {
            await record({
              action: before ? 'UPDATE' : 'CREATE',
              entityType: 'Organisation',
              entityId: organisation.id,
              organisationId: organisation.id,
              organisationSlug: organisation.slug,
              before: before ? snapshot(before) : null,
              after: { ...snapshot(organisation), manifestChanges: result.changes },
            });
          }
          return payload;
        });
      } catch (error) {
        if (error instanceof DryRun) return { ...error.payload, userErrors: [] };
        if (error instanceof UserInputError) return { userErrors: error.userErrors };
        throw error;
      }
    },
  }),
}));
