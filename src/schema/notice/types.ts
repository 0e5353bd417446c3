import { builder } from '../builder.js';
import { wantedLocales } from '../context.js';
import { NoticeKindEnum, NoticeVersionStatusEnum } from '../common/enums.js';
import { NoticeDocument, noticeDocument, servedStatuses, versionContentInclude } from './document.js';

builder.prismaNode('Notice', {
  id: { field: 'id' },
  description: 'One document of an organisation (its privacy notice, its cookie notice), with dated versions.',
  fields: (t) => ({
    slug: t.exposeString('slug'),
    kind: t.expose('kind', { type: NoticeKindEnum }),
    organisation: t.relation('organisation'),
    versions: t.relation('versions', {
      description: 'Published and archived versions, newest first.',
      query: {
        where: { status: { in: servedStatuses } },
        orderBy: { effectiveDate: 'desc' },
      },
    }),
  }),
});

builder.prismaNode('NoticeVersion', {
  id: { field: 'id' },
  description: 'A dated version of a notice. Published versions never change.',
  fields: (t) => ({
    version: t.exposeString('version', {
      description: 'The version label, e.g. "1.2".',
    }),
    effectiveDate: t.expose('effectiveDate', { type: 'Date' }),
    status: t.expose('status', { type: NoticeVersionStatusEnum }),
    notice: t.relation('notice'),
    locales: t.field({
      type: ['Locale'],
      select: {
        translations: { select: { locale: true }, orderBy: { locale: 'asc' } },
      },
      resolve: (version) => version.translations.map((tr) => tr.locale),
    }),
    translations: t.relation('translations', {
      query: { orderBy: { locale: 'asc' } },
    }),
    translation: t.field({
      type: NoticeDocument,
      nullable: true,
      description: 'This version in the best available locale, with the fallback made visible.',
      args: { locale: t.arg({ type: 'Locale', required: false }) },
      select: {
        ...versionContentInclude,
        notice: {
          select: { organisation: { select: { defaultLocale: true } } },
        },
      },
      resolve: (version, args, ctx, info) =>
        noticeDocument(version, wantedLocales(ctx, info, args.locale), version.notice.organisation.defaultLocale),
    }),
  }),
});

builder.prismaNode('NoticeTranslation', {
  id: { field: 'id' },
  fields: (t) => ({
    locale: t.expose('locale', { type: 'Locale' }),
    title: t.exposeString('title'),
    version: t.relation('version'),
    sections: t.relation('sections', {
      query: { orderBy: { position: 'asc' } },
    }),
  }),
});
