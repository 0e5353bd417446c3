// Supervisory authorities: shared reference data. Organisations point to them
// by slug; only admin keys create or change them.
import { z } from 'zod';
import type { Prisma } from '../db/client.js';
import { columns as stored, compact, fieldsOf, mapping, type Address } from './mapping.js';
import { provenanceColumns } from './fact.js';
import { address, countryCode, email, key, phoneNumber, text, webUrl } from './primitives.js';
import { checkFieldSources, provenanceShape } from './provenance.js';
import type { RecordType } from './record.js';

// Reference data says where its values come from too: a website the project looked up is `fieldSources: { website: PROJECT }`.
export const supervisoryAuthoritySchema = z
  .strictObject({
    slug: key,
    name: text(),
    country: countryCode,
    website: webUrl.optional(),
    email: email.optional(),
    phone: phoneNumber.optional(),
    // The authority's own country is `country`; the address's is the same.
    address: address.optional(),
    ...provenanceShape,
  })
  .superRefine((a, ctx) => checkFieldSources(a, ctx));
export type SupervisoryAuthorityItem = z.output<typeof supervisoryAuthoritySchema>;

type Row = Prisma.SupervisoryAuthorityGetPayload<object>;

/** The address lines; its country is the authority's. */
const addressLines = stored<Address | undefined, Pick<Row, 'street' | 'postalCode' | 'locality' | 'region'>, Row>(
  (a) => ({
    street: a?.street ?? null,
    postalCode: a?.postalCode ?? null,
    locality: a?.locality ?? null,
    region: a?.region ?? null,
  }),
  (row) =>
    row.street || row.postalCode || row.locality || row.region
      ? compact({
          street: row.street ?? undefined,
          postalCode: row.postalCode ?? undefined,
          locality: row.locality ?? undefined,
          region: row.region ?? undefined,
          country: row.country,
        })
      : undefined,
);

const f = fieldsOf<Row>();
const columns = mapping<SupervisoryAuthorityItem, Row>()({
  slug: f.value('slug'),
  name: f.value('name'),
  country: f.value('country'),
  website: f.optional('website'),
  email: f.optional('email'),
  phone: f.optional('phone'),
  address: addressLines,
  ...provenanceColumns<Row>(),
});

export const supervisoryAuthority: RecordType<SupervisoryAuthorityItem, Row, null> = {
  typename: 'SupervisoryAuthority',
  schema: supervisoryAuthoritySchema.transform((a) =>
    a.address ? { ...a, address: { ...a.address, country: a.country } } : a,
  ),
  keyOf: (item) => item.slug,
  load: (tx, id) => tx.supervisoryAuthority.findUnique({ where: { id } }),
  toItem: columns.toItem,
  owner: () => ({ kind: 'shared' }),
  ownerOfNew: async () => ({ kind: 'shared' }),
  insert: (tx, _parent, item) => tx.supervisoryAuthority.create({ data: columns.createColumns(item) }),
  update: async (tx, row, item, revision) =>
    (
      await tx.supervisoryAuthority.updateMany({
        where: { id: row.id, revision: revision ?? row.revision },
        data: { ...columns.updateColumns(item), revision: { increment: 1 } },
      })
    ).count,
  revisionOf: (row) => row.revision,
  unique: { slug: 'slug' },
};
