import type { Prisma } from '../../db/generated/client.js';
import { builder } from '../builder.js';
import { ProcessorStatusEnum } from '../common/enums.js';
import { literally } from '../common/inputs.js';
import { pageSize } from '../pagination.js';

builder.queryField('processors', (t) =>
  t.prismaConnection({
    type: 'Processor',
    cursor: 'id',
    ...pageSize,
    totalCount: (_root, args, ctx) => ctx.prisma.processor.count({ where: processorFilter(args) }),
    description: 'Processors across all organisations ("who uses Zendesk?"), by name.',
    args: {
      name: t.arg.string({
        required: false,
        description: 'Part of the name, any case.',
      }),
      country: t.arg({
        type: 'CountryCode',
        required: false,
        description: 'Headquartered in, or keeping data in, this country.',
      }),
      status: t.arg({ type: ProcessorStatusEnum, required: false }),
    },
    resolve: (query, _root, args, ctx) =>
      ctx.prisma.processor.findMany({
        ...query,
        where: processorFilter(args),
        orderBy: [{ name: 'asc' }, { id: 'asc' }],
      }),
  }),
);

function processorFilter(args: {
  name?: string | null;
  country?: string | null;
  status?: Prisma.ProcessorWhereInput['status'] | null;
}): Prisma.ProcessorWhereInput {
  return {
    ...(args.name ? { name: { contains: literally(args.name), mode: 'insensitive' } } : {}),
    ...(args.country
      ? {
          OR: [{ headquartersCountry: args.country }, { dataLocations: { some: { country: args.country } } }],
        }
      : {}),
    ...(args.status ? { status: args.status } : {}),
  };
}
