// The IAB TCF Global Vendor List over HTTP, on real lists from the
// @cookiehub/iabtcf-testing package: a v2.2 list of 692 vendors imported by
// the admin mutation, the questions asked across vendors answered on it, and
// two successive v2 lists yielding their changes as audit events, change
// notifications, a vendor's history and a diff. Expectations are computed
// from the list files themselves, not from the import.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { eventually } from './support/http.js';
import { bearer } from './support/keys.js';
import { startTestServer, type TestServer } from './support/server.js';
import { subscribeOverSse } from './support/sse.js';
import { vendorListFile } from './support/vendor-lists.js';

interface RawVendor {
  id: number;
  name: string;
  purposes: number[];
  legIntPurposes: number[];
  flexiblePurposes: number[];
  specialPurposes: number[];
  deletedDate?: string;
  dataRetention?: { stdRetention?: number; purposes: Record<string, number>; specialPurposes: Record<string, number> };
  urls?: { langId: string; privacy: string; legIntClaim?: string }[];
  policyUrl?: string;
}
const readList = async (name: string) =>
  JSON.parse(await readFile(vendorListFile(name), 'utf8')) as { vendors: Record<string, RawVendor> };

// A busy 2-core machine: a 692-vendor import gets room, and the request timeout is raised for it.
const SLOW = 180_000;
const settings = { limits: { ...loadConfig({}).limits, requestTimeoutMs: 170_000 } };

const IMPORT = `mutation($input: TcfVendorListImportInput!) {
  tcfVendorListImport(input: $input) {
    vendorList { specificationVersion version vendorCount }
    newVersion
    vendors { added changed deleted unchanged }
    changes { action gvlId name fields }
    warnings { gvlId field message }
    locale
    definitionsChanged
    userErrors { field code message }
  }
}`;

