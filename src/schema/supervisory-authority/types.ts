import { builder } from '../builder.js';
import { Address } from '../common/address.js';
import { provenanceFields } from '../common/fact.js';

export const SupervisoryAuthorityRef = builder.prismaNode('SupervisoryAuthority', {
  id: { field: 'id' },
  description: 'A data-protection authority; shared reference data.',
  fields: (t) => ({
    revision: t.exposeInt('revision', {
      description: 'Bumped by every change; pass it as expectedRevision when updating.',
    }),
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    country: t.expose('country', { type: 'CountryCode' }),
    website: t.expose('website', { type: 'URL', nullable: true }),
    email: t.expose('email', { type: 'EmailAddress', nullable: true }),
    phone: t.expose('phone', { type: 'PhoneNumber', nullable: true }),
    address: t.field({
      type: Address,
      nullable: true,
      resolve: (a) => (a.street || a.locality ? a : null),
    }),
    ...provenanceFields(t, (a: { source: string; fieldSources: unknown }) => a),
  }),
});

builder.queryField('supervisoryAuthorities', (t) =>
  t.prismaField({
    type: ['SupervisoryAuthority'],
    args: { country: t.arg({ type: 'CountryCode', required: false }) },
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.supervisoryAuthority.findMany({
        ...query,
        where: args.country ? { country: args.country } : {},
        orderBy: [{ country: 'asc' }, { name: 'asc' }],
      }),
  }),
);
