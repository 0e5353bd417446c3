import { builder } from '../builder.js';
import { Address } from '../common/address.js';
import { EntityRoleEnum } from '../common/enums.js';
import { factFields } from '../common/fact.js';

export const ControllerEntityRef = builder.prismaNode('ControllerEntity', {
  id: { field: 'id' },
  description: 'A legal entity of the organisation and its role under the GDPR.',
  fields: (t) => ({
    key: t.exposeString('key', {
      description: 'Stable key within the organisation, as in its manifest (e.g. "zendesk").',
    }),
    revision: t.exposeInt('revision', {
      description: 'Bumped by every change; pass it as expectedRevision when updating.',
    }),
    legalName: t.exposeString('legalName'),
    role: t.expose('role', { type: EntityRoleEnum }),
    registry: t.exposeString('registry', {
      nullable: true,
      description: 'e.g. Companies House, Kamer van Koophandel.',
    }),
    registrationNumber: t.exposeString('registrationNumber', {
      nullable: true,
    }),
    vatNumber: t.exposeString('vatNumber', { nullable: true }),
    country: t.expose('country', { type: 'CountryCode' }),
    address: t.field({
      type: Address,
      resolve: (e) => ({ ...e, country: e.country }),
    }),
    activeFrom: t.expose('activeFrom', {
      type: 'Date',
      nullable: true,
      description: 'The first day it holds, resolved from validFrom.',
    }),
    activeUntil: t.expose('activeUntil', {
      type: 'Date',
      nullable: true,
      description:
        'The last day it holds, resolved from validUntil: an entity only an older notice named is not current.',
    }),
    ...factFields(t, (e: { validFrom: string | null }) => e),
    organisation: t.relation('organisation'),
    contacts: t.relation('contacts', {
      query: { orderBy: [{ kind: 'asc' }, { key: 'asc' }] },
    }),
  }),
});
