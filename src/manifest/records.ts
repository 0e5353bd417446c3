// Between the manifest's shape of a record and the database's columns, both
// ways. Manifest loading and the mutations share these, so a field means the
// same thing whichever way it arrives.
import type { z } from 'zod';
import type {
  contactSchema,
  controllerEntitySchema,
  processorSchema,
  retentionRuleSchema,
  supervisoryAuthoritySchema,
} from './schema.js';

type Address = { street?: string; postalCode?: string; locality?: string; region?: string; country: string };
type AddressColumns = {
  street: string | null;
  postalCode: string | null;
  locality: string | null;
  region: string | null;
  country: string | null;
};

export const toDate = (value: string | undefined | null) => (value ? new Date(`${value}T00:00:00Z`) : null);
export const fromDate = (value: Date | null) => (value ? value.toISOString().slice(0, 10) : undefined);
const opt = <T>(value: T | null): T | undefined => (value === null ? undefined : value);

export function addressColumns(a: Address | undefined): AddressColumns {
  return {
    street: a?.street ?? null,
    postalCode: a?.postalCode ?? null,
    locality: a?.locality ?? null,
    region: a?.region ?? null,
    country: a?.country ?? null,
  };
}

export function addressOfColumns(row: AddressColumns): Address | undefined {
  if (!row.country) return undefined;
  return {
    street: opt(row.street),
    postalCode: opt(row.postalCode),
    locality: opt(row.locality),
    region: opt(row.region),
    country: row.country,
  };
}

/** Drops undefined values, so a record read back validates like one written by hand. */
export function compact<T extends Record<string, unknown>>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined)) as T;
}

export type AuthorityItem = z.output<typeof supervisoryAuthoritySchema>;
export const authorityColumns = (a: AuthorityItem) => ({
  slug: a.slug,
  name: a.name,
  website: a.website ?? null,
  email: a.email ?? null,
  phone: a.phone ?? null,
  ...addressColumns(a.address),
  country: a.country,
});

export type EntityItem = z.output<typeof controllerEntitySchema>;
export const entityColumns = (e: EntityItem) => ({
  key: e.key,
  legalName: e.legalName,
  role: e.role,
  registry: e.registry ?? null,
  registrationNumber: e.registrationNumber ?? null,
  vatNumber: e.vatNumber ?? null,
  ...addressColumns(e.address),
});

export type ContactItem = z.output<typeof contactSchema>;
export const contactColumns = (c: ContactItem, controllerEntityId: string | null) => ({
  key: c.key,
  kind: c.kind,
  controllerEntityId,
  name: c.name ?? null,
  department: c.department ?? null,
  email: c.email ?? null,
  phone: c.phone ?? null,
  url: c.url ?? null,
  ...addressColumns(c.address),
  note: c.note ?? null,
  activeFrom: toDate(c.activeFrom),
  activeUntil: toDate(c.activeUntil),
});

export type ProcessorItem = z.output<typeof processorSchema>;
/** Data locations as comparable strings ("DE:Frankfurt"), the form the diff uses. */
export const encodeLocations = (list: { country: string; locality?: string | null }[]) =>
  list.map((l) => `${l.country}:${l.locality ?? ''}`).sort();
export const decodeLocations = (encoded: string[]) =>
  encoded.map((l) => {
    const [country = '', locality = ''] = l.split(':');
    return { country, locality: locality || null };
  });
export const processorColumns = (p: ProcessorItem) => ({
  key: p.key,
  name: p.name,
  legalName: p.legalName ?? null,
  website: p.website ?? null,
  role: p.role,
  service: p.service,
  headquartersCountry: p.headquartersCountry ?? null,
  certifications: p.certifications,
  transferSafeguard: p.transferSafeguard,
  agreementInPlace: p.agreementInPlace ?? null,
  status: p.status,
  activeFrom: toDate(p.activeFrom),
  activeUntil: toDate(p.activeUntil),
  dataLocations: encodeLocations(p.dataLocations),
});

export type RetentionRuleItem = z.output<typeof retentionRuleSchema>;
export const retentionRuleColumns = (r: RetentionRuleItem) => ({
  key: r.key,
  dataCategory: r.dataCategory,
  period: r.period ?? null,
  criterion: r.criterion ?? null,
  trigger: r.trigger,
  basis: r.basis,
  legalReference: r.legalReference ?? null,
  action: r.action,
});

/**
 * A stored row back in the manifest's shape, so an update can validate the
 * whole resulting record: nulls dropped, dates as YYYY-MM-DD, and (with
 * `address`) the address columns folded into one object.
 */
export function itemOf(row: object, fields: readonly string[], options: { address?: boolean } = {}) {
  const values = row as Record<string, unknown>;
  const item: Record<string, unknown> = {};
  for (const field of fields) {
    const value = values[field];
    if (value === null || value === undefined) continue;
    item[field] = value instanceof Date ? fromDate(value) : value;
  }
  if (options.address) {
    const address = addressOfColumns(values as AddressColumns);
    if (address) item.address = compact(address);
  }
  return item;
}
