// A notice as a frontend renders it: one translation, chosen by date and
// locale (src/domain/notice-timeline.ts), with the choice made visible. The
// choice is made from the versions' translation metadata alone; the sections
// of the one translation served are then read, batched across the request
// (src/schema/loaders.ts), so a query in one locale reads one translation.
//
// Its identity (`id`) is the translation served and the locale asked for, so a
// normalising client cache keeps one object per answer, never a German answer
// under a Dutch question.
import { encodeGlobalID } from '@pothos/plugin-relay';
import type { NoticeKind, NoticeVersionStatus } from '../../db/generated/enums.js';
import type { NoticeSection as SectionRow } from '../../db/generated/client.js';
import { takenEffectWhere } from '../../domain/notice.js';
import { servedTranslation } from '../../domain/notice-timeline.js';
import type { LocaleResolution } from '../../locale.js';
import { resolveLocale } from '../../locale.js';
import { documentHtml, documentMarkdown, documentText } from '../../notice/document.js';
import { builder } from '../builder.js';
import { NoticeVersionStatusEnum } from '../common/enums.js';
import type { Context } from '../context.js';
import { sectionsOf } from '../loaders.js';
import { NoticeSection } from './section.js';

/** What choosing a translation needs of a version: no sections. */
export const versionChoiceSelect = {
  id: true,
  version: true,
  effectiveDate: true,
  status: true,
  translations: { select: { id: true, locale: true, title: true, effectiveDate: true }, orderBy: { locale: 'asc' } },
} as const;

interface VersionChoice {
  id: string;
  version: string;
  effectiveDate: Date;
  status: NoticeVersionStatus;
  translations: { id: string; locale: string; title: string; effectiveDate: Date | null }[];
}

/** The Prisma selection of a notice's versions that took effect by `at`, for the timeline, in one query plan. */
export function noticeTimelineSelect(kind: NoticeKind, at: Date) {
  return {
    notices: {
      where: { kind, versions: { some: takenEffectWhere(at) } },
      orderBy: { slug: 'asc' as const },
      take: 1,
      select: {
        versions: {
          where: takenEffectWhere(at),
          orderBy: { effectiveDate: 'desc' as const },
          select: versionChoiceSelect,
        },
      },
    },
  };
}

export interface NoticeDocumentShape extends LocaleResolution {
  translationId: string;
  availableLocales: string[];
  version: string;
  versionId: string;
  effectiveDate: Date;
  /** The day the served translation took effect (its version's, or later). */
  translationEffectiveDate: Date;
  status: NoticeVersionStatus;
  title: string;
  newerVersion: { id: string; version: string; effectiveDate: Date; locales: string[] } | null;
}

function shape(
  version: VersionChoice,
  translation: VersionChoice['translations'][number],
  resolution: LocaleResolution,
  extra: Pick<NoticeDocumentShape, 'availableLocales' | 'translationEffectiveDate' | 'newerVersion'>,
): NoticeDocumentShape {
  return {
    ...resolution,
    ...extra,
    translationId: translation.id,
    version: version.version,
    versionId: version.id,
    effectiveDate: version.effectiveDate,
    status: version.status,
    title: translation.title,
  };
}

/** The notice in force on `at` for these locale wishes, each locale on its own timeline. */
export function noticeDocument(
  versions: readonly VersionChoice[],
  wanted: readonly string[],
  defaultLocale: string,
  at: Date,
): NoticeDocumentShape | null {
  const served = servedTranslation(versions, wanted, defaultLocale, at);
  if (!served) return null;
  return shape(served.version, served.translation, served, {
    availableLocales: served.availableLocales,
    translationEffectiveDate: served.effectiveDate,
    newerVersion: served.newerVersion && {
      id: served.newerVersion.version.id,
      version: served.newerVersion.version.version,
      effectiveDate: served.newerVersion.version.effectiveDate,
      locales: served.newerVersion.locales,
    },
  });
}

/** One version in the best of its locales (no timeline: the version is given). */
export function versionDocument(
  version: VersionChoice,
  wanted: readonly string[],
  defaultLocale: string,
): NoticeDocumentShape | null {
  const availableLocales = version.translations.map((t) => t.locale);
  const choice = resolveLocale(wanted, availableLocales, defaultLocale);
  const translation = choice && version.translations.find((t) => t.locale === choice.resolvedLocale);
  if (!choice || !translation) return null;
  const own = translation.effectiveDate;
  return shape(version, translation, choice, {
    availableLocales,
    translationEffectiveDate: own && own > version.effectiveDate ? own : version.effectiveDate,
    newerVersion: null,
  });
}

