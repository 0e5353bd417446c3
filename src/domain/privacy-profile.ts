// An organisation's privacy facts (the rest of GDPR Art. 13/14): one validated
// document per organisation, always read and written whole.
import type { Prisma } from '../db/client.js';
import { ownedByOrganisation, withOrganisation, type OrganisationParent } from './owned.js';
import { factEntries, privacySchema, type PrivacyFacts } from './privacy-facts.js';
import type { RecordType } from './record.js';
import { checkBounds, organisationTimeline } from './validity.js';

const include = withOrganisation satisfies Prisma.PrivacyProfileInclude;
type Row = Prisma.PrivacyProfileGetPayload<{ include: typeof include }>;

// The facts are one JSON document, validated whole by the schema before it is stored.
const factsOf = (row: Row) => row.facts as unknown as PrivacyFacts;
const stored = (facts: PrivacyFacts) => facts as unknown as Prisma.InputJsonObject;

export const privacyProfile: RecordType<PrivacyFacts, Row, OrganisationParent> = {
  typename: 'PrivacyProfile',
  schema: privacySchema,
  keyOf: () => 'privacy',
  ...ownedByOrganisation,
  unique: { organisationId: 'organisation' },
  load: (tx, id) => tx.privacyProfile.findUnique({ where: { id }, include }),
  toItem: factsOf,
  insert: (tx, parent, facts) =>
    tx.privacyProfile.create({ data: { organisationId: parent.organisationId, facts: stored(facts) } }),
  update: async (tx, row, facts, revision) =>
    (
      await tx.privacyProfile.updateMany({
        where: { id: row.id, revision: revision ?? row.revision },
        data: { facts: stored(facts), revision: { increment: 1 } },
      })
    ).count,
  remove: async (tx, row, revision) =>
    (await tx.privacyProfile.deleteMany({ where: { id: row.id, revision: revision ?? row.revision } })).count,
  revisionOf: (row) => row.revision,
  // A retention rule's recipient is checked when the rule is written; one removed later reads as unknown.
  check: async (tx, { before, after, parent }, at) => {
    const organisationId = parent?.organisationId ?? before?.organisationId;
    if (!organisationId || !after) return;
    const timeline = await organisationTimeline(tx, organisationId);
    for (const { path, item } of factEntries(after)) checkBounds(item, timeline, [...at, ...path]);
  },
};
