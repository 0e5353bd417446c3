// Controller entities: the legal entities of an organisation and their roles.
// An entity named only by an older notice version holds until then
// (validUntil: privacy@2015-10-05), so it is not shown as current.
import { z } from 'zod';
import type { Prisma } from '../db/client.js';
import { EntityRole } from '../db/generated/enums.js';
import { refuse } from './errors.js';
import { checkFact, checkRecordBounds, factColumns, factShape, flatFactWrites } from './fact.js';
import { fieldsOf, mapping, requiredAddress } from './mapping.js';
import { ownedByOrganisation, withOrganisation, type OrganisationParent } from './owned.js';
import { address, key, text } from './primitives.js';
import type { RecordType } from './record.js';

export const controllerEntitySchema = z
  .strictObject({
    key,
    legalName: text(),
    role: z.enum(EntityRole),
    registry: text().optional(),
    registrationNumber: text(50).optional(),
    vatNumber: text(30).optional(),
    address,
    ...factShape,
  })
  .superRefine((e, ctx) => checkFact(e, ctx));
export type ControllerEntityItem = z.output<typeof controllerEntitySchema>;

const include = withOrganisation satisfies Prisma.ControllerEntityInclude;
type Row = Prisma.ControllerEntityGetPayload<{ include: typeof include }>;

const f = fieldsOf<Row>();
const columns = mapping<ControllerEntityItem, Row>()({
  key: f.value('key'),
  legalName: f.value('legalName'),
  role: f.value('role'),
  registry: f.optional('registry'),
  registrationNumber: f.optional('registrationNumber'),
  vatNumber: f.optional('vatNumber'),
  address: requiredAddress<Row>(),
  ...factColumns<Row>(),
});

export const controllerEntity: RecordType<ControllerEntityItem, Row, OrganisationParent> = {
  typename: 'ControllerEntity',
  schema: controllerEntitySchema,
  keyOf: (item) => item.key,
  ...ownedByOrganisation,
  load: (tx, id) => tx.controllerEntity.findUnique({ where: { id }, include }),
  toItem: columns.toItem,
  ...flatFactWrites<ControllerEntityItem, Row>((tx) => tx.controllerEntity, columns),
  revisionOf: (row) => row.revision,
  // An entity that contacts belong to stays until they are moved: removing it would change them unseen.
  check: async (tx, { before, after, parent }, at) => {
    const organisationId = parent?.organisationId ?? before?.organisationId;
    if (after && organisationId) await checkRecordBounds(tx, organisationId, after, at);
    if (!before || after) return;
    const contacts = await tx.contact.findMany({ where: { controllerEntityId: before.id }, select: { key: true } });
    if (contacts.length > 0) {
      refuse(
        'CONFLICT',
        `contacts belong to this entity (${contacts.map((c) => c.key).join(', ')}); move or delete them first`,
        at,
      );
    }
  },
};
