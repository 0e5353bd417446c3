// A manifest of a notice none of the seeds resemble (test/fixtures/rezeptfix.yaml,
// an invented German e-health app) holds all its facts: loaded through the one
// writer, read back over GraphQL, its TILT export still valid.
import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import * as formatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyManifest } from '../src/manifest/load.js';
import { parseManifest } from '../src/manifest/parse.js';
import { bearer } from './support/keys.js';
import { startTestServer, type TestServer } from './support/server.js';

let api: TestServer;
let fixture: Awaited<ReturnType<typeof loadFixture>>;
const loadFixture = async () => {
  const parsed = parseManifest(await readFile(new URL('./fixtures/rezeptfix.yaml', import.meta.url), 'utf8'));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.manifest;
};
beforeAll(async () => {
  api = await startTestServer({ now: () => new Date('2026-01-20T12:00:00Z') });
  fixture = await loadFixture();
  await applyManifest(api.db.prisma, fixture);
});
afterAll(() => api.close());

const bound = 'given notice version date precision';
const fact = `validFrom { ${bound} } validUntil { ${bound} } source fieldSources { field source }`;

async function organisation(selection: string) {
  const { data, errors } = await api.gql(`{ organisation(slug: "rezeptfix") { ${selection} } }`);
  expect(errors).toBeUndefined();
  return data!.organisation;
}

