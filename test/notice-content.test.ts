// The notice content lifecycle: import and author drafts, publish (immutable,
// never overlapping), render safely, search in each language, compare versions.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importDocument } from '../src/notice/import.js';
import { markdownToText } from '../src/notice/render.js';
import { bearer } from './support/keys.js';
import { startTestServer, type TestServer } from './support/server.js';

let api: TestServer;
let writer: { authorization: string };
const fixture = (name: string) => readFile(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

beforeAll(async () => {
  api = await startTestServer({ now: () => new Date('2026-11-23T12:00:00Z') });
  writer = await bearer(api.db, ['write:mailcamp']);
});
afterAll(() => api.close());

const importMutation = `mutation($input: NoticeImportInput!) {
  noticeImport(input: $input) {
    noticeVersion { id status revision }
    report { format title sectionCount headings warnings { code anchor message } }
    userErrors { field code message }
  }
}`;
const publish = `mutation($input: NoticeVersionPublishInput!) {
  noticeVersionPublish(input: $input) { noticeVersion { status publishedAt } userErrors { field code message } }
}`;

describe('importing plain text', () => {
  it('finds the headings, skips the table of contents, keeps lists and loses no paragraph', async () => {
    const source = await fixture('notice-nl.txt');
    const report = importDocument({ content: source, locale: 'nl', filename: 'notice-nl.txt' });
    expect(report.format).toBe('TEXT');
    expect(report.title).toBe('Privacyverklaring Testbedrijf');
    // The title is not repeated as a section; the version line is the document's date.
    expect(report.date).toEqual({ date: '2025-03-01', precision: 'DAY', text: 'Versie 2.0 – Datum: 1-3-2025' });
    expect(report.sections.map((s) => s.heading)).toEqual([
      'Wie wij zijn',
      'Welke gegevens wij gebruiken',
      'Bewaartermijnen',
      'Jouw rechten',
      'Recht op inzage.',
      'Contact',
    ]);
    const lists = report.sections.find((s) => s.heading === 'Welke gegevens wij gebruiken')!.body;
    expect(lists).toMatch(/^- Naam en adres$/m);
    // Every line of the source is somewhere in the result, except the table of contents.
    const all = report.sections.map((s) => `${s.heading}\n${markdownToText(s.body)}`).join('\n');
    for (const line of source.split('\n').map((l) => l.replace(/^\s*•\s*/, '').trim())) {
      if (line && !['INHOUDSOPGAVE', 'Privacyverklaring Testbedrijf', report.date!.text].includes(line)) {
        expect(all).toContain(line);
      }
    }
    expect(new Set(report.sections.map((s) => s.anchor)).size).toBe(report.sections.length);
  });
});

describe('the seed documents', () => {
  const dir = new URL('../../shared/seeds/', import.meta.url);
  const expected: Record<string, { locale: string; headings: string[]; otherLanguage?: boolean }> = {
    '000': { locale: 'nl', headings: ['Hoe zit het met cookies?', 'Beveiliging'] },
    '001': { locale: 'de', headings: ['Was ist mit Cookies?', 'Sicherheit'], otherLanguage: true },
    '002': { locale: 'en', headings: ['Security', 'Your controls', 'Contacting us'] },
    '003': { locale: 'nl', headings: ['Bewaartermijnen', 'Subverwerkers', 'Recht op inzage', 'Toezichthouder'] },
    '004': { locale: 'nl', headings: ['Server logs', 'Derde partijen', 'Bewaartermijn'] },
  };
  it.skipIf(!existsSync(dir))('import into sections with their headings, and the German one is flagged', async () => {
    for (const file of (await readdir(dir)).filter((f) => f.endsWith('.txt'))) {
      const want = expected[file.slice(0, 3)]!;
      const source = await readFile(new URL(file, dir), 'utf8');
      const report = importDocument({ content: source, locale: want.locale, filename: file });
      const headings = report.sections.map((s) => s.heading);
      expect(headings, file).toEqual(expect.arrayContaining(want.headings));
      expect(report.sections.length, file).toBeGreaterThanOrEqual(10);
      const flagged = report.warnings.some((w) => w.code === 'OTHER_LANGUAGE');
      expect(flagged, file).toBe(Boolean(want.otherLanguage));
      // No paragraph lost: every sentence-long line of the source is in the sections.
      const all = report.sections
        .map((s) => `${s.heading} ${s.body}`)
        .join(' ')
        .replace(/\s+/g, ' ');
      const words = (s: string) => s.replace(/[^\p{L}\p{N}]+/gu, ' ').trim();
      for (const line of source.split('\n').filter((l) => l.trim().length > 80)) {
        expect(words(all), `${file}: ${line.slice(0, 60)}`).toContain(words(line).slice(0, 60));
      }
    }
  });
});

describe('authoring and publishing', () => {
  let versionId: string;

  it('imports a document as a draft that only writers see', async () => {
    const { data } = await api.gql(
      importMutation,
      {
        input: {
          organisation: 'mailcamp',
          locale: 'nl',
          version: '2.0',
          effectiveDate: '2025-03-01',
          content: await fixture('notice-nl.txt'),
        },
      },
      writer,
    );
    const result = data!.noticeImport;
    expect(result.userErrors).toEqual([]);
    expect(result.noticeVersion.status).toBe('DRAFT');
    expect(result.report).toMatchObject({ format: 'TEXT', sectionCount: 6 });
    versionId = result.noticeVersion.id;

    const query = `query($id: ID!) {
      node(id: $id) { ... on NoticeVersion { status } }
      organisation(slug: "mailcamp") { notices { drafts { version } versions { version } } notice { version } }
    }`;
    const asReader = await api.gql(query, { id: versionId });
    expect(asReader.data!.node).toBeNull();
    expect(asReader.data!.organisation.notices[0].drafts).toEqual([]);
    expect(asReader.data!.organisation.notices[0].versions.map((v: any) => v.version)).not.toContain('2.0');
    expect(asReader.data!.organisation.notice.version).toBe('1.2');
    const asWriter = await api.gql(query, { id: versionId }, writer);
    expect(asWriter.data!.node).toEqual({ status: 'DRAFT' });
    expect(asWriter.data!.organisation.notices[0].drafts).toEqual([{ version: '2.0' }]);

    // The draft's translation and sections cannot be opened by id either.
    const content = await api.gql(
      `query($id: ID!) { node(id: $id) { ... on NoticeVersion { translations { id sections { id } } } } }`,
      { id: versionId },
      writer,
    );
    const translation = content.data!.node.translations[0];
    for (const id of [translation.id, translation.sections[0].id]) {
      const opened = await api.gql(`query($id: ID!) { node(id: $id) { id } }`, { id });
      expect(opened.data!.node).toBeNull();
    }
  });

  it('publishes the draft, which then is the notice in force and can no longer change', async () => {
    const { data } = await api.gql(publish, { input: { id: versionId, expectedRevision: 2 } }, writer);
    expect(data!.noticeVersionPublish.userErrors).toEqual([]);
    expect(data!.noticeVersionPublish.noticeVersion.status).toBe('PUBLISHED');

    const read = await api.gql(`{ organisation(slug: "mailcamp") { notice { version effectiveDate title } } }`);
    expect(read.data!.organisation.notice).toEqual({
      version: '2.0',
      effectiveDate: '2025-03-01',
      title: 'Privacyverklaring Testbedrijf',
    });

    const edit = await api.gql(
      `mutation($v: ID!) { noticeTranslationUpsert(input: { version: $v, locale: "nl", title: "X", markdown: "## A" }) {
        userErrors { field code message } } }`,
      { v: versionId },
      writer,
    );
    expect(edit.data!.noticeTranslationUpsert.userErrors).toEqual([
      {
        field: ['input', 'version'],
        code: 'CONFLICT',
        message: expect.stringMatching(/published versions never change/),
      },
    ]);
  });

  it('refuses to publish a version that would overlap an existing one', async () => {
    const { data } = await api.gql(
      importMutation,
      {
        input: {
          organisation: 'mailcamp',
          locale: 'nl',
          version: '1.9',
          effectiveDate: '2024-01-01',
          content: '## Oud\n\nEen eerdere tekst.',
        },
      },
      writer,
    );
    const id = data!.noticeImport.noticeVersion.id;
    const result = await api.gql(publish, { input: { id, expectedRevision: 2 } }, writer);
    expect(result.data!.noticeVersionPublish.userErrors).toEqual([
      { field: ['input', 'id'], code: 'CONFLICT', message: expect.stringMatching(/takes effect on 2025-03-01/) },
    ]);
  });

  it('gives each version its effective range and finds the version at a date', async () => {
    const { data } = await api.gql(`{
      organisation(slug: "mailcamp") { notices {
        versions { version effectiveDate effectiveUntil }
        at2024: versionAt(date: "2024-06-01") { version }
        at2026: versionAt(date: "2026-01-01") { version }
      } }
    }`);
    const notice = data!.organisation.notices[0];
    expect(notice.versions).toEqual([
      { version: '2.0', effectiveDate: '2025-03-01', effectiveUntil: null },
      { version: '1.2', effectiveDate: '2023-06-01', effectiveUntil: '2025-03-01' },
    ]);
    expect(notice.at2024).toEqual({ version: '1.2' });
    expect(notice.at2026).toEqual({ version: '2.0' });
  });

  it('lists the sections changed, added and removed between two versions, with the changed words', async () => {
    const { data } = await api.gql(`{
      organisation(slug: "mailcamp") { notices { versions { id version } } }
    }`);
    const [v2, v1] = data!.organisation.notices[0].versions;
    const diff = await api.gql(
      `query($id: ID!, $against: ID!) { node(id: $id) { ... on NoticeVersion { diff(against: $against, locale: "nl") {
        locale from { version } to { version } added { heading } removed { heading } unchangedCount
        changed { anchor changes { kind text } } } } } }`,
      { id: v2.id, against: v1.id },
    );
    const d = diff.data!.node.diff;
    expect(d.from.version).toBe('1.2');
    expect(d.to.version).toBe('2.0');
    expect(d.added.map((s: any) => s.heading)).toContain('Wie wij zijn');
    expect(d.removed.map((s: any) => s.heading)).toContain('Subverwerkers');
    const retention = d.changed.find((c: any) => c.anchor === 'bewaartermijnen');
    expect(retention.changes.some((c: any) => c.kind === 'ADDED' && c.text.includes('Facturen'))).toBe(true);
    expect(retention.changes.some((c: any) => c.kind === 'REMOVED')).toBe(true);
  });
});

describe('rendering', () => {
  it('strips script, event handlers and javascript: links from an HTML import', async () => {
    const { data } = await api.gql(
      importMutation,
      {
        input: {
          organisation: 'mailcamp',
          notice: 'unsafe',
          locale: 'en',
          version: '1',
          effectiveDate: '2025-01-01',
          content: await fixture('notice-en-unsafe.html'),
        },
      },
      writer,
    );
    expect(data!.noticeImport.report).toMatchObject({ format: 'HTML', title: 'Privacy notice' });
    const id = data!.noticeImport.noticeVersion.id;
    const rendered = await api.gql(
      `query($id: ID!) { node(id: $id) { ... on NoticeVersion { translation(locale: "en") {
        html markdown text tableOfContents { anchor heading level } sections { heading html body } } } } }`,
      { id },
      writer,
    );
    expect(rendered.errors).toBeUndefined();
    const doc = rendered.data!.node.translation;
    const everything = JSON.stringify(doc);
    expect(everything).not.toMatch(/<script|onerror|onclick|javascript:/i);
    expect(doc.html).toContain('<a href="https://example.org/settings">the settings</a>');
    expect(doc.html).toContain('<h2 id="cookies">Cookies</h2>');
    expect(doc.tableOfContents).toEqual([
      { anchor: 'introduction', heading: 'Introduction', level: 2 },
      { anchor: 'cookies', heading: 'Cookies', level: 2 },
      { anchor: 'contact', heading: 'Contact', level: 2 },
    ]);
    expect(doc.text).toContain('You can refuse them in the settings.');
    expect(doc.markdown).toMatch(/^# Privacy notice/);
  });

  it('escapes Markdown’s raw HTML in a translation written through the API', async () => {
    const { data: created } = await api.gql(
      `mutation { noticeCreate(input: { organisation: "mailcamp", slug: "cookies", kind: COOKIE }) { notice { id } userErrors { code } } }`,
      undefined,
      writer,
    );
    const notice = created!.noticeCreate.notice.id;
    const { data: v } = await api.gql(
      `mutation($n: ID!) { noticeVersionCreate(input: { notice: $n, version: "1", effectiveDate: "2025-01-01" }) { noticeVersion { id } userErrors { code } } }`,
      { n: notice },
      writer,
    );
    const versionId = v!.noticeVersionCreate.noticeVersion.id;
    const { data } = await api.gql(
      `mutation($v: ID!, $md: String!) { noticeTranslationUpsert(input: { version: $v, locale: "en", title: "Cookies", markdown: $md }) {
        translation { sections { heading html } } userErrors { code } } }`,
      { v: versionId, md: '## Tracking\n\nHello <img src=x onerror=alert(1)> [click](javascript:alert(1)) **world**' },
      writer,
    );
    expect(v!.noticeVersionCreate.userErrors).toEqual([]);
    expect(data!.noticeTranslationUpsert.userErrors).toEqual([]);
    const [section] = data!.noticeTranslationUpsert.translation.sections;
    expect(section.heading).toBe('Tracking');
    expect(section.html).not.toMatch(/onerror|javascript:|<img/);
    expect(section.html).toContain('<strong>world</strong>');
  });
});

describe('translation status', () => {
  it('flags the sections of Mimecast’s German translation that are in English', async () => {
    const { data } = await api.gql(`{
      organisation(slug: "mimecast") { notices { versionAt(date: "2018-06-01") { translationStatus {
        locale sectionCount missingSections { heading } otherLanguageSections { heading detectedLanguage } } } } }
    }`);
    const status = data!.organisation.notices[0].versionAt.translationStatus;
    const de = status.find((s: any) => s.locale === 'de');
    const nl = status.find((s: any) => s.locale === 'nl');
    expect(de.otherLanguageSections.length).toBeGreaterThan(0);
    expect(de.otherLanguageSections.every((s: any) => s.detectedLanguage === 'en')).toBe(true);
    // The three places left in English: a whole section, and an English sentence or paragraph in two others.
    expect(de.otherLanguageSections.map((s: any) => s.heading)).toEqual([
      'Welche Arten von technischen Daten erfassen wir?',
      'Was ist mit Cookies?',
      'Wie kann ich Kontakt zu Ihnen aufnehmen?',
    ]);
    expect(nl.otherLanguageSections).toEqual([]);
  });
});

describe('searchNotices', () => {
  const search = `query($q: String!, $locale: Locale, $org: String) {
    searchNotices(query: $q, locale: $locale, organisation: $org, first: 10) {
      totalCount edges { node { organisationSlug anchor heading locale snippet snippetHtml } }
    }
  }`;

  it('finds MailCamp’s and MAMORU’s retention sections for "bewaartermijn", with highlighted snippets', async () => {
    const { data } = await api.gql(search, { q: 'bewaartermijn', locale: 'nl' });
    const hits = data!.searchNotices.edges.map((e: any) => e.node);
    const orgs = new Set(hits.map((h: any) => h.organisationSlug));
    expect(orgs).toEqual(new Set(['mailcamp', 'mamoru']));
    expect(hits.find((h: any) => h.organisationSlug === 'mamoru').anchor).toBe('bewaartermijn');
    expect(hits.some((h: any) => /<mark>bewaartermijn/i.test(h.snippetHtml))).toBe(true);
    expect(hits.every((h: any) => !h.snippet.includes('<mark>'))).toBe(true);
  });

  it('stems Dutch: "bewaren" finds "bewaartermijnen"', async () => {
    const { data } = await api.gql(search, { q: 'bewaren', locale: 'nl', org: 'mailcamp' });
    const anchors = data!.searchNotices.edges.map((e: any) => e.node.anchor);
    expect(anchors).toContain('bewaartermijnen');
  });

  it('searches German in German: "Aufsichtsbehörden" finds "Aufsichtsbehörde"', async () => {
    const { data } = await api.gql(search, { q: 'Aufsichtsbehörden', locale: 'de' });
    expect(data!.searchNotices.totalCount).toBeGreaterThan(0);
    expect(data!.searchNotices.edges.every((e: any) => e.node.locale === 'de')).toBe(true);
  });

  it('refuses an empty or overlong query', async () => {
    const body = await api.gql(search, { q: ' ' });
    expect(body.errors?.[0]?.message).toMatch(/"query" must be 1 to 200 characters/);
  });
});

describe('importing without an effective date', () => {
  it('takes the date the document states, reports it, and refuses a document that states none', async () => {
    const input = {
      organisation: 'mailcamp',
      notice: 'bike-app',
      locale: 'nl',
      version: '1.0',
      content: await readFile(new URL('./fixtures/import/fietsdeel-nl.txt', import.meta.url), 'utf8'),
    };
    const query = `mutation($input: NoticeImportInput!) { noticeImport(input: $input) {
      noticeVersion { version effectiveDate } report { title date { date precision text } levels warnings { code } }
      userErrors { field code } } }`;
    const { data, errors } = await api.gql(query, { input }, writer);
    expect(errors).toBeUndefined();
    expect(data!.noticeImport.userErrors).toEqual([]);
    expect(data!.noticeImport.noticeVersion).toEqual({ version: '1.0', effectiveDate: '2026-01-12' });
    expect(data!.noticeImport.report).toEqual({
      title: 'Privacyverklaring Fietsdeel',
      date: { date: '2026-01-12', precision: 'DAY', text: 'Laatst gewijzigd: 12 januari 2026' },
      levels: [2, 2, 3, 3, 2, 2, 3, 3, 2],
      warnings: [],
    });
    const undated = await api.gql(
      query,
      { input: { ...input, version: '1.1', content: 'Privacy\n\nWie wij zijn\n\nWij verhuren fietsen in Zwolle.' } },
      writer,
    );
    expect(undated.data!.noticeImport.userErrors).toEqual([{ field: ['input', 'effectiveDate'], code: 'REQUIRED' }]);
  });

  it('dates the version by the month when the document gives only its month ("Stand: November 2025")', async () => {
    const imported = await api.gql(
      `mutation($input: NoticeImportInput!) { noticeImport(input: $input) {
        noticeVersion { version effectiveDate effectiveDatePrecision } userErrors { field code } } }`,
      {
        input: {
          organisation: 'mailcamp',
          notice: 'wegweiser',
          locale: 'de',
          version: '2025-11',
          content: await readFile(new URL('./fixtures/import/wegweiser-de.txt', import.meta.url), 'utf8'),
        },
      },
      writer,
    );
    expect(imported.data!.noticeImport).toEqual({
      noticeVersion: { version: '2025-11', effectiveDate: '2025-11-01', effectiveDatePrecision: 'MONTH' },
      userErrors: [],
    });
  });
});
