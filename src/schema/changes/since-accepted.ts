// "What changed since the version I accepted?" — on a notice, in one query:
// the sections that differ between the accepted version and the one in force
// (matched by anchor, in the best locale both have), and the facts that
// changed since the accepted version was published: processors, retention
// rules, purposes and rights. The facts are not versioned with the notice, so
// their changes come from the change log: everything committed after the
// write that published the accepted version (or, for a version published
// before the log began, after its publication time), each record's changes
// netted into one (its state then against its state now; a change undone
// since is no change). Public entries only.
import { GraphQLError } from 'graphql';
import type { Prisma } from '../../db/generated/client.js';
import { changedFields, comparable } from '../../domain/compare.js';
import { servedStatuses, versionInForce } from '../../domain/notice.js';
import { resolveLocale } from '../../locale.js';
import { diffSections } from '../../notice/diff.js';
import { builder } from '../builder.js';
import { idOf } from '../common/ids.js';
import { wantedLocales, type Context } from '../context.js';
import { NoticeSection } from '../notice/section.js';

const FACT_TYPES = ['Processor', 'RetentionRule', 'PrivacyProfile'] as const;

const content = { translations: { include: { sections: { orderBy: { position: 'asc' as const } } } } } as const;
type VersionWithContent = Prisma.NoticeVersionGetPayload<{ include: typeof content }>;
type Section = VersionWithContent['translations'][number]['sections'][number];
type Json = Record<string, unknown>;

interface SectionChangeShape {
  kind: 'ADDED' | 'REMOVED' | 'CHANGED';
  anchor: string;
  heading: string;
  before: Section | null;
  after: Section | null;
}

interface FactChangeShape {
  fact: 'PROCESSOR' | 'RETENTION_RULE' | 'PURPOSE' | 'RIGHT';
  change: 'ADDED' | 'CHANGED' | 'REMOVED' | 'RETIRED';
  key: string;
  label: string;
  changedFields: string[];
  before: Json | null;
  after: Json | null;
  at: Date;
}

interface ChangesShape {
  accepted: VersionWithContent;
  inForce: VersionWithContent | null;
  locale: string | null;
  sections: SectionChangeShape[];
  facts: FactChangeShape[];
  since: Date;
}

const SectionChangeKind = builder.enumType('SectionChangeKind', { values: ['ADDED', 'REMOVED', 'CHANGED'] as const });
const FactKind = builder.enumType('FactKind', { values: ['PROCESSOR', 'RETENTION_RULE', 'PURPOSE', 'RIGHT'] as const });
const FactChangeKind = builder.enumType('FactChangeKind', {
  values: ['ADDED', 'CHANGED', 'REMOVED', 'RETIRED'] as const,
});

const NoticeSectionChange = builder.objectRef<SectionChangeShape>('NoticeSectionChange').implement({
  description: 'A section added, removed or changed between two versions (word-level detail: NoticeVersion.diff).',
  fields: (t) => ({
    kind: t.field({ type: SectionChangeKind, resolve: (c) => c.kind }),
    anchor: t.exposeString('anchor'),
    heading: t.exposeString('heading', { description: 'As in force now (as accepted, for a removed section).' }),
    before: t.field({ type: NoticeSection, nullable: true, resolve: (c) => c.before }),
    after: t.field({ type: NoticeSection, nullable: true, resolve: (c) => c.after }),
  }),
});

const FactChange = builder.objectRef<FactChangeShape>('FactChange').implement({
  description: 'One fact as it was when the accepted version was published, against what it is now.',
  fields: (t) => ({
    fact: t.field({ type: FactKind, resolve: (c) => c.fact }),
    change: t.field({ type: FactChangeKind, resolve: (c) => c.change }),
    key: t.exposeString('key', { description: 'The processor’s or rule’s key, the purpose’s key, the right’s code.' }),
    label: t.exposeString('label', { description: 'A name to show: the processor’s name, the data category, …' }),
    changedFields: t.exposeStringList('changedFields'),
    before: t.field({ type: 'JSONObject', nullable: true, resolve: (c) => c.before }),
    after: t.field({ type: 'JSONObject', nullable: true, resolve: (c) => c.after }),
    at: t.field({ type: 'DateTime', description: 'The last change to it.', resolve: (c) => c.at }),
  }),
});

