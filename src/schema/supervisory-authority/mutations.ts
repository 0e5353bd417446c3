// supervisoryAuthorityCreate / Update: shared reference data, for admin keys.
import { authorityColumns, itemOf } from '../../manifest/records.js';
import { supervisoryAuthoritySchema } from '../../manifest/schema.js';
import type { SupervisoryAuthority } from '../../db/generated/client.js';
import { builder } from '../builder.js';
import { patched } from '../common/child-mutations.js';
import { AddressInput, plain } from '../common/inputs.js';
import { forbiddenFor, refuse, UserError, type UserErrorShape } from '../common/user-errors.js';
import { assertClaimed, localId, runWrite, snapshot, validate } from '../common/write.js';
import { SupervisoryAuthorityRef } from './types.js';

type Payload = { supervisoryAuthority?: SupervisoryAuthority | null; userErrors: UserErrorShape[] };

const Payload = builder.objectRef<Payload>('SupervisoryAuthorityPayload').implement({
  fields: (t) => ({
    supervisoryAuthority: t.field({
      type: SupervisoryAuthorityRef,
      nullable: true,
      resolve: (p) => p.supervisoryAuthority ?? null,
    }),
    userErrors: t.field({ type: [UserError], resolve: (p) => p.userErrors }),
  }),
});

const fields = (required: boolean) => (t: Parameters<Parameters<typeof builder.inputType>[1]['fields']>[0]) => ({
  name: t.string({ required }),
  country: t.string({ required, description: 'ISO 3166-1 alpha-2.' }),
  website: t.string(),
  email: t.string(),
  phone: t.string({ description: 'E.164.' }),
  address: t.field({ type: AddressInput }),
});

const CreateInput = builder.inputType('SupervisoryAuthorityCreateInput', {
  fields: (t) => ({ slug: t.string({ required: true }), ...fields(true)(t) }),
});
const UpdateInput = builder.inputType('SupervisoryAuthorityUpdateInput', {
  fields: (t) => ({ id: t.id({ required: true }), expectedRevision: t.int({ required: true }), ...fields(false)(t) }),
});

const toItem = (a: SupervisoryAuthority) =>
  itemOf(a, ['slug', 'name', 'country', 'website', 'email', 'phone'], { address: true });

/** Reference data belongs to no organisation; its changes are audited without one. */
const change = (action: 'CREATE' | 'UPDATE', before: SupervisoryAuthority | null, after: SupervisoryAuthority) => ({
  action,
  entityType: 'SupervisoryAuthority',
  entityId: after.id,
  organisationId: null,
  organisationSlug: '',
  before: before ? snapshot(before) : null,
  after: snapshot(after),
});

builder.mutationFields((t) => ({
  supervisoryAuthorityCreate: t.field({
    type: Payload,
    args: { input: t.arg({ type: CreateInput, required: true }) },
    authScopes: { admin: true },
    unauthorizedResolver: (_root, _args, ctx) => forbiddenFor(ctx),
    resolve: (_root, args, ctx) =>
      runWrite(ctx, async ({ tx, record }) => {
        const item = validate(supervisoryAuthoritySchema, patched({}, plain(args.input)));
        const supervisoryAuthority = await tx.supervisoryAuthority.create({ data: authorityColumns(item) });
        await record(change('CREATE', null, supervisoryAuthority));
        return { supervisoryAuthority };
      }),
  }),
  supervisoryAuthorityUpdate: t.field({
    type: Payload,
    args: { input: t.arg({ type: UpdateInput, required: true }) },
    authScopes: { admin: true },
    unauthorizedResolver: (_root, _args, ctx) => forbiddenFor(ctx),
    resolve: (_root, args, ctx) =>
      runWrite(ctx, async ({ tx, record }) => {
        const id = localId(String(args.input.id), 'SupervisoryAuthority');
        const before = await tx.supervisoryAuthority.findUnique({ where: { id } });
        if (!before) refuse('NOT_FOUND', 'no SupervisoryAuthority has this id', ['input', 'id']);
        const { id: _id, expectedRevision, ...patch } = plain(args.input);
        const item = validate(supervisoryAuthoritySchema, patched(toItem(before), patch));
        const { count } = await tx.supervisoryAuthority.updateMany({
          where: { id, revision: expectedRevision },
          data: { ...authorityColumns(item), revision: { increment: 1 } },
        });
        await assertClaimed(
          count,
          () => tx.supervisoryAuthority.findUnique({ where: { id } }),
          expectedRevision,
          'SupervisoryAuthority',
        );
        const supervisoryAuthority = (await tx.supervisoryAuthority.findUnique({ where: { id } }))!;
        await record(change('UPDATE', before, supervisoryAuthority));
        return { supervisoryAuthority };
      }),
  }),
}));