describe('a v2.2 list of 692 vendors', () => {
  let api: TestServer;
  let admin: string;
  let raw: Awaited<ReturnType<typeof readList>>;
  let text: string;

  beforeAll(async () => {
    api = await startTestServer({ settings });
    admin = (await bearer(api.db, ['admin'], { label: 'vendor list tool' })).authorization;
    text = await readFile(vendorListFile('v2.2/vendor-list-v17.json'), 'utf8');
    raw = JSON.parse(text);
  }, SLOW);
  afterAll(() => api?.close());

  it(
    'is imported by the admin mutation: 692 vendor organisations, each audited',
    async () => {
      const audits = await api.db.prisma.auditEvent.count();
      const { data, errors } = await api.gql(IMPORT, { input: { list: text } }, { authorization: admin });
      expect(errors).toBeUndefined();
      const result = data!.tcfVendorListImport;
      expect(result.userErrors).toEqual([]);
      expect(result.vendorList).toEqual({ specificationVersion: 3, version: 17, vendorCount: 692 });
      expect(result.vendors).toEqual({ added: 692, changed: 0, deleted: 0, unchanged: 0 });
      // One vendor declares a data category the list does not define: left out, said so.
      expect(result.warnings).toContainEqual({
        gvlId: 738,
        field: ['vendors', '738', 'dataDeclaration', '2'],
        message: 'dataCategories 2008 is not defined in this list; left out',
      });
      // An organisation and a TcfVendor per vendor, the list, and its purposes, features and data categories.
      const parsed = JSON.parse(text);
      const sections = ['purposes', 'specialPurposes', 'features', 'specialFeatures', 'dataCategories'];
      const definitions = sections.reduce((n, s) => n + Object.keys(parsed[s]).length, 0);
      expect(result.definitionsChanged).toBe(definitions);
      expect(await api.db.prisma.auditEvent.count()).toBe(audits + 692 * 2 + 1 + definitions);
      const all = await api.gql(`{ organisations(source: TCF, includeDeleted: true) { totalCount } }`);
      expect(all.data!.organisations.totalCount).toBe(692);
      const deleted = Object.values(raw.vendors).filter((v) => v.deletedDate).length;
      const listed = await api.gql(`{ organisations(source: TCF) { totalCount } }`);
      expect(listed.data!.organisations.totalCount).toBe(692 - deleted);
    },
    SLOW,
  );

  it('the same version twice changes nothing', { timeout: SLOW }, async () => {
    const audits = await api.db.prisma.auditEvent.count();
    const { data } = await api.gql(IMPORT, { input: { list: text } }, { authorization: admin });
    expect(data!.tcfVendorListImport).toMatchObject({
      newVersion: false,
      vendors: { added: 0, changed: 0, deleted: 0, unchanged: 692 },
      changes: [],
      userErrors: [],
    });
    expect(await api.db.prisma.auditEvent.count()).toBe(audits);
  });

  it('a vendor has its purposes with DPV legal bases, retention per purpose and policy URLs per language', async () => {
    const { data } = await api.gql(`{
      organisation(slug: "tcf-6") {
        name source gvlId
        tcfVendor {
          gvlId
          purposes { tcfId name legalBasis dpvLegalBasis flexible possibleLegalBases retention retentionDays retentionIsStandard }
          specialPurposes { tcfId name dpvLegalBasis retention }
          features { tcfId name }
          dataCategories { tcfId name }
          standardRetention
          usesCookies cookieMaxAge cookieMaxAgeSeconds cookieRefresh usesNonCookieAccess deviceStorageDisclosureUrl
          urls { locale privacy legIntClaim }
          de: policyUrls(locale: "de") { locale privacy isFallback }
          fr: policyUrls(locale: "fr") { locale isFallback }
          since { specificationVersion version }
        }
      }
    }`);
    const v = raw.vendors['6']!;
    const vendor = data!.organisation.tcfVendor;
    expect(data!.organisation).toMatchObject({ name: v.name.trim(), source: 'TCF', gvlId: 6 });
    const std = v.dataRetention!.stdRetention!;
    expect(vendor.standardRetention).toBe(`P${std}D`);
    expect(vendor.purposes).toHaveLength(v.purposes.length + v.legIntPurposes.length);
    for (const p of vendor.purposes) {
      const own = v.dataRetention!.purposes[String(p.tcfId)];
      expect(p).toMatchObject({
        legalBasis: v.purposes.includes(p.tcfId) ? 'CONSENT' : 'LEGITIMATE_INTEREST',
        dpvLegalBasis: v.purposes.includes(p.tcfId) ? 'A6-1-a' : 'A6-1-f',
        flexible: v.flexiblePurposes.includes(p.tcfId),
        retentionDays: own ?? std,
        retention: `P${own ?? std}D`,
        retentionIsStandard: own === undefined,
      });
      expect(p.name).toEqual(expect.any(String));
    }
    expect(vendor.purposes.find((p: any) => p.tcfId === 2)).toMatchObject({
      retention: 'P14D',
      retentionIsStandard: false,
    });
    expect(vendor.specialPurposes.map((p: any) => p.dpvLegalBasis)).toEqual(v.specialPurposes.map(() => 'A6-1-f'));
    expect(vendor.cookieMaxAge).toMatch(/^PT\d+S$/);
    expect(vendor.urls.map((u: any) => u.locale)).toEqual(v.urls!.map((u) => u.langId));
    expect(vendor.de).toMatchObject({ locale: 'de', isFallback: false });
    expect(vendor.fr).toEqual({ locale: 'en', isFallback: true });
    expect(vendor.since).toEqual({ specificationVersion: 3, version: 17 });
  });

  it('answers which vendors claim legitimate interest for measuring ads and keep data longer than a year', async () => {
    // From the file: purpose 7 under legIntPurposes, its retention (own, else standard) over 365 days, not deleted.
    const expected = Object.values(raw.vendors)
      .filter((v) => !v.deletedDate && v.legIntPurposes.includes(7) && !v.purposes.includes(7))
      .filter((v) => (v.dataRetention?.purposes['7'] ?? v.dataRetention?.stdRetention ?? 0) > 365)
      .map((v) => v.id)
      .sort((a, b) => a - b);
    expect(expected.length).toBeGreaterThan(5);
    const query = `query($after: String) {
      organisations(source: TCF, purpose: 7, legalBasis: LEGITIMATE_INTEREST, retentionLongerThan: "P1Y", first: 100, after: $after) {
        totalCount
        pageInfo { hasNextPage endCursor }
        nodes { gvlId tcfVendor { purposes { tcfId legalBasis retentionDays } } }
      }
    }`;
    const ids: number[] = [];
    let after: string | null = null;
    for (;;) {
      const answer: { data?: any; errors?: unknown } = await api.gql(query, { after });
      expect(answer.errors).toBeUndefined();
      const page = answer.data.organisations;
      expect(page.totalCount).toBe(expected.length);
      for (const node of page.nodes) {
        const p7 = node.tcfVendor.purposes.find((p: any) => p.tcfId === 7);
        expect(p7.legalBasis).toBe('LEGITIMATE_INTEREST');
        expect(p7.retentionDays).toBeGreaterThan(365);
        ids.push(node.gvlId);
      }
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(ids).toEqual(expected);
  });

  it('with includeFlexible also counts purposes declared under consent that may switch', async () => {
    const count = (v: RawVendor) =>
      !v.deletedDate && (v.legIntPurposes.includes(7) || (v.purposes.includes(7) && v.flexiblePurposes.includes(7)));
    const { data } = await api.gql(
      `{ organisations(purpose: 7, legalBasis: LEGITIMATE_INTEREST, includeFlexible: true) { totalCount } }`,
    );
    expect(data!.organisations.totalCount).toBe(Object.values(raw.vendors).filter(count).length);
  });

  it('any purpose kept longer than two years, without naming one', async () => {
    const longest = (v: RawVendor) => {
      const std = v.dataRetention?.stdRetention;
      const days = [...v.purposes, ...v.legIntPurposes].map((p) => v.dataRetention?.purposes[String(p)] ?? std);
      days.push(...v.specialPurposes.map((p) => v.dataRetention?.specialPurposes[String(p)] ?? std));
      return Math.max(...days.map((d) => d ?? 0));
    };
    const expected = Object.values(raw.vendors).filter((v) => !v.deletedDate && longest(v) > 730).length;
    const { data } = await api.gql(`{ organisations(retentionLongerThan: "P2Y") { totalCount } }`);
    expect(data!.organisations.totalCount).toBe(expected);
  });

  it('a page of vendors with their purposes, names and retention takes a bounded number of statements', async () => {
    const query = `{ organisations(source: TCF, first: 100) { nodes { name tcfVendor {
      purposes { name legalBasis retention } specialPurposes { name retention } features { name }
      policyUrls(locale: "nl") { privacy } } } } }`;
    const { statements, body } = await api.countStatements(query);
    expect(body.errors).toBeUndefined();
    expect(body.data!.organisations.nodes).toHaveLength(100);
    // The page, its count, and the definitions behind the names.
    expect(statements).toBeLessThanOrEqual(5);
  });

  it('keeps the list’s definitions, and refuses a translation of another specification', async () => {
    const { data } = await api.gql(
      `{ tcfDefinitions(kind: PURPOSE) { tcfId name description illustrations specificationVersion } }`,
    );
    expect(data!.tcfDefinitions).toHaveLength(11);
    expect(data!.tcfDefinitions[6]).toMatchObject({
      tcfId: 7,
      name: 'Measure advertising performance',
      specificationVersion: 3,
    });
    const translation = await readFile(vendorListFile('v2/purposes-de.json'), 'utf8');
    const refused = await api.gql(IMPORT, { input: { list: translation, language: 'de' } }, { authorization: admin });
    expect(refused.data!.tcfVendorListImport.userErrors).toEqual([
      {
        field: ['input', 'list', 'gvlSpecificationVersion'],
        code: 'CONFLICT',
        message:
          'these translations are of Global Vendor List specification 2; the stored definitions are of specification 3',
      },
    ]);
  });

  it('refuses a list that is not one, naming the value at fault', async () => {
    const broken = JSON.parse(text);
    broken.vendors['8'].purposes = ['one'];
    const { data } = await api.gql(IMPORT, { input: { list: JSON.stringify(broken) } }, { authorization: admin });
    expect(data!.tcfVendorListImport.userErrors).toEqual([
      {
        field: ['input', 'list', 'vendors', '8', 'purposes', '0'],
        code: expect.any(String),
        message: expect.any(String),
      },
    ]);
  });

  it('a manifest for a vendor’s organisation adds to it and leaves its source, GVL id and declarations alone', async () => {
    const manifest = JSON.stringify({
      organisation: { slug: 'tcf-6', name: 'AdSpirit GmbH', defaultLocale: 'de', website: 'https://www.adspirit.de' },
      contacts: [{ key: 'privacy', kind: 'PRIVACY', email: 'privacy@adspirit.example' }],
    });
    const applied = await api.gql(
      `mutation($m: String!) { organisationApplyManifest(manifest: $m) { changes { entity action fields } userErrors { message } } }`,
      { m: manifest },
      { authorization: admin },
    );
    expect(applied.data!.organisationApplyManifest.userErrors).toEqual([]);
    const { data } = await api.gql(
      `{ organisation(slug: "tcf-6") { source gvlId website defaultLocale contacts { email } tcfVendor { gvlId } } }`,
    );
    expect(data!.organisation).toEqual({
      source: 'TCF',
      gvlId: 6,
      website: 'https://www.adspirit.de',
      defaultLocale: 'de',
      contacts: [{ email: 'privacy@adspirit.example' }],
      tcfVendor: { gvlId: 6 },
    });
  });

  it('is for admin keys only', async () => {
    const writer = (await bearer(api.db, ['write:*'])).authorization;
    const { data } = await api.gql(IMPORT, { input: { list: text } }, { authorization: writer });
    expect(data!.tcfVendorListImport.userErrors).toEqual([
      { field: ['input', 'list'], code: 'FORBIDDEN', message: expect.stringMatching(/^Forbidden: .*admin/) },
    ]);
  });
});

describe('two successive v2 lists', () => {
  let api: TestServer;
  let admin: string;
  let v50: Awaited<ReturnType<typeof readList>>;
  let v51: Awaited<ReturnType<typeof readList>>;
  const active = (l: typeof v50, id: string) => Boolean(l.vendors[id] && !l.vendors[id].deletedDate);

  beforeAll(async () => {
    api = await startTestServer({ settings });
    admin = (await bearer(api.db, ['admin'], { label: 'vendor list tool' })).authorization;
    v50 = await readList('v2/vendor-list-v50.json');
    v51 = await readList('v2/vendor-list-v51.json');
    const first = await api.gql(
      IMPORT,
      { input: { list: await readFile(vendorListFile('v2/vendor-list-v50.json'), 'utf8') } },
      { authorization: admin },
    );
    expect(first.data!.tcfVendorListImport.userErrors).toEqual([]);
  }, SLOW);
  afterAll(() => api?.close());

  it('the newer list yields its changes as audit events and change notifications', { timeout: SLOW }, async () => {
    // Vendor 498 is renamed between the two lists.
    expect(v50.vendors['498']!.name).not.toBe(v51.vendors['498']!.name);
    const events = await subscribeOverSse(
      api.url,
      `subscription { organisationChanged(organisation: "tcf-498") { action entityType changedFields } }`,
    );
    try {
      const { data } = await api.gql(
        IMPORT,
        { input: { list: await readFile(vendorListFile('v2/vendor-list-v51.json'), 'utf8') } },
        { authorization: admin },
      );
      const result = data!.tcfVendorListImport;
      expect(result.userErrors).toEqual([]);
      const fresh = Object.keys(v51.vendors).filter((id) => !v50.vendors[id]);
      expect(result.vendors.added).toBe(fresh.length);
      expect(result.changes).toContainEqual({
        action: 'UPDATE',
        gvlId: 498,
        name: v51.vendors['498']!.name,
        fields: ['name'],
      });
      await eventually(async () => events.events.length >= 2, 'the rename’s notifications');
      expect(events.events.map((e) => e.data.organisationChanged)).toEqual([
        { action: 'UPDATE', entityType: 'Organisation', changedFields: ['name'] },
        { action: 'UPDATE', entityType: 'TcfVendor', changedFields: ['name', 'since'] },
      ]);
    } finally {
      events.close();
    }
    const trail = await api.gql(
      `{ auditEvents(organisation: "tcf-498", entityType: "TcfVendor") { nodes { action changedFields before after actor { label } } } }`,
      {},
      { authorization: admin },
    );
    const [update, create] = trail.data!.auditEvents.nodes;
    expect(create.action).toBe('CREATE');
    expect(update).toMatchObject({
      action: 'UPDATE',
      changedFields: ['name', 'since'],
      actor: { label: 'vendor list tool' },
    });
    expect(update.before.name).toBe(v50.vendors['498']!.name);
    expect(update.after).toMatchObject({ name: v51.vendors['498']!.name, since: { specVersion: 2, version: 51 } });
  });

  it('the diff between the two versions: vendors added, removed and changed, with their purposes’ changes', async () => {
    const { data, errors } = await api.gql(`{
      tcfVendorList(version: 51, specificationVersion: 2) {
        diff(from: 50) {
          from { version } to { version }
          added { gvlId vendor { organisation { slug } } }
          removed { gvlId }
          changed { gvlId name changedFields declarations { kind tcfId name change before { legalBasis } after { legalBasis } } }
        }
      }
    }`);
    expect(errors).toBeUndefined();
    const diff = data!.tcfVendorList.diff;
    expect(diff.from.version).toBe(50);
    const ids = (l: { gvlId: number }[]) => l.map((d) => d.gvlId);
    const all = [...new Set([...Object.keys(v50.vendors), ...Object.keys(v51.vendors)])]
      .map(Number)
      .sort((a, b) => a - b);
    expect(ids(diff.added)).toEqual(all.filter((id) => !active(v50, String(id)) && active(v51, String(id))));
    expect(ids(diff.removed)).toEqual(all.filter((id) => active(v50, String(id)) && !active(v51, String(id))));
    expect(diff.added[0].vendor.organisation.slug).toBe(`tcf-${diff.added[0].gvlId}`);
    const renamed = diff.changed.find((c: any) => c.gvlId === 498);
    expect(renamed).toMatchObject({ changedFields: ['name'], declarations: [] });
    // Every change in purposes is one the files show.
    for (const c of diff.changed) {
      for (const d of c.declarations.filter((x: any) => x.kind === 'PURPOSE')) {
        const declared = (l: typeof v50) => {
          const v = l.vendors[String(c.gvlId)]!;
          return v.purposes.includes(d.tcfId)
            ? 'CONSENT'
            : v.legIntPurposes.includes(d.tcfId)
              ? 'LEGITIMATE_INTEREST'
              : null;
        };
        expect(d.before?.legalBasis ?? null).toBe(declared(v50));
        expect(d.after?.legalBasis ?? null).toBe(declared(v51));
      }
    }
    expect(diff.changed.some((c: any) => c.declarations.length > 0)).toBe(true);
  });

  it('a vendor’s history across list versions', async () => {
    const { data } = await api.gql(
      `{ tcfVendor(gvlId: 498) { since { version } history { totalCount nodes { list { version } name changedFields } } } }`,
    );
    expect(data!.tcfVendor.since.version).toBe(51);
    expect(data!.tcfVendor.history).toEqual({
      totalCount: 2,
      nodes: [
        { list: { version: 51 }, name: v51.vendors['498']!.name, changedFields: ['name'] },
        { list: { version: 50 }, name: v50.vendors['498']!.name, changedFields: [] },
      ],
    });
  });

  it('refuses an older version than the latest imported', async () => {
    const { data } = await api.gql(
      IMPORT,
      { input: { list: await readFile(vendorListFile('v2/vendor-list-v50.json'), 'utf8') } },
      { authorization: admin },
    );
    expect(data!.tcfVendorListImport.userErrors).toEqual([
      {
        field: ['input', 'list', 'vendorListVersion'],
        code: 'CONFLICT',
        message: 'list 2/50 is older than 2/51, the latest imported: lists are imported in order, oldest first',
      },
    ]);
  });

  it('stores a translation of the definitions of the same specification', async () => {
    const translation = await readFile(vendorListFile('v2/purposes-de.json'), 'utf8');
    const { data } = await api.gql(IMPORT, { input: { list: translation, language: 'de' } }, { authorization: admin });
    expect(data!.tcfVendorListImport).toMatchObject({ locale: 'de', userErrors: [] });
    expect(data!.tcfVendorListImport.definitionsChanged).toBeGreaterThan(10);
    const de = JSON.parse(translation).purposes['1'].name.trim();
    const read = await api.gql(`{ tcfVendor(gvlId: 8) { purposes { tcfId name(locale: "de") } } }`);
    expect(read.data!.tcfVendor.purposes.find((p: any) => p.tcfId === 1).name).toBe(de);
  });
});
