// Other controllers: organisations that are neither the organisation's own
// entities nor its processors, but are themselves responsible for a service
// the notice's users meet — a health insurer that a prescription app connects
// to under social law, a platform whose own service the app hands data to.
// Named by key within the organisation, like processors; deleted when a
// manifest no longer lists them (their history stays in the audit trail).
import { z } from 'zod';
import type { Prisma } from '../db/client.js';
import { OtherControllerRole } from '../db/generated/enums.js';
import { checkFact, checkRecordBounds, factColumns, factShape, flatFactWrites, platforms } from './fact.js';
import { fieldsOf, mapping, optionalAddress } from './mapping.js';
import { ownedByOrganisation, withOrganisation, type OrganisationParent } from './owned.js';
import { address, email, key, localizedText, phoneNumber, text, webUrl } from './primitives.js';
import type { RecordType } from './record.js';

export const otherControllerSchema = z
  .strictObject({
    key,
    /** "Your health insurer" when the notice names a kind, not one organisation. */
    name: text(),
    legalName: text().optional(),
    role: z.enum(OtherControllerRole),
    /** The connected service it is responsible for. */
    service: localizedText(1000),
    /** The law that makes it responsible, as the notice cites it ("§ 360 SGB V"). */
    legalReference: text().optional(),
    website: webUrl.optional(),
    privacyPolicyUrl: webUrl.optional(),
    email: email.optional(),
    phone: phoneNumber.optional(),
    address: address.optional(),
    platforms,
    ...factShape,
  })
  .superRefine((c, ctx) => checkFact(c, ctx));
export type OtherControllerItem = z.output<typeof otherControllerSchema>;

const include = withOrganisation satisfies Prisma.OtherControllerInclude;
type Row = Prisma.OtherControllerGetPayload<{ include: typeof include }>;

const f = fieldsOf<Row>();
const columns = mapping<OtherControllerItem, Row>()({
  key: f.value('key'),
  name: f.value('name'),
  legalName: f.optional('legalName'),
  role: f.value('role'),
  service: f.json('service'),
  legalReference: f.optional('legalReference'),
  website: f.optional('website'),
  privacyPolicyUrl: f.optional('privacyPolicyUrl'),
  email: f.optional('email'),
  phone: f.optional('phone'),
  address: optionalAddress<Row>(),
  platforms: f.value('platforms'),
  ...factColumns<Row>(),
});

export const otherController: RecordType<OtherControllerItem, Row, OrganisationParent> = {
  typename: 'OtherController',
  schema: otherControllerSchema,
  keyOf: (item) => item.key,
  ...ownedByOrganisation,
  load: (tx, id) => tx.otherController.findUnique({ where: { id }, include }),
  toItem: columns.toItem,
  ...flatFactWrites<OtherControllerItem, Row>((tx) => tx.otherController, columns),
  revisionOf: (row) => row.revision,
  check: async (tx, { before, after, parent }, at) => {
    const organisationId = parent?.organisationId ?? before?.organisationId;
    if (after && organisationId) await checkRecordBounds(tx, organisationId, after, at);
  },
};
