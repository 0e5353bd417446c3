import { builder } from '../builder.js';
import {
  RetentionActionEnum,
  RetentionBasisEnum,
  RetentionCountFromEnum,
  RetentionTriggerEnum,
} from '../common/enums.js';
import { factFields } from '../common/fact.js';
import { LocalizedString, localizedText, translationsOf } from '../common/localized.js';

const orgDefaultLocale = {
  organisation: { select: { defaultLocale: true } },
} as const;

const Keeper = builder.objectRef<{ kind: string; key: string }>('RetentionKeeper').implement({
  description: 'Who keeps the data: a recipient of the privacy facts, a processor, another controller or an entity.',
  fields: (t) => ({
    kind: t.exposeString('kind', { description: 'recipient, processor, otherController or entity.' }),
    key: t.exposeString('key'),
  }),
});

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
    trigger: t.field({
      type: RetentionTriggerEnum,
      deprecationReason: 'A rule may count from several events: use triggers and countFrom.',
      description: 'The first of the events the period counts from.',
      resolve: (r) => r.triggers[0] ?? 'UNKNOWN',
    }),
    triggers: t.field({
      type: [RetentionTriggerEnum],
      description: 'The events the period counts from (UNKNOWN: the notice does not say).',
      resolve: (r) => r.triggers,
    }),
    countFrom: t.field({
      type: RetentionCountFromEnum,
      nullable: true,
      description: 'With several triggers: the EARLIEST or the LATEST of them.',
      resolve: (r) => r.countFrom,
    }),
    userControlled: t.exposeBoolean('userControlled', {
      description: 'The user deletes the data themselves, whenever they choose.',
    }),
    keptBy: t.field({
      type: Keeper,
      nullable: true,
      description: 'Who keeps the data, when not the organisation itself.',
      resolve: (r) => (r.keptByKind && r.keptByKey ? { kind: r.keptByKind, key: r.keptByKey } : null),
    }),
    ...factFields(t, (r: { validFrom: string | null }) => r),
    basis: t.expose('basis', { type: RetentionBasisEnum }),
    legalReference: t.exposeString('legalReference', { nullable: true }),
    action: t.expose('action', {
      type: RetentionActionEnum,
      description: 'What happens when the period ends.',
    }),
    organisation: t.relation('organisation'),
  }),
});
