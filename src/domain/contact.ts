// Contacts: typed ways to reach someone about privacy, optionally belonging to
// one of the organisation's controller entities (named by its key). A contact
// holds between its bounds (validFrom / validUntil: notice versions or dates,
// src/domain/validity.ts); one rule decides that for the API, the exports and
// the completeness report. Some contacts are only a place in the app
// ("Settings › Privacy"): `inApp`.
import { z } from 'zod';
import type { Prisma, Tx } from '../db/client.js';
import { ContactKind } from '../db/generated/enums.js';
import { refuse, type Path } from './errors.js';
import { compact, fieldsOf, mapping, optionalAddress } from './mapping.js';
import { ownedByOrganisation, withOrganisation, type OrganisationParent } from './owned.js';
import { checkFact, checkRecordBounds, factColumns, factShape, flatFactWrites } from './fact.js';
import { address, email, key, localizedText, phoneNumber, text, webUrl } from './primitives.js';
import type { RecordType } from './record.js';
import { rowActiveOn, rowActiveOnWhere } from './validity.js';

/** Before bounds, contacts had active dates: they are read as the same days. */
const activeDatesAsBounds = (input: unknown) => {
  if (!input || typeof input !== 'object' || Array.isArray(input)) return input;
  const { activeFrom, activeUntil, ...rest } = input as Record<string, unknown>;
  return {
    ...rest,
    ...(activeFrom !== undefined && rest.validFrom === undefined ? { validFrom: activeFrom } : {}),
    ...(activeUntil !== undefined && rest.validUntil === undefined ? { validUntil: activeUntil } : {}),
  };
};
export { activeDatesAsBounds };

export const contactSchema = z.preprocess(
  activeDatesAsBounds,
  z
    .strictObject({
      key,
      kind: z.enum(ContactKind),
      entity: key.optional(),
      name: text().optional(),
      department: text().optional(),
      email: email.optional(),
      phone: phoneNumber.optional(),
      url: webUrl.optional(),
      address: address.optional(),
      inApp: localizedText(300).optional(),
      note: localizedText(1000).optional(),
      ...factShape,
    })
    .superRefine((c, ctx) => checkFact(c, ctx))
    .refine((c) => c.email || c.phone || c.url || c.address || c.inApp, {
      message: 'a contact needs at least one of email, phone, url, address or inApp (where it is in the app)',
    }),
);
export type ContactItem = z.output<typeof contactSchema>;

const include = {
  ...withOrganisation,
  controllerEntity: { select: { key: true } },
} as const satisfies Prisma.ContactInclude;
type Row = Prisma.ContactGetPayload<{ include: typeof include }>;

const f = fieldsOf<Row>();
// The entity is named by key in the record and by id in the row: resolved below, inside the transaction.
const columns = mapping<Omit<ContactItem, 'entity'>, Row>()({
  key: f.value('key'),
  kind: f.value('kind'),
  name: f.optional('name'),
  department: f.optional('department'),
  email: f.optional('email'),
  phone: f.optional('phone'),
  url: f.optional('url'),
  address: optionalAddress<Row>(),
  inApp: f.optionalJson('inApp'),
  note: f.optionalJson('note'),
  ...factColumns<Row>(),
});

async function entityIdOf(tx: Tx, organisationId: string, entity: string | undefined) {
  if (!entity) return null;
  const row = await tx.controllerEntity.findUnique({
    where: { organisationId_key: { organisationId, key: entity } },
    select: { id: true },
  });
  return row?.id ?? null;
}

async function checkEntity(tx: Tx, organisationId: string, item: ContactItem, at: Path) {
  if (item.entity && !(await entityIdOf(tx, organisationId, item.entity))) {
    refuse('NOT_FOUND', `no controller entity of this organisation has the key "${item.entity}"`, [...at, 'entity']);
  }
}

export const contact: RecordType<ContactItem, Row, OrganisationParent> = {
  typename: 'Contact',
  schema: contactSchema,
  keyOf: (item) => item.key,
  ...ownedByOrganisation,
  load: (tx, id) => tx.contact.findUnique({ where: { id }, include }),
  toItem: (row) => compact({ ...columns.toItem(row), entity: row.controllerEntity?.key }),
  ...flatFactWrites<ContactItem, Row>(
    (tx) => tx.contact,
    columns,
    async (tx, organisationId, item) => ({
      controllerEntityId: await entityIdOf(tx, organisationId, item.entity),
    }),
  ),
  revisionOf: (row) => row.revision,
  check: async (tx, { before, after, parent }, at) => {
    const organisationId = parent?.organisationId ?? before?.organisationId;
    if (after && organisationId) {
      await checkEntity(tx, organisationId, after, at);
      await checkRecordBounds(tx, organisationId, after, at);
    }
  },
};

/** Active on a day: within its period (the days its bounds resolve to, both inclusive, either open). */
export const contactActiveOn = rowActiveOn;
export const contactActiveOnWhere = rowActiveOnWhere;
