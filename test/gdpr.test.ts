// GDPR Art. 13/14: the completeness report per notice, its rules one by one,
// and the TILT and DPV exports of every seed organisation.
import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import * as formatsModule from 'ajv-formats';
import jsonld from 'jsonld';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateRule, type SectionText } from '../src/gdpr/completeness.js';
import { RULES, type CompletenessInput } from '../src/gdpr/rules.js';
import { privacySchema } from '../src/domain/privacy-facts.js';
import { startTestServer, type TestServer } from './support/server.js';

let api: TestServer;
beforeAll(async () => {
  api = await startTestServer({ now: () => new Date('2026-11-23T12:00:00Z') });
});
afterAll(() => api.close());

const reportQuery = `query($slug: String!) { organisation(slug: $slug) { notice { version } notices { versionAt(date: "2026-11-23") {
  completeness { locale score items { id article status note facts { label } sections { anchor } } } } } } }`;

async function report(slug: string) {
  const { data, errors } = await api.gql(reportQuery, { slug });
  expect(errors).toBeUndefined();
  return data!.organisation.notices[0].versionAt.completeness;
}

describe('the completeness report', () => {
  it('scores MailCamp’s 2023 notice high, each present item pointing at its facts and sections', async () => {
    const r = await report('mailcamp');
    expect(r.locale).toBe('nl');
    expect(r.score).toBeGreaterThanOrEqual(80);
    const present = r.items.filter((i: any) => i.status === 'PRESENT');
    expect(present.length).toBeGreaterThanOrEqual(9);
    for (const item of present) {
      expect(item.facts.length, item.id).toBeGreaterThan(0);
      expect(item.sections.length, item.id).toBeGreaterThan(0);
    }
    const byId = Object.fromEntries(r.items.map((i: any) => [i.id, i]));
    expect(byId.RETENTION.facts.map((f: any) => f.label)).toContainEqual(expect.stringContaining('P7Y'));
    expect(byId.RETENTION.sections.map((s: any) => s.anchor)).toContain('bewaartermijnen');
    expect(byId.DATA_SOURCES.status).toBe('NOT_APPLICABLE');
  });

  it('reports MAMORU’s 2019 notice’s missing and partial items', async () => {
    const r = await report('mamoru');
    const status = Object.fromEntries(r.items.map((i: any) => [i.id, i]));
    expect(status.DPO_CONTACT.status).toBe('MISSING');
    expect(status.AUTOMATED_DECISIONS.status).toBe('MISSING');
    expect(status.PURPOSES_AND_LEGAL_BASIS).toMatchObject({
      status: 'PARTIAL',
      note: expect.stringContaining('no legal basis'),
    });
    expect(status.RECIPIENTS).toMatchObject({ status: 'PARTIAL', note: expect.stringContaining('announces a list') });
    expect(status.DATA_SUBJECT_RIGHTS).toMatchObject({
      status: 'PARTIAL',
      note: expect.stringContaining('announces a list'),
    });
    expect(status.RETENTION.status).toBe('PRESENT');
    expect(r.score).toBeLessThan((await report('mailcamp')).score);
  });
});

