// Where the vendor list is read from: the vendor facts on Organisation, a
// vendor by GVL id, the imported list versions and the list's definitions.
// Filters across vendors are arguments of `organisations` (see
// src/schema/organisation/queries.ts and src/tcf/query.ts).
import { builder } from '../builder.js';
import { pageSize } from '../pagination.js';
import { OrganisationSourceEnum, TcfDefinitionKindEnum } from './types.js';

builder.prismaObjectFields('Organisation', (t) => ({
  source: t.expose('source', { type: OrganisationSourceEnum }),
  gvlId: t.exposeInt('gvlId', {
    nullable: true,
    description: 'For source TCF: the vendor’s id in the IAB TCF Global Vendor List.',
  }),
  deletedAt: t.expose('deletedAt', {
    type: 'DateTime',
    nullable: true,
    description: 'When its source marked it deleted (a vendor the list deletes or no longer names).',
  }),
  tcfVendor: t.relation('tcfVendor', {
    nullable: true,
    description: 'For source TCF: what the vendor declares in the latest imported list.',
  }),
}));

builder.queryFields((t) => ({
  tcfVendor: t.prismaField({
    type: 'TcfVendor',
    nullable: true,
    description: 'A vendor of the TCF Global Vendor List by its GVL id; null when no imported list has it.',
    args: { gvlId: t.arg.int({ required: true }) },
    resolve: (query, _root, args, ctx) => ctx.prisma.tcfVendor.findUnique({ ...query, where: { gvlId: args.gvlId } }),
  }),
  tcfVendorList: t.prismaField({
    type: 'TcfVendorList',
    nullable: true,
    description:
      'An imported version of the list by its vendorListVersion (and specification, default the newest that has it); without a version, the latest imported.',
    args: {
      version: t.arg.int({ required: false }),
      specificationVersion: t.arg.int({ required: false }),
    },
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.tcfVendorList.findFirst({
        ...query,
        where: {
          ...(args.version != null ? { version: args.version } : {}),
          ...(args.specificationVersion != null ? { specVersion: args.specificationVersion } : {}),
        },
        orderBy: { ordinal: 'desc' },
      }),
  }),
  tcfVendorLists: t.prismaConnection({
    type: 'TcfVendorList',
    cursor: 'id',
    ...pageSize,
    description: 'The imported versions of the list, newest first.',
    totalCount: (_root, _args, ctx) => ctx.prisma.tcfVendorList.count(),
    resolve: (query, _root, _args, ctx) =>
      ctx.prisma.tcfVendorList.findMany({ ...query, orderBy: [{ ordinal: 'desc' }, { id: 'desc' }] }),
  }),
  tcfDefinitions: t.prismaField({
    type: ['TcfDefinition'],
    description:
      'The list’s purposes, special purposes, features, special features and data categories, in its own words.',
    args: { kind: t.arg({ type: TcfDefinitionKindEnum, required: false }) },
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.tcfDefinition.findMany({
        ...query,
        where: args.kind ? { kind: args.kind } : {},
        orderBy: [{ kind: 'asc' }, { tcfId: 'asc' }],
      }),
  }),
}));
