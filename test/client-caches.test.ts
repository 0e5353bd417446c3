// Real client libraries against the running server, with the pattern the
// README recommends: the locale as a variable, passed to every localised
// field. Switching a visitor's language de → nl → de must show the right
// language each time, answered from the client's cache the second time, with
// no cache warnings; pagination merges with the README's field policy.
import { ApolloClient, gql, HttpLink, InMemoryCache, type FieldPolicy } from '@apollo/client';
import { relayStylePagination } from '@apollo/client/utilities';
import { cacheExchange as graphcache } from '@urql/exchange-graphcache';
import { relayPagination } from '@urql/exchange-graphcache/extras';
import { cacheExchange, Client, fetchExchange } from '@urql/core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestServer, type TestServer } from './support/server.js';

let api: TestServer;
beforeAll(async () => {
  api = await startTestServer();
});
afterAll(() => api.close());

const warnings = () => [
  vi.spyOn(console, 'warn').mockImplementation(() => undefined),
  vi.spyOn(console, 'error').mockImplementation(() => undefined),
];
let spies: ReturnType<typeof warnings> = [];
afterEach(() => spies.forEach((s) => s.mockRestore()));

// The README's recommended query: `$locale` on the organisation and on every localised field below it.
const NOTICE = `query OrganisationNotice($slug: String!, $locale: Locale!) {
  organisation(slug: $slug, locale: $locale) {
    id
    name
    notice(locale: $locale) { id requestedLocale resolvedLocale isFallback isOutdated title sections { id anchor heading } }
    processors(first: 10) { edges { cursor node { id name service(locale: $locale) } } pageInfo { hasNextPage endCursor } }
    privacy { id purposes { key description(locale: $locale) } }
  }
}`;

const PAGE = `query Processors($after: String) {
  processors(first: 2, after: $after) { totalCount edges { cursor node { id name } } nodes { id name } pageInfo { hasNextPage endCursor } }
}`;

/** The README's field policy for connections: Apollo's relay pagination, with `nodes` read from the merged edges. */
function connection(keyArgs: FieldPolicy['keyArgs'] = false): FieldPolicy {
  const policy = relayStylePagination(keyArgs);
  return {
    ...policy,
    read(existing, options) {
      const merged = (policy.read as NonNullable<FieldPolicy['read']>)(existing, options) as
        { edges: { node: unknown }[] } | undefined;
      return merged && { ...merged, nodes: merged.edges.map((e) => e.node) };
    },
  } as FieldPolicy;
}

describe('Apollo Client, InMemoryCache', () => {
  const client = () =>
    new ApolloClient({
      link: new HttpLink({ uri: api.url }),
      cache: new InMemoryCache({
        typePolicies: {
          Query: { fields: { processors: connection(['name', 'country', 'status']) } },
          Organisation: { fields: { processors: connection(['status']) } },
        },
      }),
    });

  it('shows de, nl and de again (from the cache) each in its own language, without warnings', async () => {
    spies = warnings();
    const apollo = client();
    const ask = async (locale: string) =>
      (await apollo.query({ query: gql(NOTICE), variables: { slug: 'mimecast', locale }, fetchPolicy: 'cache-first' }))
        .data as any;
    const de = await ask('de');
    const nl = await ask('nl');
    const before = api.db.statements.count;
    const again = await ask('de');
    // The third answer came from Apollo's cache: nothing reached the server's database.
    expect(api.db.statements.count).toBe(before);
    expect(de.organisation.notice.requestedLocale).toBe('de');
    expect(nl.organisation.notice).toMatchObject({ requestedLocale: 'nl', resolvedLocale: 'nl', isFallback: false });
    expect(again).toEqual(de);
    expect(again.organisation.notice.title).not.toBe(nl.organisation.notice.title);
    expect(nl.organisation.privacy.purposes[0].description).not.toBe(
      again.organisation.privacy.purposes[0].description,
    );
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });

  it('merges pages with the README’s field policy, in edges and in nodes', async () => {
    spies = warnings();
    const apollo = client();
    const first = await apollo.query({ query: gql(PAGE), variables: {} });
    const page1 = (first.data as any).processors;
    expect(page1.nodes).toHaveLength(2);
    const observable = apollo.watchQuery({ query: gql(PAGE), variables: {} });
    await observable.fetchMore({ variables: { after: page1.pageInfo.endCursor } });
    const merged = (observable.getCurrentResult().data as any).processors;
    expect(merged.edges).toHaveLength(4);
    expect(merged.nodes.map((n: any) => n.id)).toEqual(merged.edges.map((e: any) => e.node.id));
    expect(new Set(merged.nodes.map((n: any) => n.id)).size).toBe(4);
    for (const spy of spies) expect(spy).not.toHaveBeenCalled();
  });
});

describe('urql', () => {
  const ask = async (client: Client, locale: string) => {
    const result = await client
      .query(NOTICE, { slug: 'mimecast', locale }, { requestPolicy: 'cache-first' })
      .toPromise();
    if (result.error) throw result.error;
    return result.data as any;
  };

  it.each([
    ['the document cache', () => cacheExchange],
    [
      'graphcache (normalised)',
      () =>
        graphcache({
          // Objects without an id of their own are parts of their parent.
          keys: {
            ProcessorConnection: () => null,
            ProcessorEdge: () => null,
            PageInfo: () => null,
            Purpose: () => null,
          },
          resolvers: { Query: { processors: relayPagination() } },
        }),
    ],
  ])(
    'with %s: de, nl and de again (from the cache) each in its own language, without warnings',
    async (_name, exchange) => {
      spies = warnings();
      const client = new Client({ url: api.url, exchanges: [exchange(), fetchExchange], preferGetMethod: false });
      const de = await ask(client, 'de');
      const nl = await ask(client, 'nl');
      const before = api.db.statements.count;
      const again = await ask(client, 'de');
      expect(api.db.statements.count).toBe(before);
      expect(nl.organisation.notice.requestedLocale).toBe('nl');
      expect(again.organisation.notice).toEqual(de.organisation.notice);
      expect(again.organisation.privacy.purposes[0].description).toBe(de.organisation.privacy.purposes[0].description);
      expect(again.organisation.privacy.purposes[0].description).not.toBe(
        nl.organisation.privacy.purposes[0].description,
      );
      for (const spy of spies) expect(spy).not.toHaveBeenCalled();
    },
  );
});
