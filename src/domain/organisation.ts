// Organisations: the brand a notice speaks for. Its slug never changes; it
// points to the shared supervisory authorities it answers to, by slug.
import { z } from 'zod';
import type { Prisma } from '../db/client.js';
import { refuse } from './errors.js';
import { fieldsOf, mapping } from './mapping.js';
import { key, locale, text, webUrl } from './primitives.js';
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
});
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
  update: (tx, row, item, revision) =>
    claimThenWrite(
      tx.organisation.updateMany({
        where: { id: row.id, revision: revision ?? row.revision },
        data: { revision: { increment: 1 } },
      }),
      () => tx.organisation.update({ where: { id: row.id }, data: columns.updateColumns(item) }),
    ),
  revisionOf: (row) => row.revision,
  unique: { slug: 'slug' },
  check: async (tx, { before, after }, at) => {
    if (!after) return;
    if (before && before.slug !== after.slug)
      refuse('INVALID', 'an organisation’s slug never changes', [...at, 'slug']);
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

/** The organisation of a slug, as a parent for new records; null when none has it. */
export const organisationBySlug = (tx: Prisma.TransactionClient, slug: string) =>
  tx.organisation.findUnique({ where: { slug }, select: { id: true, slug: true, defaultLocale: true } });
