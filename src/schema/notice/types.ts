import type { GraphQLResolveInfo } from 'graphql';
import { idOf } from '../common/ids.js';
import { diffSections } from '../../notice/diff.js';
import { translationStatus, type TranslationStatusShape } from '../../notice/translation-status.js';
import { resolveLocale } from '../../locale.js';
import { builder } from '../builder.js';
import { mayReadNode } from '../visibility.js';
import type { Context } from '../context.js';
import { NoticeSection } from './section.js';
import { wantedLocales } from '../context.js';
import { DatePrecisionEnum, NoticeKindEnum, NoticeVersionStatusEnum } from '../common/enums.js';
import { asGiven } from '../../domain/validity.js';
import { servedStatuses, takenEffectWhere } from '../../domain/notice.js';
import { NoticeDocument, versionChoiceSelect, versionDocument } from './document.js';

export const NoticeRef = builder.prismaNode('Notice', {
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
    versionAt: t.field({
      type: NoticeVersionRef,
      nullable: true,
      description: 'The version in force on this date: the latest published or archived one that took effect by then.',
      args: { date: t.arg({ type: 'Date', required: true }) },
      select: (args) => ({
        versions: {
          where: takenEffectWhere(args.date),
          orderBy: { effectiveDate: 'desc' as const },
          take: 1,
        },
      }),
      resolve: (notice) => notice.versions[0] ?? null,
    }),
    drafts: t.relation('versions', {
      description: 'Versions not yet published; empty unless the key may write the organisation.',
      query: { where: { status: 'DRAFT' }, orderBy: { effectiveDate: 'desc' } },
      authScopes: (notice) => ({ writeOrganisationId: notice.organisationId }),
      unauthorizedResolver: () => [] as never,
    }),
  }),
});

export const NoticeVersionRef = builder.prismaNode('NoticeVersion', {
  id: { field: 'id' },
  // A draft is visible only to keys that may write its organisation, however it is reached.
  runScopesOnType: true,
  authScopes: (version) =>
    version.status === 'DRAFT' ? { writeRecord: { typename: 'NoticeVersion', id: version.id } } : true,
  description: 'A dated version of a notice. Published versions never change.',
  fields: (t) => ({
    version: t.exposeString('version', {
      description: 'The version label, e.g. "1.2".',
    }),
    effectiveDate: t.expose('effectiveDate', {
      type: 'Date',
      description: 'The first day (of the month, for a month).',
    }),
    effectiveDatePrecision: t.expose('effectiveDatePrecision', {
      type: DatePrecisionEnum,
      description: 'MONTH when the notice gives only a month ("Stand: November 2025").',
    }),
    effectiveDateAsGiven: t.field({
      type: 'PartialDate',
      description: 'The date as the notice gives it: "2025-11" or "2025-11-03".',
      resolve: (v) => asGiven(v.effectiveDate.toISOString().slice(0, 10), v.effectiveDatePrecision),
    }),
    effectiveUntil: t.field({
      type: 'Date',
      nullable: true,
      description: 'The day the next version took effect (exclusive); null while this one is the latest.',
      select: {
        notice: {
          select: { versions: { where: { status: { in: servedStatuses } }, select: { effectiveDate: true } } },
        },
      },
      resolve: (v) =>
        v.status === 'DRAFT'
          ? null
          : (v.notice.versions
              .map((o) => o.effectiveDate)
              .filter((d) => d > v.effectiveDate)
              .sort((a, b) => a.getTime() - b.getTime())[0] ?? null),
    }),
    publishedAt: t.expose('publishedAt', { type: 'DateTime', nullable: true }),
    revision: t.exposeInt('revision'),
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
        translations: { select: versionChoiceSelect.translations.select, orderBy: { locale: 'asc' } },
        notice: {
          select: { organisation: { select: { defaultLocale: true } } },
        },
      },
      resolve: (version, args, ctx, info) =>
        versionDocument(version, wantedLocales(ctx, info, args.locale), version.notice.organisation.defaultLocale),
    }),
  }),
});