const NoticeChangesSince = builder.objectRef<ChangesShape>('NoticeChangesSince').implement({
  description: 'What changed since a version was accepted: its sections against the version in force, and the facts.',
  fields: (t) => ({
    accepted: t.prismaField({
      type: 'NoticeVersion',
      resolve: (query, c, _args, ctx) =>
        ctx.prisma.noticeVersion.findUniqueOrThrow({ ...query, where: { id: c.accepted.id } }),
    }),
    inForce: t.prismaField({
      type: 'NoticeVersion',
      nullable: true,
      resolve: (query, c, _args, ctx) =>
        c.inForce ? ctx.prisma.noticeVersion.findUnique({ ...query, where: { id: c.inForce.id } }) : null,
    }),
    upToDate: t.boolean({
      description: 'The accepted version is the one in force and no fact has changed since.',
      resolve: (c) => c.inForce?.id === c.accepted.id && c.facts.length === 0,
    }),
    locale: t.field({
      type: 'Locale',
      nullable: true,
      description: 'The locale the sections were compared in.',
      resolve: (c) => c.locale,
    }),
    since: t.field({
      type: 'DateTime',
      description: 'Facts changed after this moment count.',
      resolve: (c) => c.since,
    }),
    sections: t.field({ type: [NoticeSectionChange], resolve: (c) => c.sections }),
    facts: t.field({ type: [FactChange], resolve: (c) => c.facts }),
  }),
});

const labelOf = (typename: string, item: Json | null, locales: string[]): string => {
  if (!item) return '';
  if (typename === 'Processor') return String(item.name ?? '');
  const category = item.dataCategory as Record<string, string> | undefined;
  if (!category) return '';
  return locales.map((l) => category[l]).find(Boolean) ?? Object.values(category)[0] ?? '';
};

function changeOf(before: Json | null, after: Json | null): FactChangeShape['change'] {
  if (!before) return 'ADDED';
  if (!after) return 'REMOVED';
  if (after.status === 'RETIRED' && before.status !== 'RETIRED') return 'RETIRED';
  return 'CHANGED';
}

/** Entries of a list (purposes by key, rights by code) as they were and are. */
function listChanges(
  fact: 'PURPOSE' | 'RIGHT',
  id: string,
  before: Json[] | undefined,
  after: Json[] | undefined,
  at: Date,
  locales: string[],
): FactChangeShape[] {
  const keyOf = (item: Json) => String(item[id]);
  const old = new Map((before ?? []).map((i) => [keyOf(i), i]));
  const now = new Map((after ?? []).map((i) => [keyOf(i), i]));
  const out: FactChangeShape[] = [];
  for (const key of new Set([...old.keys(), ...now.keys()])) {
    const b = old.get(key) ?? null;
    const a = now.get(key) ?? null;
    if (comparable(b) === comparable(a)) continue;
    const description = (a ?? b)?.description as Record<string, string> | undefined;
    out.push({
      fact,
      change: changeOf(b, a),
      key,
      label:
        (description && (locales.map((l) => description[l]).find(Boolean) ?? Object.values(description)[0])) || key,
      changedFields: changedFields(b, a),
      before: b,
      after: a,
      at,
    });
  }
  return out;
}

/** The facts changed after `cutoff` (a log position, or a time for versions older than the log). */
async function factChanges(ctx: Context, organisationId: string, cutoff: bigint | Date, locales: string[]) {
  const entries = await ctx.prisma.changeLogEntry.findMany({
    where: {
      organisationId,
      audience: 'public',
      entityType: { in: [...FACT_TYPES] },
      ...(typeof cutoff === 'bigint' ? { position: { gt: cutoff } } : { at: { gt: cutoff } }),
    },
    orderBy: { position: 'asc' },
    take: 5_000,
  });
  const netted = new Map<string, { type: string; key: string; before: Json | null; after: Json | null; at: Date }>();
  for (const e of entries) {
    const seen = netted.get(e.entityId);
    if (seen) Object.assign(seen, { after: e.after as Json | null, at: e.at });
    else
      netted.set(e.entityId, {
        type: e.entityType,
        key: e.key,
        before: e.before as Json | null,
        after: e.after as Json | null,
        at: e.at,
      });
  }
  const facts: FactChangeShape[] = [];
  for (const n of netted.values()) {
    if (comparable(n.before) === comparable(n.after)) continue;
    if (n.type === 'PrivacyProfile') {
      const b = n.before as { purposes?: Json[]; rights?: Json[] } | null;
      const a = n.after as { purposes?: Json[]; rights?: Json[] } | null;
      facts.push(...listChanges('PURPOSE', 'key', b?.purposes, a?.purposes, n.at, locales));
      facts.push(...listChanges('RIGHT', 'right', b?.rights, a?.rights, n.at, locales));
      continue;
    }
    facts.push({
      fact: n.type === 'Processor' ? 'PROCESSOR' : 'RETENTION_RULE',
      change: changeOf(n.before, n.after),
      key: n.key,
      label: labelOf(n.type, n.after ?? n.before, locales),
      changedFields: changedFields(n.before, n.after),
      before: n.before,
      after: n.after,
      at: n.at,
    });
  }
  const order = ['PROCESSOR', 'RETENTION_RULE', 'PURPOSE', 'RIGHT'];
  return facts.sort((x, y) => order.indexOf(x.fact) - order.indexOf(y.fact) || x.key.localeCompare(y.key));
}