describe('each rule', () => {
  const none: CompletenessInput = {
    facts: null,
    entities: [],
    contacts: [],
    processors: [],
    retentionRules: [],
    authorities: [],
  };
  const facts = (p: Record<string, unknown>) => privacySchema.parse(p);
  const section = (heading: string, body = 'Tekst.'): SectionText => ({ anchor: 'a', heading, body, text: body });
  const full: CompletenessInput = {
    facts: facts({
      purposes: [
        {
          key: 'p1',
          description: { en: 'x' },
          legalBasis: 'A6-1-f',
          legitimateInterest: { en: 'y' },
          dataCategories: ['c'],
        },
        { key: 'p2', description: { en: 'x' }, legalBasis: 'A6-1-a' },
      ],
      dataCategories: [{ key: 'c', name: { en: 'Contact details' } }],
      transfers: [{ key: 't', country: 'US', recipient: 'R', safeguard: 'A46-2-c' }],
      rights: ['A15', 'A16', 'A17', 'A18', 'A20', 'A21', 'A7-3', 'A77'].map((right) => ({ right })),
      provision: { requirement: 'CONTRACTUAL', consequences: { en: 'no service' } },
      automatedDecisions: { used: false },
      sources: [{ dataCategory: 'c', description: { en: 'from partners' } }],
    }),
    entities: [{ legalName: 'X B.V.', role: 'CONTROLLER', country: 'NL' }],
    contacts: [
      { key: 'dpo', kind: 'DPO', email: 'dpo@x.example', phone: null, url: null },
      { key: 'info', kind: 'GENERAL', email: 'info@x.example', phone: null, url: null },
    ],
    processors: [
      {
        name: 'Host',
        status: 'ACTIVE',
        headquartersCountry: 'NL',
        dataLocations: ['NL'],
        transferSafeguard: 'NOT_REQUIRED',
      },
    ],
    retentionRules: [{ key: 'r', period: 'P1Y' }],
    authorities: [{ name: 'Autoriteit Persoonsgegevens' }],
  };
  // A heading in the notice's words for each item, in one of the three languages.
  const headings: Record<string, string> = {
    CONTROLLER_IDENTITY: 'Wie zijn wij?',
    DPO_CONTACT: 'Data Protection Officer',
    PURPOSES_AND_LEGAL_BASIS: 'Zwecke und Rechtsgrundlagen',
    LEGITIMATE_INTERESTS: 'Gerechtvaardigd belang',
    RECIPIENTS: 'Sharing your information',
    THIRD_COUNTRY_TRANSFERS: 'Übermittlung in Drittländer',
    RETENTION: 'Bewaartermijnen',
    DATA_SUBJECT_RIGHTS: 'Jouw rechten',
    WITHDRAW_CONSENT: 'Withdrawing consent',
    RIGHT_TO_COMPLAIN: 'Beschwerde bei einer Aufsichtsbehörde',
    PROVISION_REQUIREMENT: 'Is providing data required?',
    AUTOMATED_DECISIONS: 'Geautomatiseerde beslissingen',
    DATA_CATEGORIES: 'Welke gegevens verwerken wij?',
    DATA_SOURCES: 'Where we obtain information (source)',
  };

  it('has a case for every rule', () => {
    expect(Object.keys(headings).sort()).toEqual(RULES.map((r) => r.id).sort());
  });

  describe.each(RULES)('$id ($article)', (rule) => {
    it('is PRESENT with facts and a section that speaks of it', () => {
      const item = evaluateRule(rule, full, [section('Iets anders'), section(headings[rule.id]!)]);
      expect(item).toMatchObject({ status: 'PRESENT', note: null });
      expect(item.facts.length).toBeGreaterThan(0);
    });

    it('is MISSING or NOT_APPLICABLE with neither', () => {
      const item = evaluateRule(rule, none, [section('Iets anders')]);
      expect(['MISSING', 'NOT_APPLICABLE']).toContain(item.status);
      if (!rule.applies) expect(item.status).toBe('MISSING');
    });

    it('is PARTIAL when its section announces a list that does not follow', () => {
      const item = evaluateRule(rule, full, [section(headings[rule.id]!, 'Wij noemen hier het volgende:')]);
      expect(item).toMatchObject({ status: 'PARTIAL', note: expect.stringContaining('announces a list') });
    });
  });

  it('finds shortfalls in the facts themselves', () => {
    const noBasis = {
      ...full,
      facts: { ...full.facts!, purposes: [{ ...full.facts!.purposes[1]!, legalBases: [] }] },
    };
    const purposes = RULES.find((r) => r.id === 'PURPOSES_AND_LEGAL_BASIS')!;
    expect(evaluateRule(purposes, noBasis, [section('Zwecke')]).status).toBe('PARTIAL');
    const bare = {
      ...full,
      facts: { ...full.facts!, transfers: [] },
      processors: [
        {
          name: 'Calendly',
          status: 'ACTIVE',
          headquartersCountry: 'US',
          dataLocations: [],
          transferSafeguard: 'UNKNOWN',
        },
      ],
    };
    const transfers = RULES.find((r) => r.id === 'THIRD_COUNTRY_TRANSFERS')!;
    expect(evaluateRule(transfers, bare, [section('Doorgifte buiten de EER')])).toMatchObject({
      status: 'PARTIAL',
      note: 'no safeguard named for Calendly',
    });
  });
});