export const NoticeTranslationRef = builder.prismaNode('NoticeTranslation', {
  id: { field: 'id' },
  fields: (t) => ({
    locale: t.expose('locale', { type: 'Locale' }),
    title: t.exposeString('title'),
    effectiveDate: t.expose('effectiveDate', {
      type: 'Date',
      nullable: true,
      description:
        'When this translation took effect, if later than its version (a translation updated on its own day).',
    }),
    effectiveDateAsGiven: t.field({
      type: 'PartialDate',
      nullable: true,
      description: 'The same date as the notice gives it, a month or a day.',
      resolve: (tr) =>
        tr.effectiveDate ? asGiven(tr.effectiveDate.toISOString().slice(0, 10), tr.effectiveDatePrecision) : null,
    }),
    version: t.relation('version'),
    sections: t.relation('sections', {
      query: { orderBy: { position: 'asc' } },
    }),
  }),
});

const TextChange = builder.objectRef<import('../../notice/diff.js').TextChange>('TextChange').implement({
  description: 'A run of words that stayed, was added or was removed.',
  fields: (t) => ({
    kind: t.exposeString('kind', { description: 'ADDED, REMOVED or UNCHANGED.' }),
    text: t.exposeString('text'),
  }),
});

type Section = Awaited<ReturnType<typeof loadVersionContent>>['translations'][number]['sections'][number];

const SectionChange = builder
  .objectRef<import('../../notice/diff.js').SectionChange<Section>>('SectionChange')
  .implement({
    fields: (t) => ({
      anchor: t.exposeString('anchor'),
      before: t.field({ type: NoticeSection, resolve: (c) => c.before }),
      after: t.field({ type: NoticeSection, resolve: (c) => c.after }),
      changes: t.field({
        type: [TextChange],
        description: 'Word-level changes of heading and text.',
        resolve: (c) => c.changes,
      }),
    }),
  });

interface VersionDiffShape {
  fromVersionId: string;
  toVersionId: string;
  locale: string;
  diff: import('../../notice/diff.js').SectionDiff<Section>;
}

const VersionDiff = builder.objectRef<VersionDiffShape>('VersionDiff').implement({
  description: 'What changed from one version of a notice to another, in one locale.',
  fields: (t) => ({
    from: t.prismaField({
      type: 'NoticeVersion',
      resolve: (query, d, _args, ctx) =>
        ctx.prisma.noticeVersion.findUniqueOrThrow({ ...query, where: { id: d.fromVersionId } }),
    }),
    to: t.prismaField({
      type: 'NoticeVersion',
      resolve: (query, d, _args, ctx) =>
        ctx.prisma.noticeVersion.findUniqueOrThrow({ ...query, where: { id: d.toVersionId } }),
    }),
    locale: t.expose('locale', { type: 'Locale' }),
    added: t.field({ type: [NoticeSection], resolve: (d) => d.diff.added }),
    removed: t.field({ type: [NoticeSection], resolve: (d) => d.diff.removed }),
    changed: t.field({ type: [SectionChange], resolve: (d) => d.diff.changed }),
    unchangedCount: t.int({ resolve: (d) => d.diff.unchanged }),
  }),
});

const MissingSection = builder
  .objectRef<TranslationStatusShape['missingSections'][number]>('MissingSection')
  .implement({
    fields: (t) => ({
      position: t.exposeInt('position'),
      heading: t.exposeString('heading', { description: 'The heading in the fuller translation.' }),
      fromLocale: t.expose('fromLocale', { type: 'Locale' }),
    }),
  });

const OtherLanguageSection = builder
  .objectRef<TranslationStatusShape['otherLanguageSections'][number]>('OtherLanguageSection')
  .implement({
    fields: (t) => ({
      anchor: t.exposeString('anchor'),
      heading: t.exposeString('heading'),
      detectedLanguage: t.exposeString('detectedLanguage'),
    }),
  });

