// Organisations: the brand a notice speaks for. Its slug never changes; it
// points to the shared supervisory authorities it answers to, by slug. Its
// source says where its facts come from: people (manifests, mutations) or the
// IAB TCF Global Vendor List (src/tcf/), which also gives it a GVL id and,
// when the list marks the vendor deleted, the date.
import { z } from 'zod';
import type { Prisma } from '../db/client.js';
import { OrganisationSource } from '../db/generated/enums.js';
import { refuse } from './errors.js';
import { columns as stored, fieldsOf, mapping } from './mapping.js';
import { instant, key, locale, text, webUrl } from './primitives.js';
import { inOrderOf } from './owned.js';
import { claimThenWrite, organisationOwner, type RecordType } from './record.js';

export const organisationSchema = z.strictObject({
  slug: key,
  name: text(),
  website: webUrl.optional(),
  defaultLocale: locale,
  supervisoryAuthorities: z
    .array(key)
    .max(50)
    .default([])
    .transform((slugs) => [...new Set(slugs)].sort()),
  source: z.enum(OrganisationSource).default('CURATED'),
  gvlId: z.number().int().positive().max(1_000_000).optional(),
  deletedAt: instant.optional(),
});
/** What only the organisation's source sets; manifests and mutations leave it as stored. */
export const provenanceFields = { source: true, gvlId: true, deletedAt: true } as const;
export type OrganisationItem = z.output<typeof organisationSchema>;

const include = {
  supervisoryAuthorities: { select: { slug: true }, orderBy: { slug: 'asc' } },
} as const satisfies Prisma.OrganisationInclude;
type Row = Prisma.OrganisationGetPayload<{ include: typeof include }>;

const bySlug = (slugs: string[]) => slugs.map((slug) => ({ slug }));
const f = fieldsOf<Row>();
const columns = mapping<OrganisationItem, Row>()({
  slug: f.value('slug'),
  name: f.value('name'),
  website: f.optional('website'),
  defaultLocale: f.value('defaultLocale'),
  supervisoryAuthorities: {
    create: (slugs) => ({ supervisoryAuthorities: { connect: bySlug(slugs) } }),
    update: (slugs) => ({ supervisoryAuthorities: { set: bySlug(slugs) } }),
    read: (row) => row.supervisoryAuthorities.map((a) => a.slug),
  },
  source: f.value('source'),
  gvlId: f.optional('gvlId'),
  deletedAt: stored<string | undefined, { deletedAt: Date | null }, Row>(
    (value) => ({ deletedAt: value ? new Date(value) : null }),
    (row) => row.deletedAt?.toISOString(),
  ),
});

export const organisation: RecordType<OrganisationItem, Row, null> = {
  typename: 'Organisation',
  schema: organisationSchema,
  keyOf: (item) => item.slug,
  load: (tx, id) => tx.organisation.findUnique({ where: { id }, include }),
  toItem: columns.toItem,
  owner: (row) => organisationOwner(row),
  // Creating organisation "acme" needs write:acme, write:* or admin.
  ownerOfNew: async (_tx, _parent, input) =>
    organisationOwner({ id: null, slug: String((input as { slug?: unknown } | null)?.slug ?? '') }),
  insert: (tx, _parent, item) => tx.organisation.create({ data: columns.createColumns(item) }),
  // An import's thousand vendors: one statement for those that name no authority.
  insertMany: async (tx, entries) => {
    const plain = entries.filter((e) => e.item.supervisoryAuthorities.length === 0);
    const created = await tx.organisation.createManyAndReturn({
      data: plain.map((e) => {
        const { supervisoryAuthorities: _none, ...scalars } = columns.createColumns(e.item);
        return scalars;
      }),
      select: { id: true, slug: true },
    });
    const bySlug = new Map(created.map((o) => [o.slug, o.id]));
    const ids: string[] = [];
    for (const e of entries) {
      ids.push(bySlug.get(e.item.slug) ?? (await tx.organisation.create({ data: columns.createColumns(e.item) })).id);
    }
    return ids;
  },
  loadMany: async (tx, ids) => inOrderOf(ids, await tx.organisation.findMany({ where: { id: { in: ids } }, include })),
  update: (tx, row, item, revision) =>
    claimThenWrite(
      tx.organisation.updateMany({
        where: { id: row.id, revision: revision ?? row.revision },
        data: { revision: { increment: 1 } },
      }),
      () => tx.organisation.update({ where: { id: row.id }, data: columns.updateColumns(item) }),
    ),
  revisionOf: (row) => row.revision,
  unique: { slug: 'slug', gvlId: 'gvlId' },
  check: async (tx, { before, after }, at) => {
    if (!after) return;
    if (before && before.slug !== after.slug)
      refuse('INVALID', 'an organisation’s slug never changes', [...at, 'slug']);
    if ((after.source === 'TCF') !== (after.gvlId !== undefined))
      refuse('INVALID', 'an organisation has a GVL id exactly when its source is TCF', [...at, 'gvlId']);
    if (after.supervisoryAuthorities.length === 0) return;
    const known = new Set(
      (
        await tx.supervisoryAuthority.findMany({
          where: { slug: { in: after.supervisoryAuthorities } },
          select: { slug: true },
        })
      ).map((a) => a.slug),
    );
    after.supervisoryAuthorities.forEach((slug, i) => {
      if (!known.has(slug)) {
        refuse('NOT_FOUND', `no supervisory authority has the slug "${slug}"`, [...at, 'supervisoryAuthorities', i]);
      }
    });
  },
};

/** The stored organisation's provenance (source, GVL id, deletion) under a description that does not set it. */
export function keepingProvenance(
  storedItem: OrganisationItem,
  desired: Omit<OrganisationItem, keyof typeof provenanceFields>,
): OrganisationItem {
  const { source, gvlId, deletedAt } = storedItem;
  return { ...desired, source, gvlId, deletedAt };
}

/** Organisation rows as the writer takes them, many at once (an import's vendors). */
export const organisationRows = (tx: Prisma.TransactionClient, where: Prisma.OrganisationWhereInput) =>
  tx.organisation.findMany({ where, include });

/** The organisation of a slug, as a parent for new records; null when none has it. */
export const organisationBySlug = (tx: Prisma.TransactionClient, slug: string) =>
  tx.organisation.findUnique({ where: { slug }, select: { id: true, slug: true, defaultLocale: true } });