describe('a manifest of a real notice', () => {
  it('keeps an entity only an older version names, with the project’s registry name marked', async () => {
    const org = await organisation(
      `controllerEntities(includeInactive: true) { legalName activeUntil ${fact} } current: controllerEntities { legalName }`,
    );
    expect(org.current).toEqual([{ legalName: 'Rezeptfix GmbH' }]);
    const byName = Object.fromEntries(org.controllerEntities.map((e: any) => [e.legalName, e]));
    expect(byName['Rezeptfix UG (haftungsbeschränkt)'].validUntil).toMatchObject({ notice: 'privacy', version: '1.0' });
    // Version 1.0 ends the day before 1.1 takes effect.
    expect(byName['Rezeptfix UG (haftungsbeschränkt)'].activeUntil).toBe('2025-01-14');
    expect(byName['Rezeptfix GmbH']).toMatchObject({
      source: 'NOTICE',
      fieldSources: [{ field: 'registry', source: 'PROJECT' }],
    });
  });

  it('reads notice dates with their precision', async () => {
    const org = await organisation(
      `notices { versions { version effectiveDate effectiveDatePrecision effectiveDateAsGiven translations { locale effectiveDateAsGiven } } }`,
    );
    const versions = Object.fromEntries(org.notices[0].versions.map((v: any) => [v.version, v]));
    expect(versions['2.0']).toMatchObject({
      effectiveDate: '2025-11-01',
      effectiveDatePrecision: 'MONTH',
      effectiveDateAsGiven: '2025-11',
    });
    expect(versions['1.1'].effectiveDatePrecision).toBe('DAY');
    // The English translation followed on a day of its own.
    expect(versions['2.0'].translations).toEqual(
      expect.arrayContaining([
        { locale: 'en', effectiveDateAsGiven: '2025-12-10' },
        { locale: 'de', effectiveDateAsGiven: null },
      ]),
    );
  });

  it('holds a contact that is only a place in the app', async () => {
    const org = await organisation(
      `contacts(includeInactive: true) { kind email inApp(locale: "en") validFrom { version } }`,
    );
    expect(org.contacts).toContainEqual({
      kind: 'DATA_SUBJECT_REQUESTS',
      email: null,
      inApp: 'In the app under Settings › Privacy',
      validFrom: null,
    });
    expect(org.contacts).toContainEqual(expect.objectContaining({ kind: 'DPO', validFrom: { version: '1.1' } }));
  });

  it('holds processors with an address, on some platforms, with an unknown role, on the device only', async () => {
    const org = await organisation(
      `processors(first: 10) { nodes { name role platforms address { locality country } dataLocationDetails { place country } ${fact} } }`,
    );
    const byName = Object.fromEntries(org.processors.nodes.map((p: any) => [p.name, p]));
    expect(byName.Wolkenhaus.address).toEqual({ locality: 'Frankfurt am Main', country: 'DE' });
    expect(byName['Pushdienst A']).toMatchObject({
      role: 'UNKNOWN',
      platforms: ['ANDROID'],
      fieldSources: [{ field: 'headquartersCountry', source: 'PROJECT' }],
    });
    expect(byName.Texterkennung.dataLocationDetails).toEqual([{ place: 'USER_DEVICE', country: null }]);
    expect(byName.Texterkennung.validFrom).toMatchObject({ version: '2.0' });
  });

  it('holds other controllers of connected services', async () => {
    const org = await organisation(`otherControllers { key name role service(locale: "en") legalReference platforms }`);
    expect(org.otherControllers).toEqual([
      {
        key: 'app-store',
        name: 'App-Marktplatz',
        role: 'INDEPENDENT',
        service: 'Downloading the app',
        legalReference: null,
        platforms: ['IOS'],
      },
      {
        key: 'health-insurer',
        name: 'Ihre Krankenkasse',
        role: 'INDEPENDENT',
        service: 'Billing of filled prescriptions',
        legalReference: '§ 300 SGB V',
        platforms: [],
      },
      {
        key: 'pharmacy',
        name: 'Die gewählte Apotheke',
        role: 'UNKNOWN',
        service: 'Handing out the medicine',
        legalReference: null,
        platforms: [],
      },
    ]);
  });

  it('holds retention with two triggers, an unknown start, deletion by the user and who keeps the data', async () => {
    const org = await organisation(
      `retentionRules { period triggers countFrom userControlled keptBy { kind key } legalReference fieldSources { field source } }`,
    );
    const [prescriptions, support, plan] = org.retentionRules;
    expect(prescriptions).toMatchObject({
      period: 'P100D',
      triggers: ['ISSUE', 'STATUS_CHANGE'],
      countFrom: 'LATEST',
      keptBy: { kind: 'otherController', key: 'pharmacy' },
      fieldSources: [{ field: 'legalReference', source: 'PROJECT' }],
    });
    expect(support.triggers).toEqual(['UNKNOWN']);
    expect(plan).toMatchObject({ period: null, userControlled: true, keptBy: null });
  });

  it('holds purposes with several bases, planned purposes, consent withdrawal, device-only and platform processing', async () => {
    const org = await organisation(`privacy { purposes { key legalBases status consentWithdrawal(locale: "en") platforms
      dataLocations { place } legalReference validUntil { version } } }`);
    const byKey = Object.fromEntries(org.privacy.purposes.map((p: any) => [p.key, p]));
    expect(byKey['fill-prescription']).toMatchObject({
      legalBases: ['A6-1-b', 'A9-2-h'],
      legalReference: '§ 300 SGB V',
    });
    expect(byKey['scan-prescription']).toMatchObject({
      legalBases: ['A6-1-a', 'A9-2-a'],
      consentWithdrawal: 'Switch off camera access in the device settings',
      dataLocations: [{ place: 'USER_DEVICE' }],
    });
    expect(byKey.reminders.platforms).toEqual(['ANDROID', 'IOS']);
    expect(byKey['video-consultation'].status).toBe('PLANNED');
    expect(byKey.newsletter.validUntil).toEqual({ version: '1.0' });
  });

  it('reads the facts that held on a day: a purpose of version 1.0 only then, a right from 2.0 only after', async () => {
    const org = await organisation(`early: privacy(on: "2024-06-01") { purposes { key } rights { right } }
      now: privacy(on: "2026-01-20") { purposes { key } rights { right } }`);
    expect(org.early.purposes.map((p: any) => p.key)).toContain('newsletter');
    expect(org.early.rights.map((r: any) => r.right)).not.toContain('A20');
    expect(org.now.purposes.map((p: any) => p.key)).not.toContain('newsletter');
    expect(org.now.rights.map((r: any) => r.right)).toContain('A20');
  });

  it('holds transfers to an unnamed third country without a safeguard, limited rights and their channels', async () => {
    const org = await organisation(`privacy {
      transfers { key countries otherThirdCountries safeguard platforms }
      recipients { name address { country } }
      rights { right channels { kind contactKey description(locale: "en") } dataCategories excludedDataCategories
        limitation(locale: "en") validFrom { version } }
      dataCategories { key special anonymised } }`);
    expect(org.privacy.transfers).toEqual([
      {
        key: 'push-service',
        countries: ['US'],
        otherThirdCountries: true,
        safeguard: 'UNKNOWN',
        platforms: ['ANDROID'],
      },
      { key: 'crash-reports', countries: [], otherThirdCountries: true, safeguard: 'NONE', platforms: [] },
    ]);
    expect(org.privacy.recipients).toEqual([{ name: 'Die gewählte Apotheke', address: { country: 'DE' } }]);
    const rights = Object.fromEntries(org.privacy.rights.map((r: any) => [r.right, r]));
    expect(rights.A15.channels).toEqual([
      { kind: 'IN_APP', contactKey: null, description: 'Settings › Privacy' },
      { kind: 'CONTACT', contactKey: 'dpo', description: null },
    ]);
    expect(rights.A17).toMatchObject({
      excludedDataCategories: ['usage-statistics'],
      limitation: 'Not for anonymised data',
    });
    expect(rights.A20).toMatchObject({ dataCategories: ['prescription'], validFrom: { version: '2.0' } });
    expect(org.privacy.dataCategories).toContainEqual({ key: 'usage-statistics', special: false, anonymised: true });
  });

  it('references the shared supervisory authority rather than defining it', async () => {
    const org = await organisation(`supervisoryAuthorities { slug }`);
    expect(org.supervisoryAuthorities).toEqual([{ slug: 'de-bfdi' }]);
  });
});

