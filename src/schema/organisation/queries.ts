import { GraphQLError } from 'graphql';
import type { Prisma } from '../../db/generated/client.js';
import { asksForVendors, durationDays, vendorFilter, type VendorFilter } from '../../tcf/query.js';
import { builder } from '../builder.js';
import { setLocaleScope } from '../context.js';
import { literally } from '../common/inputs.js';
import { pageSize } from '../pagination.js';
import { OrganisationSourceEnum, TcfLegalBasisEnum } from '../tcf/types.js';

builder.queryField('organisation', (t) =>
  t.prismaField({
    type: 'Organisation',
    nullable: true,
    description:
      'One organisation by slug. `locale` sets the locale for every localised field below it (a field may still override it); null when no organisation has that slug.',
    args: {
      slug: t.arg.string({ required: true }),
      locale: t.arg({ type: 'Locale', required: false }),
    },
    resolve: (query, _root, args, ctx, info) => {
      setLocaleScope(ctx, info, args.locale);
      return ctx.prisma.organisation.findUnique({
        ...query,
        where: { slug: args.slug },
      });
    },
  }),
);

builder.queryField('organisations', (t) =>
  t.prismaConnection({
    type: 'Organisation',
    cursor: 'id',
    ...pageSize,
    totalCount: (_root, args, ctx) => ctx.prisma.organisation.count({ where: organisationFilter(args) }),
    args: {
      search: t.arg.string({
        required: false,
        description: 'Part of the name or slug, any case.',
      }),
      country: t.arg({
        type: 'CountryCode',
        required: false,
        description: 'Organisations with a controller entity in this country.',
      }),
      // Questions across the vendors of the TCF Global Vendor List (src/tcf/query.ts).
      source: t.arg({ type: OrganisationSourceEnum, required: false }),
      purpose: t.arg.int({
        required: false,
        description: 'Vendors declaring this TCF purpose (under `legalBasis` when given).',
      }),
      specialPurpose: t.arg.int({ required: false, description: 'Vendors declaring this TCF special purpose.' }),
      legalBasis: t.arg({
        type: TcfLegalBasisEnum,
        required: false,
        description: 'Vendors declaring `purpose` (or, without it, any purpose) under this legal basis.',
      }),
      includeFlexible: t.arg.boolean({
        defaultValue: false,
        description: 'With legalBasis: also purposes declared under the other basis but flexible.',
      }),
      retentionLongerThan: t.arg({
        type: 'Duration',
        required: false,
        description:
          'Vendors keeping data for `purpose` (or `specialPurpose`, or without either any of them) longer than this ("P1Y"; a year counts 365 days, a month 30).',
      }),
      includeDeleted: t.arg.boolean({
        defaultValue: false,
        description: 'Also organisations their source marked deleted (vendors the list deletes).',
      }),
    },
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.organisation.findMany({
        ...query,
        where: organisationFilter(args),
        // Vendors in the list's own order.
        orderBy: asksForVendors(args) ? [{ gvlId: 'asc' }, { id: 'asc' }] : [{ slug: 'asc' }, { id: 'asc' }],
      }),
  }),
);

function organisationFilter(
  args: { search?: string | null; country?: string | null } & VendorFilter,
): Prisma.OrganisationWhereInput {
  const days = args.retentionLongerThan ? durationDays(args.retentionLongerThan) : null;
  if (args.retentionLongerThan && days === null) {
    throw new GraphQLError(`"${args.retentionLongerThan}" is not an ISO 8601 duration this filter understands`, {
      extensions: { code: 'BAD_USER_INPUT', argument: 'retentionLongerThan' },
    });
  }
  return {
    ...vendorFilter(args, days),
    ...(args.search
      ? {
          OR: [
            { name: { contains: literally(args.search), mode: 'insensitive' } },
            { slug: { contains: literally(args.search), mode: 'insensitive' } },
          ],
        }
      : {}),
    ...(args.country ? { controllerEntities: { some: { country: args.country } } } : {}),
  };
}
