// Each locale on its own timeline: a translation may lag its version, and a
// visitor is served the latest translation in force in their language, told
// when a newer version exists in other languages only.
import { stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { servedTranslation } from '../src/domain/notice-timeline.js';
import { applyManifest } from '../src/manifest/load.js';
import { validateManifest } from '../src/manifest/parse.js';
import { bearer } from './support/keys.js';
import { startTestServer, type TestServer } from './support/server.js';

const day = (d: string) => new Date(`${d}T00:00:00Z`);

describe('servedTranslation', () => {
  const versions = [
    {
      id: 'v1',
      version: '2025-11',
      effectiveDate: day('2025-11-01'),
      status: 'PUBLISHED',
      translations: [{ id: 'v1-de', locale: 'de', effectiveDate: null }],
    },
    {
      id: 'v2',
      version: '2026-03',
      effectiveDate: day('2026-03-01'),
      status: 'PUBLISHED',
      translations: [
        { id: 'v2-en', locale: 'en', effectiveDate: null },
        { id: 'v2-nl', locale: 'nl', effectiveDate: day('2026-05-01') },
      ],
    },
  ];

  it('serves a German visitor the German translation in force, and says a newer version exists in English', () => {
    const served = servedTranslation(versions, ['de'], 'de', day('2026-04-01'))!;
    expect(served.translation.id).toBe('v1-de');
    expect(served).toMatchObject({ isFallback: false, availableLocales: ['de', 'en'] });
    expect(served.newerVersion).toMatchObject({ version: { id: 'v2' }, locales: ['en'] });
  });

  it('serves the newest version to those who ask for its language, with nothing newer', () => {
    const served = servedTranslation(versions, ['en'], 'de', day('2026-04-01'))!;
    expect(served.translation.id).toBe('v2-en');
    expect(served.newerVersion).toBeNull();
  });

  it('a translation added later is in force from its own date, not its version’s', () => {
    expect(servedTranslation(versions, ['nl'], 'de', day('2026-04-01'))!.resolvedLocale).toBe('de');
    const later = servedTranslation(versions, ['nl'], 'de', day('2026-05-01'))!;
    expect(later.translation.id).toBe('v2-nl');
    expect(later.effectiveDate).toEqual(day('2026-05-01'));
  });

  it('an archived version is in force only until the next version takes effect', () => {
    const archived = [{ ...versions[0]!, status: 'ARCHIVED' }, versions[1]!];
    expect(servedTranslation(archived, ['de'], 'de', day('2026-01-01'))!.translation.id).toBe('v1-de');
    const after = servedTranslation(archived, ['de'], 'de', day('2026-04-01'))!;
    expect(after).toMatchObject({ resolvedLocale: 'en', isFallback: true, availableLocales: ['en'] });
  });
});

describe('over HTTP', () => {
  let api: TestServer;
  let writer: string;
  const today = day('2026-06-01');

  const manifest = {
    organisation: { slug: 'ehealth', name: 'E-Health App', defaultLocale: 'de' },
    notices: [
      {
        slug: 'privacy',
        versions: [
          {
            version: '2025-11',
            effectiveDate: '2025-11-01',
            translations: [
              {
                locale: 'de',
                title: 'Datenschutzhinweise',
                sections: [{ heading: 'Aufbewahrung', body: 'Rezepte werden nach der Einlösung gelöscht.' }],
              },
            ],
          },
          {
            version: '2026-03',
            effectiveDate: '2026-03-01',
            translations: [
              {
                locale: 'en',
                title: 'Privacy notice',
                sections: [{ heading: 'Retention', body: 'Prescriptions are deleted once redeemed.' }],
              },
            ],
          },
        ],
      },
    ],
  };

  beforeAll(async () => {
    api = await startTestServer({ now: () => today });
    const parsed = validateManifest(manifest);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    await applyManifest(api.db.prisma, parsed.manifest);
    writer = (await bearer(api.db, ['write:ehealth'])).authorization;
  });
  afterAll(() => api.close());

  const notice = (locale: string) =>
    api.gql(
      `query($locale: Locale) { organisation(slug: "ehealth") { notice(locale: $locale) {
        resolvedLocale isFallback isOutdated version availableLocales
        newerVersion { version effectiveDate locales } sections { heading } } } }`,
      { locale },
    );

  it('serves German to a German visitor although the English translation is newer, and says so', async () => {
    const { data } = await notice('de');
    expect(data!.organisation.notice).toEqual({
      resolvedLocale: 'de',
      isFallback: false,
      isOutdated: true,
      version: '2025-11',
      availableLocales: ['de', 'en'],
      newerVersion: { version: '2026-03', effectiveDate: '2026-03-01', locales: ['en'] },
      sections: [{ heading: 'Aufbewahrung' }],
    });
  });

  it('serves a Dutch visitor the default locale’s translation, as a visible fallback', async () => {
    const { data } = await notice('nl');
    expect(data!.organisation.notice).toMatchObject({ resolvedLocale: 'de', isFallback: true, isOutdated: true });
  });

  it('serves an English visitor the newest version', async () => {
    const { data } = await notice('en');
    expect(data!.organisation.notice).toMatchObject({ resolvedLocale: 'en', isOutdated: false, newerVersion: null });
  });

  it('finds the German translation in force in a German search, without includeHistorical', async () => {
    const { data } = await api.gql(
      `{ searchNotices(query: "Rezepte", locale: "de", organisation: "ehealth") { totalCount nodes { version locale } } }`,
    );
    expect(data!.searchNotices).toEqual({ totalCount: 1, nodes: [{ version: '2025-11', locale: 'de' }] });
  });

  it('a published version may gain a locale, taking effect on its own date; it never changes one it has', async () => {
    const { data } = await api.gql(`{ organisation(slug: "ehealth") { notices { versions { id version } } } }`);
    const published = data!.organisation.notices[0].versions.find((v: any) => v.version === '2026-03');
    const upsert = `mutation($input: NoticeTranslationUpsertInput!) {
      noticeTranslationUpsert(input: $input) { translation { locale } userErrors { field code message } } }`;
    const dutch = {
      version: published.id,
      locale: 'nl',
      title: 'Privacyverklaring',
      markdown: '## Bewaren\n\nRecepten.',
    };
    const added = await api.gql(
      upsert,
      { input: { ...dutch, effectiveDate: '2026-07-01' } },
      { authorization: writer },
    );
    expect(added.data!.noticeTranslationUpsert.userErrors).toEqual([]);
    // Not yet in force today (2026-06-01): a Dutch visitor still gets the German fallback.
    expect((await notice('nl')).data!.organisation.notice.resolvedLocale).toBe('de');
    const { data: later } = await api.gql(
      `{ organisation(slug: "ehealth") { notice(locale: "nl", at: "2026-07-01") { resolvedLocale version translationEffectiveDate } } }`,
    );
    expect(later!.organisation.notice).toEqual({
      resolvedLocale: 'nl',
      version: '2026-03',
      translationEffectiveDate: '2026-07-01',
    });
    const changed = await api.gql(upsert, { input: { ...dutch, title: 'Anders' } }, { authorization: writer });
    expect(changed.data!.noticeTranslationUpsert.userErrors).toEqual([
      {
        field: ['input', 'version'],
        code: 'CONFLICT',
        message: expect.stringContaining('published versions never change'),
      },
    ]);
  });

  it('a manifest adding a locale to a published version must say when it takes effect', async () => {
    const withFrench = structuredClone(manifest) as any;
    withFrench.notices[0].versions[1].translations.push({
      locale: 'fr',
      title: 'Confidentialité',
      sections: [{ heading: 'Conservation', body: 'Supprimées après usage.' }],
    });
    const result = await api.gql(
      `mutation($m: String!) { organisationApplyManifest(manifest: $m, dryRun: true) { userErrors { field code } } }`,
      { m: stringify(withFrench) },
      { authorization: writer },
    );
    expect(result.data!.organisationApplyManifest.userErrors).toEqual([
      { field: ['manifest', 'notices', '0', 'versions', '1', 'translations', '1', 'effectiveDate'], code: 'REQUIRED' },
    ]);
  });
});
