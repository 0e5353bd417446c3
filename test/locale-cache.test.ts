// The right language through every cache: the answer cache keys answers by
// the negotiated locale chain (not the raw header), GET answers vary on
// Accept-Language, and a notice query for one locale reads one translation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server.js';

let api: TestServer;
beforeAll(async () => {
  api = await startTestServer();
});
afterAll(() => api.close());

// One query, no locale argument anywhere: the language comes from Accept-Language alone.
const query = `{ organisation(slug: "mimecast") { notice { requestedLocale resolvedLocale isFallback title } } }`;

async function ask(method: 'GET' | 'POST', acceptLanguage: string) {
  const before = api.db.statements.count;
  const response =
    method === 'GET'
      ? await fetch(`${api.url}?query=${encodeURIComponent(query)}`, {
          headers: { accept: 'application/json', 'accept-language': acceptLanguage },
        })
      : await fetch(api.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json',
            'accept-language': acceptLanguage,
          },
          body: JSON.stringify({ query }),
        });
  const body = await response.json();
  return { response, notice: body.data.organisation.notice, statements: api.db.statements.count - before };
}

describe.each(['POST', 'GET'] as const)('the answer cache by %s', (method) => {
  it('answers de, then nl, then de (from the cache) each in its own language', async () => {
    const de = await ask(method, 'de');
    expect(de.notice).toMatchObject({ requestedLocale: 'de', resolvedLocale: 'de', isFallback: false });
    const nl = await ask(method, 'nl');
    expect(nl.notice).toMatchObject({ requestedLocale: 'nl', resolvedLocale: 'nl', isFallback: false });
    const again = await ask(method, 'de');
    expect(again.notice).toEqual(de.notice);
    // Served from the cache: no SQL at all.
    expect(again.statements).toBe(0);
  });

  it('shares one entry between headers that negotiate alike ("de-AT,de;q=0.9" and "de-AT")', async () => {
    const first = await ask(method, 'de-AT,de;q=0.9');
    expect(first.notice).toMatchObject({ requestedLocale: 'de-AT', resolvedLocale: 'de', isFallback: true });
    const second = await ask(method, 'de-AT');
    expect(second.notice).toEqual(first.notice);
    expect(second.statements).toBe(0);
  });
});

it('lets a page on any origin read a public answer, computed or cached', async () => {
  const url = `${api.url}?query=${encodeURIComponent('{ organisation(slug: "mamoru") { name } }')}`;
  for (let i = 0; i < 2; i++) {
    const response = await fetch(url, { headers: { origin: 'https://shop.example', accept: 'application/json' } });
    expect(response.headers.get('access-control-allow-origin')).toBe('*');
  }
});

it('says Vary: Accept-Language on a publicly cacheable GET answer', async () => {
  const { response } = await ask('GET', 'nl');
  expect(response.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
  expect(response.headers.get('vary')).toMatch(/Accept-Language/);
  expect(response.headers.get('etag')).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
});

it('a notice query for one locale reads the sections of one translation', async () => {
  const statements: { query: string; params: string }[] = [];
  api.db.statements.listener = (e) => statements.push(e);
  try {
    const { data } = await api.gql(
      `{ organisation(slug: "mimecast", locale: "de") { notice { resolvedLocale sections { heading } } } }`,
      undefined,
      { authorization: 'Bearer none' }, // past the answer cache
    );
    expect(data!.organisation.notice.resolvedLocale).toBe('de');
    const german = await api.db.prisma.noticeTranslation.findFirstOrThrow({
      where: { locale: 'de', version: { notice: { organisation: { slug: 'mimecast' } } } },
    });
    const sectionReads = statements.filter((s) => /FROM "public"\."NoticeSection"/.test(s.query));
    expect(sectionReads).toHaveLength(1);
    // One translation's id among its parameters: the German one.
    expect(sectionReads[0]!.params).toContain(german.id);
    const others = await api.db.prisma.noticeTranslation.findMany({
      where: { id: { not: german.id }, version: { notice: { organisation: { slug: 'mimecast' } } } },
    });
    for (const other of others) expect(sectionReads[0]!.params).not.toContain(other.id);
  } finally {
    api.db.statements.listener = undefined;
  }
});
