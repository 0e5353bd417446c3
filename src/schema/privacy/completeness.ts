// NoticeVersion.completeness: which GDPR Art. 13/14 items the notice gives.
import type { PrismaClient } from '../../db/client.js';
import { completeness, type CompletenessReport } from '../../gdpr/completeness.js';
import type { CompletenessInput } from '../../gdpr/rules.js';
import type { PrivacyFacts } from '../../domain/privacy-facts.js';
import { organisationTimeline } from '../../domain/validity.js';
import { resolveLocale } from '../../locale.js';
import { builder } from '../builder.js';
import { wantedLocales } from '../context.js';

/** Everything the rules look at for one organisation, in one query. */
export async function completenessInput(prisma: PrismaClient, organisationId: string): Promise<CompletenessInput> {
  const org = await prisma.organisation.findUniqueOrThrow({
    where: { id: organisationId },
    include: {
      privacyProfile: true,
      controllerEntities: true,
      contacts: true,
      processors: { include: { dataLocations: true } },
      retentionRules: true,
      supervisoryAuthorities: true,
    },
  });
  return {
    facts: (org.privacyProfile?.facts as unknown as PrivacyFacts | undefined) ?? null,
    entities: org.controllerEntities,
    contacts: org.contacts,
    processors: org.processors.map((p) => ({
      ...p,
      dataLocations: p.dataLocations.flatMap((l) => (l.country ? [l.country] : [])),
    })),
    retentionRules: org.retentionRules,
    authorities: org.supervisoryAuthorities,
    timeline: await organisationTimeline(prisma, organisationId),
  };
}

const Fact = builder.objectRef<{ label: string }>('CompletenessFact').implement({
  fields: (t) => ({ label: t.exposeString('label') }),
});
const SectionRef = builder.objectRef<{ anchor: string; heading: string }>('CompletenessSection').implement({
  fields: (t) => ({ anchor: t.exposeString('anchor'), heading: t.exposeString('heading') }),
});
const ItemStatusEnum = builder.enumType('CompletenessStatus', {
  values: ['PRESENT', 'PARTIAL', 'MISSING', 'NOT_APPLICABLE'] as const,
});
const Item = builder.objectRef<CompletenessReport['items'][number]>('CompletenessItem').implement({
  fields: (t) => ({
    id: t.exposeString('id', { description: 'Stable item id, e.g. RETENTION.' }),
    article: t.exposeString('article', { description: 'e.g. "Art. 13(2)(a)".' }),
    title: t.exposeString('title'),
    status: t.field({ type: ItemStatusEnum, resolve: (i) => i.status }),
    facts: t.field({ type: [Fact], description: 'The recorded facts that satisfy it.', resolve: (i) => i.facts }),
    sections: t.field({
      type: [SectionRef],
      description: 'The sections of the notice that speak of it.',
      resolve: (i) => i.sections,
    }),
    note: t.exposeString('note', { nullable: true, description: 'Why it is partial.' }),
  }),
});
const Report = builder.objectRef<CompletenessReport & { locale: string }>('CompletenessReport').implement({
  description: 'Which items GDPR Articles 13 and 14 require this notice version gives.',
  fields: (t) => ({
    locale: t.expose('locale', { type: 'Locale', description: 'The translation whose text was checked.' }),
    score: t.exposeInt('score', {
      description: '0–100: present items whole, partial ones half, over the items that apply.',
    }),
    items: t.field({ type: [Item], resolve: (r) => r.items }),
  }),
});

builder.prismaObjectField('NoticeVersion', 'completeness', (t) =>
  t.field({
    type: Report,
    nullable: true,
    args: { locale: t.arg({ type: 'Locale', required: false }) },
    select: {
      effectiveDate: true,
      notice: { select: { organisationId: true, organisation: { select: { defaultLocale: true } } } },
      translations: { include: { sections: { orderBy: { position: 'asc' } } } },
    },
    resolve: async (version, args, ctx, info) => {
      const choice = resolveLocale(
        wantedLocales(ctx, info, args.locale),
        version.translations.map((tr) => tr.locale),
        version.notice.organisation.defaultLocale,
      );
      const translation = version.translations.find((tr) => tr.locale === choice?.resolvedLocale);
      if (!translation) return null;
      const input = await completenessInput(ctx.prisma, version.notice.organisationId);
      // The facts valid when the version took effect.
      return {
        locale: translation.locale,
        ...completeness(input, translation.sections, { at: version.effectiveDate }),
      };
    },
  }),
);