describe('exports', () => {
  const slugs = ['mailcamp', 'mamoru', 'mimecast'];
  const base = () => api.url.replace(/\/graphql$/, '');

  it.each(slugs)('the TILT document of %s validates against the published TILT schema', async (slug) => {
    const schema = JSON.parse(await readFile(new URL('./fixtures/tilt/tilt-schema.json', import.meta.url), 'utf8'));
    // The schema's date patterns are written for JavaScript's non-unicode regular expressions.
    const ajv = new Ajv({ allErrors: true, strict: false, unicodeRegExp: false });
    // ajv-formats is CommonJS; its default export arrives wrapped.
    const mod = formatsModule as unknown as { default: { default?: unknown } };
    const addFormats = (mod.default.default ?? mod.default) as (ajv: Ajv) => Ajv;
    addFormats(ajv);
    const validate = ajv.compile(schema);
    const response = await fetch(`${base()}/organisations/${slug}/tilt.json`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/application\/json/);
    const doc = await response.json();
    const valid = validate(doc);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(doc.meta.name).toBeTruthy();
  });

  it('puts MailCamp’s facts into its TILT document', async () => {
    const doc = await (await fetch(`${base()}/organisations/mailcamp/tilt.json?locale=en`)).json();
    expect(doc.controller).toMatchObject({ name: 'MailCamp B.V.', country: 'NL' });
    expect(doc.meta.language).toBe('en');
    expect(doc.dataProtectionOfficer.email).toBe('privacy@mailcamp.nl');
    expect(doc.rightToComplain.supervisoryAuthority.name).toBe('Autoriteit Persoonsgegevens');
    const legalBases = doc.dataDisclosed.flatMap((d: any) => d.legalBases.map((b: any) => b.reference));
    expect(legalBases).toEqual(expect.arrayContaining(['GDPR-6-1-b', 'GDPR-6-1-c']));
    const ttl = doc.dataDisclosed.flatMap((d: any) => d.storage.flatMap((s: any) => s.temporal.map((t: any) => t.ttl)));
    expect(ttl).toContain('P7Y');
  });

  it.each(slugs)('the DPV JSON-LD of %s expands without losing anything', async (slug) => {
    const response = await fetch(`${base()}/organisations/${slug}/dpv.jsonld`);
    expect(response.headers.get('content-type')).toMatch(/application\/ld\+json/);
    const doc = await response.json();
    const offline = async (url: string) => {
      throw new Error(`no remote context may be loaded: ${url}`);
    };
    // Safe mode fails on any term or value that expansion would drop.
    const expanded = (await jsonld.expand(doc, { safe: true, documentLoader: offline } as never)) as unknown as any[];
    const nodes = (expanded[0] as any)['@graph'];
    expect(nodes).toHaveLength(doc['@graph'].length);
    const text = JSON.stringify(expanded);
    expect(text).toContain('https://w3id.org/dpv#DataController');
    if (slug === 'mailcamp') {
      expect(text).toContain('https://w3id.org/dpv/legal/eu/gdpr#A6-1-b');
      expect(text).toContain('https://w3id.org/dpv/loc#IE');
    }
  });

  it('answers 404 for an unknown organisation and serves TILT through GraphQL too', async () => {
    expect((await fetch(`${base()}/organisations/nobody/tilt.json`)).status).toBe(404);
    const { data } = await api.gql(`{ organisation(slug: "mamoru") { tilt } }`);
    expect(data!.organisation.tilt.controller.name).toBe('MAMORU.NL');
  });
});

describe('the privacy facts in the read API', () => {
  it('lists purposes with their legal bases, rights and cookies, in the requested locale', async () => {
    const { data } = await api.gql(`{ organisation(slug: "mailcamp", locale: "en") { privacy {
      purposes { key legalBasis description } rights { right answerTerm contactKey } cookies { consentTool categories { category } }
      minimumAge certifications } } }`);
    const p = data!.organisation.privacy;
    expect(p.purposes.map((x: any) => x.legalBasis)).toEqual(expect.arrayContaining(['A6-1-b', 'A6-1-c', 'A6-1-f']));
    expect(p.rights).toContainEqual({ right: 'A15', answerTerm: 'P1M', contactKey: 'dpo' });
    expect(p.cookies.consentTool).toBe('Cookiebot');
    expect(p.minimumAge).toBe(18);
    expect(p.certifications).toContain('ISO 27001');
  });
});
