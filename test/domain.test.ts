// The record types of src/domain/registry.ts, each checked the same way: every
// stored record reads back as a record its own rules accept unchanged, so an
// update that starts from the stored record (a patch, a manifest's diff) can
// never drop or alter a field by the way it is read; and a record written
// through the writer reads back as it was given.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemCaller } from '../src/auth/actor.js';
import type { Database } from '../src/db/client.js';
import { comparable } from '../src/domain/compare.js';
import { typenames, type AnyRecordType } from '../src/domain/record.js';
import { recordTypes } from '../src/domain/registry.js';
import { Writer } from '../src/domain/writer.js';
import { cloneTestDatabase } from './support/database.js';
import { importVendorListFile, vendorListFile } from './support/vendor-lists.js';

let db: Database;
beforeAll(async () => {
  db = await cloneTestDatabase();
  // The vendor list's records are not in the seed: a real list (692 vendors) and a translation supply them.
  await importVendorListFile(db, vendorListFile('v2/vendor-list-v51.json'));
  await importVendorListFile(db, vendorListFile('v2/purposes-de.json'), 'de');
  await importVendorListFile(db, vendorListFile('v2.2/vendor-list-v17.json'));
});
afterAll(() => db.close());

/** The ids of every stored record of a type. */
async function idsOf(typename: string): Promise<string[]> {
  const model = (typename.charAt(0).toLowerCase() + typename.slice(1)) as 'processor';
  const delegate = db.prisma[model] as unknown as { findMany(args: object): Promise<{ id: string }[]> };
  return (await delegate.findMany({ select: { id: true } })).map((r) => r.id);
}

it('the registry names every record type', () => {
  expect(Object.keys(recordTypes).sort()).toEqual([...typenames].sort());
});

describe.each(Object.entries(recordTypes) as [string, AnyRecordType][])('%s', (typename, type) => {
  it('reads every stored record back as one its rules accept unchanged', async () => {
    const ids = await idsOf(typename);
    // The seed (and the vendor list above) hold records of every type but keys and webhooks (tests make their own).
    if (typename !== 'ApiKey' && typename !== 'Webhook') expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) {
      const item = type.toItem((await type.load(db.prisma, id))!);
      const parsed = type.schema.safeParse(item);
      expect(parsed.success ? 'valid' : parsed.error.issues).toBe('valid');
      expect(comparable(parsed.data)).toBe(comparable(item));
    }
  });

  it('has an owner for every stored record', async () => {
    for (const id of await idsOf(typename)) {
      const owner = type.owner((await type.load(db.prisma, id))!);
      expect(['organisation', 'shared', 'keys']).toContain(owner.kind);
    }
  });
});

it('a record written through the writer reads back exactly as it was given', async () => {
  const writer = new Writer({ prisma: db.prisma });
  const organisation = await db.prisma.organisation.findUniqueOrThrow({ where: { slug: 'mailcamp' } });
  const given = {
    key: 'every-field',
    name: 'Every Field B.V.',
    legalName: 'Every Field Besloten Vennootschap',
    website: 'https://every.example',
    role: 'SUB_PROCESSOR',
    service: { nl: 'Alles', en: 'Everything' },
    headquartersCountry: 'NL',
    dataLocations: [{ country: 'DE', locality: 'Frankfurt' }, { country: 'NL' }],
    certifications: ['ISO 27001'],
    transferSafeguard: 'NOT_REQUIRED',
    agreementInPlace: false,
    status: 'PLANNED',
    platforms: [],
    validFrom: '2027-01-01',
    validUntil: '2028-12-31',
  } as const;
  const outcome = await writer.run({ caller: systemCaller('test'), requestId: 'domain-test' }, (s) =>
    s.create(recordTypes.Processor, { organisationId: organisation.id }, given, []),
  );
  expect(outcome.ok).toBe(true);
  const row = outcome.ok ? outcome.value : null;
  expect(recordTypes.Processor.toItem(row!)).toEqual(given);
});