/** Where the accepted version's facts end: the last log position of the write that published it. */
async function cutoffOf(ctx: Context, version: VersionWithContent): Promise<{ cutoff: bigint | Date; since: Date }> {
  const published = await ctx.prisma.changeLogEntry.findFirst({
    where: { entityType: 'NoticeVersion', entityId: version.id, after: { path: ['status'], equals: 'PUBLISHED' } },
    orderBy: { position: 'asc' },
  });
  if (published) {
    const last = await ctx.prisma.changeLogEntry.aggregate({
      where: { writeId: published.writeId },
      _max: { position: true },
    });
    return { cutoff: last._max.position ?? published.position, since: published.at };
  }
  const at = version.publishedAt ?? version.effectiveDate;
  return { cutoff: at, since: at };
}

builder.prismaObjectField('Notice', 'changesSince', (t) =>
  t.field({
    type: NoticeChangesSince,
    nullable: true,
    description:
      'What changed since a reader accepted a version of this notice: sections against the version in force, and the facts (processors, retention rules, purposes, rights) since it was published. Null when `accepted` names no published or archived version of this notice.',
    args: {
      accepted: t.arg.id({
        required: true,
        description: 'The version the reader accepted: its NoticeVersion ID, or its label ("1.2").',
      }),
      locale: t.arg({ type: 'Locale', required: false }),
    },
    resolve: async (notice, args, ctx, info) => {
      // A reader may have kept the version's ID or only its label ("1.2"), as a page shows it.
      const given = String(args.accepted);
      const acceptedId = idOf(given, 'NoticeVersion');
      if (!acceptedId && (given.length === 0 || given.length > 100)) {
        throw new GraphQLError('"accepted" is neither a NoticeVersion ID nor a version label', {
          extensions: { code: 'BAD_USER_INPUT', argument: 'accepted' },
        });
      }
      const versions = await ctx.prisma.noticeVersion.findMany({
        where: { noticeId: notice.id, status: { in: servedStatuses } },
        include: content,
      });
      const accepted = versions.find((v) => (acceptedId ? v.id === acceptedId : v.version === given));
      if (!accepted) return null;
      const inForce = versionInForce(versions, ctx.now());
      const organisation = await ctx.prisma.organisation.findUniqueOrThrow({
        where: { id: notice.organisationId },
        select: { defaultLocale: true },
      });
      const wanted = wantedLocales(ctx, info, args.locale);
      let locale: string | null = null;
      let sections: SectionChangeShape[] = [];
      if (inForce && inForce.id !== accepted.id) {
        const shared = inForce.translations
          .map((tr) => tr.locale)
          .filter((l) => accepted.translations.some((a) => a.locale === l));
        const choice = resolveLocale(wanted, shared, organisation.defaultLocale);
        if (choice) {
          locale = choice.resolvedLocale;
          const of = (v: VersionWithContent) => v.translations.find((tr) => tr.locale === locale)!.sections;
          const diff = diffSections(of(accepted), of(inForce));
          sections = [
            ...diff.added.map((s) => ({
              kind: 'ADDED' as const,
              anchor: s.anchor,
              heading: s.heading,
              before: null,
              after: s,
            })),
            ...diff.changed.map((c) => ({
              kind: 'CHANGED' as const,
              anchor: c.anchor,
              heading: c.after.heading,
              before: c.before,
              after: c.after,
            })),
            ...diff.removed.map((s) => ({
              kind: 'REMOVED' as const,
              anchor: s.anchor,
              heading: s.heading,
              before: s,
              after: null,
            })),
          ];
        }
      }
      const { cutoff, since } = await cutoffOf(ctx, accepted);
      const facts = await factChanges(ctx, notice.organisationId, cutoff, [
        ...(locale ? [locale] : []),
        ...wanted,
        organisation.defaultLocale,
      ]);
      return { accepted, inForce, locale, sections, facts, since };
    },
  }),
);