const TranslationStatus = builder.objectRef<TranslationStatusShape>('TranslationStatus').implement({
  fields: (t) => ({
    locale: t.expose('locale', { type: 'Locale' }),
    sectionCount: t.exposeInt('sectionCount'),
    missingSections: t.field({ type: [MissingSection], resolve: (s) => s.missingSections }),
    otherLanguageSections: t.field({
      type: [OtherLanguageSection],
      description: 'Sections whose text appears to be in another language than the translation’s.',
      resolve: (s) => s.otherLanguageSections,
    }),
  }),
});

/**
 * What changed from one version to another of the same notice, in the best
 * locale both have; null when either is missing — or is a draft the caller may
 * not see, which to them does not exist.
 */
async function compareVersions(
  ctx: Context,
  info: GraphQLResolveInfo,
  fromId: string,
  toId: string,
  locale: string | null | undefined,
): Promise<VersionDiffShape | null> {
  const [to, from] = await Promise.all([
    loadVersionContent(ctx, toId).catch(() => null),
    loadVersionContent(ctx, fromId).catch(() => null),
  ]);
  if (!from || !to || from.noticeId !== to.noticeId) return null;
  for (const v of [from, to]) {
    if (!(await mayReadNode(ctx.prisma, ctx.caller, { typename: 'NoticeVersion', id: v.id }))) return null;
  }
  const shared = to.translations.map((t) => t.locale).filter((l) => from.translations.some((f) => f.locale === l));
  const choice = resolveLocale(wantedLocales(ctx, info, locale), shared, to.notice.organisation.defaultLocale);
  if (!choice) return null;
  const sectionsOf = (v: typeof to) => v.translations.find((t) => t.locale === choice.resolvedLocale)!.sections;
  return {
    fromVersionId: from.id,
    toVersionId: to.id,
    locale: choice.resolvedLocale,
    diff: diffSections(sectionsOf(from), sectionsOf(to)),
  };
}

builder.prismaObjectFields('Notice', (t) => ({
  diff: t.field({
    type: VersionDiff,
    nullable: true,
    description:
      'What changed between two versions of this notice, named by their labels ("1.2", "1.3"), in the best locale both have; null when either does not exist (or is a draft the caller may not see).',
    args: {
      from: t.arg.string({ required: true, description: 'The older version’s label.' }),
      to: t.arg.string({ required: true, description: 'The newer version’s label.' }),
      locale: t.arg({ type: 'Locale', required: false }),
    },
    select: { versions: { select: { id: true, version: true } } },
    resolve: (notice, args, ctx, info) => {
      const id = (label: string) => notice.versions.find((v) => v.version === label)?.id;
      const [from, to] = [id(args.from), id(args.to)];
      return from && to ? compareVersions(ctx, info, from, to, args.locale) : null;
    },
  }),
}));

function loadVersionContent(ctx: Context, id: string) {
  return ctx.prisma.noticeVersion.findUniqueOrThrow({
    where: { id },
    include: {
      translations: { include: { sections: { orderBy: { position: 'asc' } } }, orderBy: { locale: 'asc' } },
      notice: { select: { organisation: { select: { defaultLocale: true } } } },
    },
  });
}

builder.prismaObjectFields('NoticeVersion', (t) => ({
  translationStatus: t.field({
    type: [TranslationStatus],
    description:
      'Per locale: how many sections, which it lacks compared with the fullest translation, and which seem to be in another language.',
    select: { translations: { include: { sections: { orderBy: { position: 'asc' } } }, orderBy: { locale: 'asc' } } },
    resolve: (v) => translationStatus(v.translations),
  }),
  diff: t.field({
    type: VersionDiff,
    nullable: true,
    description:
      'What changed from `against` (usually an older version of the same notice) to this version, in the best locale both have.',
    args: {
      against: t.arg.id({ required: true }),
      locale: t.arg({ type: 'Locale', required: false }),
    },
    resolve: async (version, args, ctx, info) => {
      const otherId = idOf(String(args.against), 'NoticeVersion');
      return otherId ? compareVersions(ctx, info, otherId, version.id, args.locale) : null;
    },
  }),
}));
