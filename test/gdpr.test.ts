// GDPR Art. 13/14: the completeness report per notice, its rules one by one,
// and the TILT and DPV exports of every seed organisation.
import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import * as formatsModule from 'ajv-formats';
import jsonld from 'jsonld';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { completeness, evaluateRule, type SectionText } from '../src/gdpr/completeness.js';
import { factsOn, RULE_LANGUAGES, RULES, type CompletenessInput } from '../src/gdpr/rules.js';
import { validOn } from '../src/domain/validity.js';
import { privacySchema } from '../src/domain/privacy-facts.js';
import { markdownToText } from '../src/notice/render.js';
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
    // An empty list of security measures is reported, and so is the payment section naming where data comes from.
    expect(status.SECURITY_MEASURES).toMatchObject({
      status: 'PARTIAL',
      note: expect.stringContaining('the list of security measures is empty'),
    });
    expect(status.DATA_SOURCES.status).toBe('PRESENT');
  });
});

describe('completeness across translations and versions', () => {
  const versionReport = `query($slug: String!, $date: Date!, $locale: Locale!) { organisation(slug: $slug) { notices {
    versionAt(date: $date) { version completeness(locale: $locale) { locale score items { id status note facts { label } } } } } } }`;
  async function mimecast(date: string, locale: string) {
    const { data, errors } = await api.gql(versionReport, { slug: 'mimecast', date, locale });
    expect(errors).toBeUndefined();
    return data!.organisation.notices[0].versionAt.completeness;
  }

  it('gives Mimecast’s 2018 notice the same status per item and the same score in Dutch and German', async () => {
    const nl = await mimecast('2018-06-01', 'nl');
    const de = await mimecast('2018-06-01', 'de');
    expect([nl.locale, de.locale]).toEqual(['nl', 'de']);
    const statuses = (r: any) => Object.fromEntries(r.items.map((i: any) => [i.id, i.status]));
    expect(statuses(de)).toEqual(statuses(nl));
    expect(de.score).toBe(nl.score);
    // The first section names the controller and the kinds of data, in both languages.
    expect(statuses(nl).CONTROLLER_IDENTITY).toBe('PRESENT');
    expect(statuses(nl).DATA_CATEGORIES).toBe('PRESENT');
  });

  it('counts for the archived 2015 version only the facts valid then: not the DPO contact of 2018', async () => {
    const old = await mimecast('2016-01-01', 'en');
    const dpo = old.items.find((i: any) => i.id === 'DPO_CONTACT');
    expect(dpo.facts).toEqual([]);
    expect(dpo.status).toBe('MISSING');
    const labels = old.items.flatMap((i: any) => i.facts.map((f: any) => f.label));
    expect(labels).toContain('transfer to US under SAFE-HARBOR');
    const now = await mimecast('2018-06-01', 'nl');
    const laterLabels = now.items.flatMap((i: any) => i.facts.map((f: any) => f.label));
    expect(laterLabels).toContain('DPO contact dpo@mimecast.com');
    expect(laterLabels).not.toContain('transfer to US under SAFE-HARBOR');
  });
});

describe('two translations of one notice with the same facts', async () => {
  const doc = parseYaml(await readFile(new URL('./fixtures/completeness/fietsdeel.yaml', import.meta.url), 'utf8'));
  const input: CompletenessInput = { ...doc, facts: privacySchema.parse(doc.facts) };
  const sections = (locale: string): SectionText[] =>
    doc.translations[locale].map((s: { heading: string; body: string }, i: number) => ({
      anchor: `s${i}`,
      heading: s.heading,
      level: 2,
      body: s.body,
      text: markdownToText(s.body),
    }));
  const at = new Date('2026-06-01T00:00:00Z');
  const nl = completeness(input, sections('nl'), { at });
  const de = completeness(input, sections('de'), { at });

  it('give every item the same status, and every item is present', () => {
    const statuses = (r: typeof nl) => Object.fromEntries(r.items.map((i) => [i.id, i.status]));
    expect(statuses(de)).toEqual(statuses(nl));
    const notPresent = nl.items.filter((i) => i.status !== 'PRESENT' && i.status !== 'NOT_APPLICABLE');
    expect(notPresent.map((i) => [i.id, i.status, i.note])).toEqual([]);
    expect(de.score).toBe(100);
    expect(nl.score).toBe(100);
  });

  it('match the controller’s own section, not the one about other controllers', () => {
    for (const r of [nl, de]) {
      const controller = r.items.find((i) => i.id === 'CONTROLLER_IDENTITY')!;
      expect(controller.sections.map((s) => s.anchor)).toEqual(['s0']);
    }
  });

  it('find retention by its deletion words and data sources by who delivers them', () => {
    for (const r of [nl, de]) {
      expect(r.items.find((i) => i.id === 'RETENTION')!.sections.map((s) => s.anchor)).toEqual(['s7']);
      expect(r.items.find((i) => i.id === 'DATA_SOURCES')!.sections.map((s) => s.anchor)).toEqual(['s3']);
    }
  });

  it('count a contact only from the day it is active', () => {
    const dpo = (r: typeof nl) => r.items.find((i) => i.id === 'DPO_CONTACT')!.facts.map((f) => f.label);
    expect(dpo(nl)).toEqual(['DPO contact fg@fietsdeel.example']);
    const later = completeness(input, sections('nl'), { at: new Date('2027-02-01T00:00:00Z') });
    expect(dpo(later)).toEqual(['DPO contact fg@fietsdeel.example', 'DPO contact fg2027@fietsdeel.example']);
  });
});

