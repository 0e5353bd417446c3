import { builder } from '../builder.js';
import { RetentionActionEnum, RetentionBasisEnum, RetentionTriggerEnum } from '../common/enums.js';
import { LocalizedString, localizedText, translationsOf } from '../common/localized.js';

const orgDefaultLocale = {
  organisation: { select: { defaultLocale: true } },
} as const;

export const RetentionRuleRef = builder.prismaNode('RetentionRule', {
  id: { field: 'id' },
  description: 'What is kept, for how long, from which event, why, and what happens after.',
  fields: (t) => ({
    key: t.exposeString('key', {
      description: 'Stable key within the organisation, as in its manifest (e.g. "zendesk").',
    }),
    revision: t.exposeInt('revision', {
      description: 'Bumped by every change; pass it as expectedRevision when updating.',
    }),
    dataCategory: t.string({
      args: { locale: t.arg({ type: 'Locale', required: false }) },
      select: orgDefaultLocale,
      resolve: (r, args, ctx, info) =>
        localizedText(r.dataCategory, ctx, info, args.locale, r.organisation.defaultLocale) ?? '',
    }),
    dataCategoryTranslations: t.field({
      type: [LocalizedString],
      resolve: (r) => translationsOf(r.dataCategory),
    }),
    period: t.expose('period', {
      type: 'Duration',
      nullable: true,
      description: 'ISO 8601 duration such as P7Y; null when the notice gives a criterion instead.',
    }),
    criterion: t.string({
      nullable: true,
      description: 'How the period is decided when there is no fixed one.',
      args: { locale: t.arg({ type: 'Locale', required: false }) },
      select: orgDefaultLocale,
      resolve: (r, args, ctx, info) => localizedText(r.criterion, ctx, info, args.locale, r.organisation.defaultLocale),
    }),
    trigger: t.expose('trigger', {
      type: RetentionTriggerEnum,
      description: 'The event the period counts from.',
    }),
    basis: t.expose('basis', { type: RetentionBasisEnum }),
    legalReference: t.exposeString('legalReference', { nullable: true }),
    action: t.expose('action', {
      type: RetentionActionEnum,
      description: 'What happens when the period ends.',
    }),
    organisation: t.relation('organisation'),
  }),
});
