// Postal addresses are stored as columns on their owner; this is their shape.
import { builder } from '../builder.js';

export interface AddressShape {
  street: string | null;
  postalCode: string | null;
  locality: string | null;
  region: string | null;
  country: string | null;
}

export const Address = builder.objectRef<AddressShape & { country: string }>('Address').implement({
  fields: (t) => ({
    street: t.exposeString('street', { nullable: true }),
    postalCode: t.exposeString('postalCode', { nullable: true }),
    locality: t.exposeString('locality', {
      nullable: true,
      description: 'City or town.',
    }),
    region: t.exposeString('region', {
      nullable: true,
      description: 'State or province, where addresses use one.',
    }),
    country: t.expose('country', { type: 'CountryCode' }),
  }),
});

/** The address of a row, or null when it has no address at all. */
export function addressOf(row: AddressShape) {
  if (!row.country && !row.street && !row.locality) return null;
  return { ...row, country: row.country ?? '' };
}
