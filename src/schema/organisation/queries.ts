import type { Prisma } from '../../db/generated/client.js';
import { builder } from '../builder.js';
import { setLocaleScope } from '../context.js';
import { literally } from '../common/inputs.js';
import { pageSize } from '../pagination.js';

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
    },
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.organisation.findMany({
        ...query,
        where: organisationFilter(args),
        orderBy: [{ slug: 'asc' }, { id: 'asc' }],
      }),
  }),
);

function organisationFilter(args: { search?: string | null; country?: string | null }): Prisma.OrganisationWhereInput {
  return {
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