describe('the time filter', () => {
  it('works on any record with activeFrom/activeUntil, as dates or as YYYY-MM-DD', () => {
    const records = [
      { key: 'open' },
      { key: 'from-2018', activeFrom: '2018-05-25' },
      { key: 'until-2018', activeUntil: new Date('2018-05-24T00:00:00Z') },
      { key: 'null-bounds', activeFrom: null, activeUntil: null },
    ];
    expect(validOn(records, new Date('2016-01-01T00:00:00Z')).map((r) => r.key)).toEqual([
      'open',
      'until-2018',
      'null-bounds',
    ]);
    expect(validOn(records, new Date('2018-05-25T12:00:00Z')).map((r) => r.key)).toEqual([
      'open',
      'from-2018',
      'null-bounds',
    ]);
  });

  it('filters entities, contacts, processors, retention rules and transfers alike', () => {
    const period = { activeFrom: '2020-01-01' };
    const input: CompletenessInput = {
      facts: privacySchema.parse({
        transfers: [{ key: 't', country: 'US', recipient: 'R', safeguard: 'SAFE-HARBOR', validUntil: '2015-10-06' }],
      }),
      entities: [{ legalName: 'New B.V.', role: 'CONTROLLER', country: 'NL', ...period }],
      contacts: [{ key: 'c', kind: 'DPO', email: null, phone: null, url: null, ...period }],
      processors: [
        {
          name: 'P',
          status: 'ACTIVE',
          headquartersCountry: 'NL',
          dataLocations: [],
          transferSafeguard: 'NOT_REQUIRED',
          ...period,
        },
      ],
      retentionRules: [{ key: 'r', period: 'P1Y', ...period }],
      authorities: [],
    };
    const then = factsOn(input, new Date('2019-06-01T00:00:00Z'));
    expect([then.entities, then.contacts, then.processors, then.retentionRules, then.facts!.transfers]).toEqual([
      [],
      [],
      [],
      [],
      [],
    ]);
  });
});

describe('the rules’ words', () => {
  // The same things said in each language: each language's words find its own phrase.
  const phrases: Record<string, Record<(typeof RULE_LANGUAGES)[number], string>> = {
    DPO_CONTACT: {
      en: 'our data protection officer',
      nl: 'onze functionaris voor gegevensbescherming',
      de: 'unser Datenschutzbeauftragter',
    },
    RETENTION: {
      en: 'the data is deleted after a year',
      nl: 'de gegevens worden na een jaar verwijderd',
      de: 'die Daten werden nach einem Jahr gelöscht',
    },
    CONTROLLER_IDENTITY: { en: 'Who we are', nl: 'Wie wij zijn', de: 'Wer wir sind' },
    DATA_SOURCES: {
      en: 'we receive a confirmation from your bank',
      nl: 'wij ontvangen van je bank een bevestiging',
      de: 'erhalten wir von Ihrer Bank eine Bestätigung',
    },
    SECURITY_MEASURES: { en: 'Security', nl: 'Beveiliging', de: 'Sicherheit' },
  };
  it.each(Object.entries(phrases))('%s has words for the same thing in every language', (id, byLanguage) => {
    const rule = RULES.find((r) => r.id === id)!;
    for (const language of RULE_LANGUAGES) expect(rule.words[language].test(byLanguage[language]), language).toBe(true);
  });

  it('every rule has words in every language', () => {
    for (const rule of RULES) expect(Object.keys(rule.words).sort(), rule.id).toEqual([...RULE_LANGUAGES].sort());
  });

  it('a label over a paragraph announces nothing missing; a sentence announcing a list does', () => {
    const rule = RULES.find((r) => r.id === 'SECURITY_MEASURES')!;
    const withFacts: CompletenessInput = {
      facts: privacySchema.parse({ security: { measures: [{ de: 'Verschlüsselung' }] } }),
      entities: [],
      contacts: [],
      processors: [],
      retentionRules: [],
      authorities: [],
    };
    const label = 'Hinweis für Android-Geräte:\n\nDie Verbindung ist verschlüsselt.';
    const sentence = 'Wir treffen dazu die folgenden technischen Maßnahmen:\n\nSie schützen Ihre Daten.';
    const section = (body: string): SectionText => ({ anchor: 'a', heading: 'Sicherheit', body, text: body });
    expect(evaluateRule(rule, withFacts, [section(label)]).status).toBe('PRESENT');
    expect(evaluateRule(rule, withFacts, [section(sentence)]).note).toContain('announces a list');
    // Sub-sections that follow give the list.
    const parent = { ...section('Wir treffen die folgenden Maßnahmen:'), level: 2 };
    const child = { ...section('Verschlüsselung.'), anchor: 'b', heading: 'Verschlüsselung', level: 3 };
    expect(evaluateRule(rule, withFacts, [parent, child]).status).toBe('PRESENT');
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
      security: { measures: [{ en: 'encryption' }] },
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
    SECURITY_MEASURES: 'Beveiliging',
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
