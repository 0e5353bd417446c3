// organisationPrivacyUpdate: replaces an organisation's GDPR Art. 13/14 facts
// with a validated document (the same rules as a manifest's `privacy` block).
import { refuse } from '../../domain/errors.js';
import { organisationBySlug } from '../../domain/organisation.js';
import { privacyProfile } from '../../domain/privacy-profile.js';
import { organisationOwner } from '../../domain/record.js';
import { builder } from '../builder.js';
import { payloadType } from '../common/user-errors.js';
import { mutate } from '../common/write.js';
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

const Payload = payloadType('OrganisationPrivacyUpdatePayload', 'organisation', OrganisationRef);

builder.mutationField('organisationPrivacyUpdate', (t) =>
  t.field({
    type: Payload,
    args: { input: t.arg({ type: Input, required: true }) },
    resolve: (_root, args, ctx) =>
      mutate(ctx, 'organisation', async (s) => {
        const { organisation: slug, expectedRevision, privacy } = args.input;
        const organisation = await organisationBySlug(s.tx, slug);
        if (!organisation) refuse('NOT_FOUND', 'no organisation has this slug', ['input', 'organisation']);
        s.requireWrite(organisationOwner(organisation));
        const stored = await s.tx.privacyProfile.findUnique({ where: { organisationId: organisation.id } });
        const at = ['input', 'privacy'];
        if (!stored) {
          if (expectedRevision != null) {
            refuse('CONFLICT', 'there are no privacy facts yet; omit expectedRevision', ['input', 'expectedRevision']);
          }
          await s.create(privacyProfile, { organisationId: organisation.id }, privacy, at);
        } else {
          if (expectedRevision == null) {
            refuse(
              'REQUIRED',
              `privacy facts exist at revision ${stored.revision}; name it`,
              ['input', 'expectedRevision'],
              {
                currentRevision: stored.revision,
              },
            );
          }
          const row = (await privacyProfile.load(s.tx, stored.id))!;
          await s.update(privacyProfile, row, { item: privacy, expectedRevision }, at);
        }
        return s.tx.organisation.findUniqueOrThrow({ where: { id: organisation.id } });
      }),
  }),
);
