import { contactActiveOnWhere } from '../../domain/contact.js';
import { rowActiveOnWhere } from '../../domain/validity.js';
import { builder } from '../builder.js';
import { wantedLocales } from '../context.js';
import { pageSize } from '../pagination.js';
import { ContactKindEnum, NoticeKindEnum, ProcessorStatusEnum } from '../common/enums.js';
import { NoticeDocument, noticeDocument, noticeTimelineSelect } from '../notice/document.js';

export const Organisation = builder.prismaNode('Organisation', {
  id: { field: 'id' },
  description: 'The brand a privacy notice speaks for.',
  fields: (t) => ({
    revision: t.exposeInt('revision', {
      description: 'Bumped by every change; pass it as expectedRevision when updating.',
    }),
    slug: t.exposeString('slug'),
    name: t.exposeString('name'),
    website: t.expose('website', { type: 'URL', nullable: true }),
    defaultLocale: t.expose('defaultLocale', {
      type: 'Locale',
      description: 'The locale served when none of the requested ones is available.',
    }),
    locales: t.field({
      type: ['Locale'],
      description: 'Every locale in which a published version of one of its notices exists.',
      select: {
        notices: {
          select: {
            versions: {
              where: { status: { not: 'DRAFT' } },
              select: { translations: { select: { locale: true } } },
            },
          },
        },
      },
      resolve: (org) => {
        const locales = new Set<string>();
        for (const n of org.notices)
          for (const v of n.versions) for (const tr of v.translations) locales.add(tr.locale);
        return [...locales].sort();
      },
    }),
    controllerEntities: t.relation('controllerEntities', {
      args: {
        includeInactive: t.arg.boolean({
          defaultValue: false,
          description: 'Also list entities that held only under an older (or a future) notice version.',
        }),
      },
      query: (args, ctx) => ({
        where: args.includeInactive ? {} : rowActiveOnWhere(ctx.now()),
        orderBy: [{ role: 'asc' }, { legalName: 'asc' }],
      }),
    }),
    contacts: t.relation('contacts', {
      args: {
        kind: t.arg({ type: ContactKindEnum, required: false }),
        includeInactive: t.arg.boolean({
          defaultValue: false,
          description: 'Also list contacts that are no longer (or not yet) in use, such as those of an older notice.',
        }),
      },
      query: (args, ctx) => ({
        where: {
          ...(args.kind ? { kind: args.kind } : {}),
          ...(args.includeInactive ? {} : contactActiveOnWhere(ctx.now())),
        },
        orderBy: [{ kind: 'asc' }, { key: 'asc' }],
      }),
    }),
    supervisoryAuthorities: t.relation('supervisoryAuthorities', {
      query: { orderBy: { name: 'asc' } },
    }),
    processors: t.relatedConnection('processors', {
      cursor: 'id',
      totalCount: true,
      ...pageSize,
      args: { status: t.arg({ type: ProcessorStatusEnum, required: false }) },
      query: (args) => ({
        where: args.status ? { status: args.status } : {},
        orderBy: [{ name: 'asc' }, { id: 'asc' }],
      }),
    }),
    retentionRules: t.relation('retentionRules', {
      query: { orderBy: [{ position: 'asc' }, { key: 'asc' }] },
    }),
    notices: t.relation('notices', { query: { orderBy: { slug: 'asc' } } }),
    notice: t.field({
      type: NoticeDocument,
      nullable: true,
      description:
        'The notice in force on `at` (default: today), in the best available locale: the `locale` argument, else the enclosing `organisation(locale:)`, else Accept-Language, else the default locale. Each locale has its own timeline: a visitor gets the latest translation in force in their language, and `isOutdated` says when a newer version exists in other languages only. Clients with a normalised cache pass `locale` here.',
      args: {
        locale: t.arg({ type: 'Locale', required: false }),
        at: t.arg({ type: 'Date', required: false }),
        kind: t.arg({ type: NoticeKindEnum, defaultValue: 'PRIVACY' }),
      },
      select: (args, ctx) => noticeTimelineSelect(args.kind ?? 'PRIVACY', args.at ?? ctx.now()),
      resolve: (org, args, ctx, info) =>
        noticeDocument(
          org.notices[0]?.versions ?? [],
          wantedLocales(ctx, info, args.locale),
          org.defaultLocale,
          args.at ?? ctx.now(),
        ),
    }),
  }),
});