describe('writing it', () => {
  it('loads a second time without a change: every new field reads back as given', async () => {
    const again = await applyManifest(api.db.prisma, fixture, { dryRun: true });
    expect(again.changes).toEqual([]);
  });

  it('takes the new fields through mutations, and refuses a bound naming a version that does not exist', async () => {
    const { authorization } = await bearer(api.db, ['write:rezeptfix'], { label: 'rezeptfix tool' });
    const create = `mutation($input: OtherControllerCreateInput!) { otherControllerCreate(input: $input) {
      otherController { key role validFrom { version } activeFrom fieldSources { field source } } userErrors { code field } } }`;
    const input = {
      organisation: 'rezeptfix',
      name: 'Telemedizin-Praxis',
      role: 'JOINT',
      service: [{ locale: 'de', text: 'Videosprechstunde' }],
      validFrom: 'privacy@2.0',
      fieldSources: [{ field: 'role', source: 'ORGANISATION' }],
    };
    const made = await api.gql(create, { input }, { authorization });
    expect(made.data!.otherControllerCreate).toEqual({
      otherController: {
        key: 'telemedizin-praxis',
        role: 'JOINT',
        validFrom: { version: '2.0' },
        activeFrom: '2025-11-01',
        fieldSources: [{ field: 'role', source: 'ORGANISATION' }],
      },
      userErrors: [],
    });
    const refused = await api.gql(
      create,
      { input: { ...input, name: 'Other', validFrom: 'privacy@9.9' } },
      { authorization },
    );
    expect(refused.data!.otherControllerCreate.userErrors).toEqual([
      { code: 'NOT_FOUND', field: ['input', 'validFrom'] },
    ]);
  });
});

describe('its exports', () => {
  const base = () => api.url.replace(/\/graphql$/, '');

  it('a TILT document that validates, without transfers it cannot state and without facts of older versions', async () => {
    const schema = JSON.parse(await readFile(new URL('./fixtures/tilt/tilt-schema.json', import.meta.url), 'utf8'));
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    const mod = formatsModule as unknown as { default: { default?: unknown } };
    ((mod.default.default ?? mod.default) as (ajv: Ajv) => Ajv)(ajv);
    const validate = ajv.compile(schema);
    const doc = await (await fetch(`${base()}/organisations/rezeptfix/tilt.json?locale=en`)).json();
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
    // An unnamed third country, an unknown or no safeguard: nothing TILT could say.
    expect(doc.thirdCountryTransfers).toEqual([]);
    expect(doc.controller.name).toBe('Rezeptfix GmbH');
    const purposes = doc.dataDisclosed.flatMap((d: any) => d.purposes.map((p: any) => p.purpose));
    expect(purposes).not.toContain('newsletter');
    const bases = doc.dataDisclosed.flatMap((d: any) => d.legalBases.map((b: any) => b.reference));
    expect(bases).toEqual(expect.arrayContaining(['GDPR-6-1-b', 'GDPR-9-2-h']));
    const recipients = doc.dataDisclosed[0].recipients.map((r: any) => r.name);
    expect(recipients).toEqual(expect.arrayContaining(['Ihre Krankenkasse', 'Die gewählte Apotheke']));
  });

  it('a DPV document that names the device, the other controllers and what the project added', async () => {
    const doc = await (await fetch(`${base()}/organisations/rezeptfix/dpv.jsonld`)).json();
    const text = JSON.stringify(doc);
    expect(text).toContain('dpv:WithinDevice');
    expect(text).toContain('#controller-health-insurer');
    expect(doc['@graph']).toContainEqual(expect.objectContaining({ '@type': 'dpv:DataController' }));
    expect(text).toContain('eu-gdpr:A9-2-a');
  });
});