const sections = (doc: NoticeDocumentShape, ctx: Context): Promise<SectionRow[]> => sectionsOf(ctx, doc.translationId);

const TocEntry = builder.objectRef<{ anchor: string; heading: string; level: number }>('TocEntry').implement({
  description: 'A line of a table of contents: link to `#anchor`.',
  fields: (t) => ({
    anchor: t.exposeString('anchor'),
    heading: t.exposeString('heading'),
    level: t.exposeInt('level'),
  }),
});

const NewerVersion = builder
  .objectRef<NonNullable<NoticeDocumentShape['newerVersion']>>('NewerNoticeVersion')
  .implement({
    description: 'A version newer than the one served, in other locales only.',
    fields: (t) => ({
      version: t.exposeString('version'),
      effectiveDate: t.expose('effectiveDate', { type: 'Date' }),
      locales: t.expose('locales', { type: ['Locale'], description: 'The locales it exists in.' }),
      noticeVersion: t.prismaField({
        type: 'NoticeVersion',
        resolve: (query, v, _args, ctx) =>
          ctx.prisma.noticeVersion.findUniqueOrThrow({ ...query, where: { id: v.id } }),
      }),
    }),
  });

export const NoticeDocument = builder.objectRef<NoticeDocumentShape>('NoticeDocument').implement({
  description: 'One translation of one notice version, as chosen for the request.',
  fields: (t) => ({
    id: t.id({
      description:
        'The translation served and the locale asked for: one identity per answer, so client caches that normalise by id keep each language apart.',
      resolve: (d) => encodeGlobalID('NoticeDocument', `${d.translationId}:${d.requestedLocale}`),
    }),
    requestedLocale: t.expose('requestedLocale', {
      type: 'Locale',
      description: 'The locale that was asked for first.',
    }),
    resolvedLocale: t.expose('resolvedLocale', {
      type: 'Locale',
      description: 'The locale of the text served.',
    }),
    isFallback: t.exposeBoolean('isFallback', {
      description: 'True when the text is not in the requested locale.',
    }),
    availableLocales: t.expose('availableLocales', {
      type: ['Locale'],
      description: 'The locales in force, each on its own timeline.',
    }),
    version: t.exposeString('version'),
    effectiveDate: t.expose('effectiveDate', { type: 'Date', description: 'The day the served version took effect.' }),
    translationEffectiveDate: t.expose('translationEffectiveDate', {
      type: 'Date',
      description: 'The day the served translation took effect: its version’s, or later for a locale added afterwards.',
    }),
    isOutdated: t.boolean({
      description:
        'True when a newer version is in force in other locales only: the visitor is served their language’s latest translation, and `newerVersion` says what is newer.',
      resolve: (d) => d.newerVersion !== null,
    }),
    newerVersion: t.field({ type: NewerVersion, nullable: true, resolve: (d) => d.newerVersion }),
    status: t.expose('status', { type: NoticeVersionStatusEnum }),
    title: t.exposeString('title'),
    translation: t.prismaField({
      type: 'NoticeTranslation',
      description: 'The translation served, as a node.',
      resolve: (query, d, _args, ctx) =>
        ctx.prisma.noticeTranslation.findUniqueOrThrow({ ...query, where: { id: d.translationId } }),
    }),
    sections: t.field({ type: [NoticeSection], resolve: (d, _args, ctx) => sections(d, ctx) }),
    tableOfContents: t.field({
      type: [TocEntry],
      resolve: async (d, _args, ctx) =>
        (await sections(d, ctx)).map(({ anchor, heading, level }) => ({ anchor, heading, level })),
    }),
    markdown: t.string({
      description: 'The whole translation as Markdown.',
      resolve: async (d, _args, ctx) => documentMarkdown(d.title, await sections(d, ctx)),
    }),
    html: t.string({
      description: 'The whole translation as sanitised HTML; headings carry their anchors as ids.',
      resolve: async (d, _args, ctx) => documentHtml(d.title, await sections(d, ctx)),
    }),
    text: t.string({
      description: 'The whole translation as plain text.',
      resolve: async (d, _args, ctx) => documentText(d.title, await sections(d, ctx)),
    }),
  }),
});
