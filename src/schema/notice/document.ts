// A notice as a frontend renders it: one translation of one version, chosen
// by date and locale, with the choice made visible.
import type { NoticeKind, NoticeVersionStatus } from '../../db/generated/enums.js';
import type { NoticeSection as SectionRow } from '../../db/generated/client.js';
import { takenEffectWhere } from '../../domain/notice.js';
import { resolveLocale } from '../../locale.js';
import { builder } from '../builder.js';
import { NoticeVersionStatusEnum } from '../common/enums.js';
import { NoticeSection } from './section.js';
import { documentHtml, documentMarkdown, documentText } from '../../notice/document.js';

const sectionsInOrder = { orderBy: { position: 'asc' } } as const;

export const versionContentInclude = {
  translations: {
    include: { sections: sectionsInOrder },
    orderBy: { locale: 'asc' },
  },
} as const;

/** The Prisma selection that loads the version in force on `at`, in every locale, in one query plan. */
export function noticeInForceSelect(kind: NoticeKind, at: Date) {
  return {
    notices: {
      where: {
        kind,
        versions: { some: takenEffectWhere(at) },
      },
      orderBy: { slug: 'asc' as const },
      take: 1,
      select: {
        versions: {
          where: takenEffectWhere(at),
          orderBy: { effectiveDate: 'desc' as const },
          take: 1,
          include: versionContentInclude,
        },
      },
    },
  };
}

interface VersionWithContent {
  id: string;
  version: string;
  effectiveDate: Date;
  status: NoticeVersionStatus;
  translations: {
    id: string;
    locale: string;
    title: string;
    sections: SectionRow[];
  }[];
}

export interface NoticeDocumentShape {
  requestedLocale: string;
  resolvedLocale: string;
  isFallback: boolean;
  availableLocales: string[];
  version: string;
  effectiveDate: Date;
  status: NoticeVersionStatus;
  title: string;
  sections: SectionRow[];
}

export function noticeDocument(
  version: VersionWithContent | undefined,
  wanted: readonly string[],
  defaultLocale: string,
): NoticeDocumentShape | null {
  if (!version) return null;
  const availableLocales = version.translations.map((t) => t.locale);
  const choice = resolveLocale(wanted, availableLocales, defaultLocale);
  const translation = choice && version.translations.find((t) => t.locale === choice.resolvedLocale);
  if (!choice || !translation) return null;
  return {
    ...choice,
    availableLocales,
    version: version.version,
    effectiveDate: version.effectiveDate,
    status: version.status,
    title: translation.title,
    sections: translation.sections,
  };
}

const TocEntry = builder.objectRef<{ anchor: string; heading: string; level: number }>('TocEntry').implement({
  description: 'A line of a table of contents: link to `#anchor`.',
  fields: (t) => ({
    anchor: t.exposeString('anchor'),
    heading: t.exposeString('heading'),
    level: t.exposeInt('level'),
  }),
});

export const NoticeDocument = builder.objectRef<NoticeDocumentShape>('NoticeDocument').implement({
  description: 'One translation of one notice version, as chosen for the request.',
  fields: (t) => ({
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
    availableLocales: t.expose('availableLocales', { type: ['Locale'] }),
    version: t.exposeString('version'),
    effectiveDate: t.expose('effectiveDate', { type: 'Date' }),
    status: t.expose('status', { type: NoticeVersionStatusEnum }),
    title: t.exposeString('title'),
    sections: t.field({
      type: [NoticeSection],
      resolve: (doc) => doc.sections,
    }),
    tableOfContents: t.field({
      type: [TocEntry],
      resolve: (doc) => doc.sections.map(({ anchor, heading, level }) => ({ anchor, heading, level })),
    }),
    markdown: t.string({
      description: 'The whole translation as Markdown.',
      resolve: (d) => documentMarkdown(d.title, d.sections),
    }),
    html: t.string({
      description: 'The whole translation as sanitised HTML; headings carry their anchors as ids.',
      resolve: (d) => documentHtml(d.title, d.sections),
    }),
    text: t.string({
      description: 'The whole translation as plain text.',
      resolve: (d) => documentText(d.title, d.sections),
    }),
  }),
});