describe('the seed facts, checked against their notices', () => {
  const query = async (slug: string, selection: string) => {
    const { data, errors } = await api.gql(`{ organisation(slug: "${slug}") { ${selection} } }`);
    expect(errors).toBeUndefined();
    return data!.organisation;
  };

  it('Mimecast: transfers to each subsidiary worldwide, rights through the portal or the administrator', async () => {
    const org = await query(
      'mimecast',
      `privacy { transfers { key countries otherThirdCountries recipient validUntil { version } }
        rights { right contactKey channels { kind } validFrom { version } validUntil { version } } }`,
    );
    const transfer = org.privacy.transfers.find((t: any) => t.key === 'subsidiaries-model-clauses');
    expect(transfer).toMatchObject({
      countries: [],
      otherThirdCountries: true,
      recipient: 'Each Mimecast subsidiary, worldwide',
    });
    const access2018 = org.privacy.rights.find((r: any) => r.right === 'A15' && r.validFrom?.version === '2018-05-25');
    expect(access2018).toMatchObject({
      contactKey: null,
      channels: [{ kind: 'ONLINE_PORTAL' }, { kind: 'ADMINISTRATOR' }],
    });
    const access2015 = org.privacy.rights.find((r: any) => r.right === 'A15' && r.validUntil?.version === '2015-10-05');
    expect(access2015.contactKey).toBe('global-privacy');
  });

  it('Mimecast: the 2015 controller is not current, and the registry names are the project’s', async () => {
    const org = await query(
      'mimecast',
      `controllerEntities(includeInactive: true) { legalName activeUntil fieldSources { field source } }
       current: controllerEntities { legalName }`,
    );
    expect(org.current.map((e: any) => e.legalName)).not.toContain('Mimecast Limited');
    const byName = Object.fromEntries(org.controllerEntities.map((e: any) => [e.legalName, e]));
    expect(byName['Mimecast Limited'].activeUntil).toBe('2018-05-24');
    expect(byName['Mimecast Services Limited'].fieldSources).toEqual([{ field: 'registry', source: 'PROJECT' }]);
    const doc = await (await fetch(`${api.url.replace(/\/graphql$/, '')}/organisations/mimecast/tilt.json`)).json();
    expect(doc.controller.name).toBe('Mimecast Services Limited');
  });

  it('MailCamp: its title line, no agreement with Calendly, the right to information', async () => {
    const org = await query(
      'mailcamp',
      `notice { title } processors(first: 20) { nodes { name agreementInPlace } }
       privacy { rights { right } provisionProvenance { fieldSources { field source } } }
       retentionRules { legalReference fieldSources { field source } }`,
    );
    expect(org.notice.title).toBe('Privacy Policy');
    expect(org.processors.nodes.find((p: any) => p.name === 'Calendly').agreementInPlace).toBeNull();
    expect(org.privacy.rights.map((r: any) => r.right)).toContain('A13');
    expect(org.privacy.provisionProvenance.fieldSources).toEqual([{ field: 'requirement', source: 'PROJECT' }]);
    const tax = org.retentionRules.find((r: any) => r.legalReference);
    expect(tax.fieldSources).toEqual([{ field: 'legalReference', source: 'PROJECT' }]);
  });

  it('the authorities’ websites are the project’s', async () => {
    const { data } = await api.gql(`{ supervisoryAuthorities { slug website fieldSources { field source } } }`);
    for (const a of data!.supervisoryAuthorities.filter((x: any) => x.website)) {
      expect(a.fieldSources, a.slug).toEqual([{ field: 'website', source: 'PROJECT' }]);
    }
  });
});
