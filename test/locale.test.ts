// Locale negotiation: the pure rules, then the behaviour a frontend sees over HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fallbackChain, parseAcceptLanguage, resolveLocale, truncations } from '../src/locale.js';
import { startTestServer, type TestServer } from './support/server.js';

describe('the rules', () => {
  it('falls back from the most to the least specific tag, then to the default', () => {
    expect(truncations('de-AT')).toEqual(['de-AT', 'de']);
    expect(fallbackChain(['de-AT'], 'nl')).toEqual(['de-AT', 'de', 'nl']);
    expect(resolveLocale(['de-AT'], ['nl', 'de'], 'nl')).toEqual({
      requestedLocale: 'de-AT',
      resolvedLocale: 'de',
      isFallback: true,
    });
  });

  it('serves the default when the wanted locale is missing, and says so', () => {
    expect(resolveLocale(['fr'], ['en', 'nl'], 'en')).toEqual({
      requestedLocale: 'fr',
      resolvedLocale: 'en',
      isFallback: true,
    });
  });

  it('serves something when neither the wanted nor the default locale exists', () => {
    expect(resolveLocale(['fr'], ['nl', 'de'], 'en')).toEqual({
      requestedLocale: 'fr',
      resolvedLocale: 'de',
      isFallback: true,
    });
    expect(resolveLocale(['fr'], [], 'en')).toBeNull();
  });

  it('matches a language to a regional variant when nothing closer exists', () => {
    expect(resolveLocale(['en'], ['en-GB', 'nl'], 'nl')?.resolvedLocale).toBe('en-GB');
  });

  it('reads Accept-Language by quality and skips malformed entries', () => {
    expect(parseAcceptLanguage('nl;q=0.5, de-AT, en;q=0.8, @@;q=0.9')).toEqual(['de-AT', 'en', 'nl']);
    expect(parseAcceptLanguage(undefined)).toEqual([]);
    expect(parseAcceptLanguage('*')).toEqual([]);
  });
});

describe('over HTTP', () => {
  let api: TestServer;
  beforeAll(async () => {
    api = await startTestServer({ now: () => new Date('2026-11-23T12:00:00Z') });
  });
  afterAll(() => api.close());

  const noticeQuery = `query($locale: Locale, $at: Date) {
    organisation(slug: "mimecast", locale: $locale) {
      notice(at: $at) { requestedLocale resolvedLocale isFallback version effectiveDate title availableLocales }
    }
  }`;

  it('gives Mimecast’s 2018 German translation for "de"', async () => {
    const { data } = await api.gql(noticeQuery, { locale: 'de' });
    expect(data!.organisation.notice).toMatchObject({
      resolvedLocale: 'de',
      isFallback: false,
      effectiveDate: '2018-05-25',
      title: 'Datenschutzerklärung',
      availableLocales: ['de', 'nl'],
    });
  });

  it('falls back for "fr" and says so', async () => {
    const { data } = await api.gql(noticeQuery, { locale: 'fr' });
    expect(data!.organisation.notice).toMatchObject({
      requestedLocale: 'fr',
      isFallback: true,
      effectiveDate: '2018-05-25',
    });
    expect(['de', 'nl']).toContain(data!.organisation.notice.resolvedLocale);
  });

  it('gives the 2015 English version for "en" on 2016-01-01', async () => {
    const { data } = await api.gql(noticeQuery, { locale: 'en', at: '2016-01-01' });
    expect(data!.organisation.notice).toMatchObject({
      resolvedLocale: 'en',
      isFallback: false,
      version: '2015-10-05',
      effectiveDate: '2015-10-05',
    });
  });

  it('has no notice in force before the first version', async () => {
    const { data } = await api.gql(noticeQuery, { locale: 'en', at: '2010-01-01' });
    expect(data!.organisation.notice).toBeNull();
  });

  it('takes the locale from Accept-Language when no argument is given', async () => {
    const { data } = await api.gql(
      `{ organisation(slug: "mimecast") { notice { resolvedLocale isFallback } } }`,
      undefined,
      { 'accept-language': 'de-AT,de;q=0.9,en;q=0.5' },
    );
    expect(data!.organisation.notice).toEqual({ resolvedLocale: 'de', isFallback: true });
  });

  it('uses the organisation’s default locale when nothing is asked', async () => {
    const { data } = await api.gql(
      `{ organisation(slug: "mailcamp") { defaultLocale notice { requestedLocale resolvedLocale isFallback } } }`,
    );
    expect(data!.organisation).toEqual({
      defaultLocale: 'nl',
      notice: { requestedLocale: 'nl', resolvedLocale: 'nl', isFallback: false },
    });
  });

  it('sets the locale for every localised field below organisation(locale:), per alias, and lets a field override it', async () => {
    const { data } = await api.gql(`{
      en: organisation(slug: "mailcamp", locale: "en") { processors(first: 1) { edges { node { service } } } retentionRules { dataCategory } }
      nl: organisation(slug: "mailcamp", locale: "nl") {
        processors(first: 1) { edges { node { service english: service(locale: "en") serviceTranslations { locale text } } } }
      }
    }`);
    const en = data!.en.processors.edges[0].node.service;
    const node = data!.nl.processors.edges[0].node;
    const byLocale = Object.fromEntries(node.serviceTranslations.map((t: any) => [t.locale, t.text]));
    expect(en).toBe(byLocale.en);
    expect(node.service).toBe(byLocale.nl);
    expect(node.english).toBe(byLocale.en);
    expect(node.service).not.toBe(node.english);
  });

  it('refuses a malformed locale with a clear error', async () => {
    const body = await api.gql(`{ organisation(slug: "mimecast", locale: "de_AT") { name } }`);
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0]?.message).toMatch(/de_AT.*not a BCP 47 language tag/);
  });

  it('lists the locales an organisation publishes in', async () => {
    const { data } = await api.gql(`{ organisation(slug: "mimecast") { locales } }`);
    expect(data!.organisation.locales).toEqual(['de', 'en', 'nl']);
  });
});
