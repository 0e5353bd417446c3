// supervisoryAuthorityCreate / Update: shared reference data, for admin keys.
import { supervisoryAuthority } from '../../domain/supervisory-authority.js';
import { builder, type InputFields } from '../builder.js';
import { localId } from '../common/ids.js';
import { AddressInput, plain } from '../common/inputs.js';
import { payloadType } from '../common/user-errors.js';
import { mutate } from '../common/write.js';
import { SupervisoryAuthorityRef } from './types.js';

const Payload = payloadType('SupervisoryAuthorityPayload', 'supervisoryAuthority', SupervisoryAuthorityRef);

const fields = (t: InputFields, required: boolean) => ({
  name: t.string({ required }),
  country: t.string({ required, description: 'ISO 3166-1 alpha-2.' }),
  website: t.string(),
  email: t.string(),
  phone: t.string({ description: 'E.164.' }),
  address: t.field({ type: AddressInput }),
});

const CreateInput = builder.inputType('SupervisoryAuthorityCreateInput', {
  fields: (t) => ({ slug: t.string({ required: true }), ...fields(t, true) }),
});
const UpdateInput = builder.inputType('SupervisoryAuthorityUpdateInput', {
  fields: (t) => ({ id: t.id({ required: true }), expectedRevision: t.int({ required: true }), ...fields(t, false) }),
});

builder.mutationFields((t) => ({
  supervisoryAuthorityCreate: t.field({
    type: Payload,
    args: { input: t.arg({ type: CreateInput, required: true }) },
    resolve: (_root, args, ctx) =>
      mutate(ctx, 'supervisoryAuthority', (s) => s.create(supervisoryAuthority, null, plain(args.input), ['input'])),
  }),
  supervisoryAuthorityUpdate: t.field({
    type: Payload,
    args: { input: t.arg({ type: UpdateInput, required: true }) },
    resolve: (_root, args, ctx) =>
      mutate(ctx, 'supervisoryAuthority', async (s) => {
        const { id, expectedRevision, ...patch } = plain(args.input);
        const row = await s.load(supervisoryAuthority, localId(id, 'SupervisoryAuthority'), ['input', 'id']);
        return s.update(supervisoryAuthority, row, { patch, expectedRevision }, ['input']);
      }),
  }),
}));
