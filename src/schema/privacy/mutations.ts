// organisationPrivacyUpdate: replaces an organisation's GDPR Art. 13/14 facts
// with a validated document (the same rules as a manifest's `privacy` block).
import { privacySchema } from '../../manifest/privacy.js';
import { builder } from '../builder.js';
import { forbiddenFor, refuse, UserError, type UserErrorShape } from '../common/user-errors.js';
import { assertClaimed, runWrite, snapshot, validate } from '../common/write.js';
import { Organisation as OrganisationRef } from '../organisation/types.js';

const Input = builder.inputType('OrganisationPrivacyUpdateInput', {
  fields: (t) => ({
    organisation: t.string({ required: true, description: 'The organisation’s slug.' }),
    expectedRevision: t.int({
      description: 'The privacy facts’ revision this change is based on; omit when there are none yet.',
    }),
    privacy: t.field({
      type: 'JSONObject',
      required: true,
      description: 'The whole facts document, as in a manifest’s `privacy` block.',
    }),
  }),
});

const Payload = builder
  .objectRef<{ organisation?: unknown; userErrors: UserErrorShape[] }>('OrganisationPrivacyUpdatePayload')
  .implement({
    fields: (t) => ({
      organisation: t.field({
        type: OrganisationRef,
        nullable: true,
        resolve: (p) => (p.organisation ?? null) as never,
      }),
      userErrors: t.field({ type: [UserError], resolve: (p) => p.userErrors }),
    }),
  });

builder.mutationField('organisationPrivacyUpdate', (t) =>
  t.field({
    type: Payload,
    args: { input: t.arg({ type: Input, required: true }) },
    authScopes: (_root, args) => ({ writeOrganisation: args.input.organisation }),
    unauthorizedResolver: (_root, _args, ctx) => forbiddenFor(ctx),
    resolve: (_root, args, ctx) =>
      runWrite(ctx, async ({ tx, record }) => {
        const organisation = await tx.organisation.findUnique({ where: { slug: args.input.organisation } });
        if (!organisation) refuse('NOT_FOUND', 'no organisation has this slug', ['input', 'organisation']);
        const facts = validate(privacySchema, args.input.privacy, ['input', 'privacy']);
        const before = await tx.privacyProfile.findUnique({ where: { organisationId: organisation.id } });
        let after;
        if (!before) {
          if (args.input.expectedRevision != null) {
            refuse('CONFLICT', 'there are no privacy facts yet; omit expectedRevision', ['input', 'expectedRevision']);
          }
          after = await tx.privacyProfile.create({ data: { organisationId: organisation.id, facts } });
        } else {
          if (args.input.expectedRevision == null) {
            refuse(
              'REQUIRED',
              `privacy facts exist at revision ${before.revision}; name it`,
              ['input', 'expectedRevision'],
              {
                currentRevision: before.revision,
              },
            );
          }
          const { count } = await tx.privacyProfile.updateMany({
            where: { id: before.id, revision: args.input.expectedRevision },
            data: { facts, revision: { increment: 1 } },
          });
          const expected = args.input.expectedRevision;
          await assertClaimed(
            count,
            () => tx.privacyProfile.findUnique({ where: { id: before.id } }),
            expected,
            'PrivacyFacts',
          );
          after = (await tx.privacyProfile.findUnique({ where: { id: before.id } }))!;
        }
        await record({
          action: before ? 'UPDATE' : 'CREATE',
          entityType: 'PrivacyProfile',
          entityId: after.id,
          organisationId: organisation.id,
          organisationSlug: organisation.slug,
          before: before ? (snapshot(before.facts as object) as Record<string, unknown>) : null,
          after: snapshot(after.facts as object) as Record<string, unknown>,
        });
        return { organisation };
      }),
  }),
);
