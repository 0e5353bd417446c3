// The read API over HTTP against the seeded database: the facts of the seed
// notices, lookups, filters and pagination.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './support/server.js';

let api: TestServer;
beforeAll(async () => {
  api = await startTestServer();
});
afterAll(() => api.close());

describe('an organisation by slug', () => {
  it('gives MailCamp’s controller, processors, retention and notice (the frontend and integrator query)', async () => {
    const { data, errors } = await api.gql(`{
      organisation(slug: "mailcamp", locale: "nl") {
        name
        controllerEntities { legalName registrationNumber registry address { street postalCode locality country } }
        processors { edges { node { name dataLocations } } }
        retentionRules { period basis trigger }
        notice { resolvedLocale isFallback version effectiveDate sections { anchor heading } }
      }
    }`);
    expect(errors).toBeUndefined();
    const org = data!.organisation;
    expect(org.controllerEntities).toEqual([
      {
        legalName: 'MailCamp B.V.',
        registrationNumber: '34283678',
        registry: 'Kamer van Koophandel',
        address: { street: 'Amsterdamsevaart 26', postalCode: '2032 EB', locality: 'Haarlem', country: 'NL' },
      },
    ]);
    const processors = org.processors.edges.map((e: any) => e.node);
    expect(processors).toContainEqual({ name: 'Zendesk', dataLocations: ['IE'] });
    expect(processors.find((p: any) => p.name === 'Duocast').dataLocations).toEqual(['NL']);
    expect(org.retentionRules).toContainEqual({ period: 'P7Y', basis: 'STATUTORY', trigger: expect.any(String) });
    expect(org.retentionRules.map((r: any) => r.period)).toEqual(expect.arrayContaining(['P1M', 'P2M', 'P4M15D']));
    expect(org.notice).toMatchObject({
      resolvedLocale: 'nl',
      isFallback: false,
      version: '1.2',
      effectiveDate: '2023-06-01',
    });
    const headings = org.notice.sections.map((s: any) => s.heading);
    expect(headings).toEqual(expect.arrayContaining(['Bewaartermijnen', 'Subverwerkers', 'Cookies', 'Toezichthouder']));
    // The table of contents at the top of the source is not a list of sections.
    expect(headings.filter((h: string) => h === 'Bewaartermijnen')).toHaveLength(1);
    const anchors = org.notice.sections.map((s: any) => s.anchor);
    expect(new Set(anchors).size).toBe(anchors.length);
    expect(anchors).toContain('bewaartermijnen');
  });

  it('gives Mimecast’s entities in London and Munich, the DPO and the supervisory authorities', async () => {
    const { data } = await api.gql(`{
      organisation(slug: "mimecast") {
        controllerEntities { legalName role registry registrationNumber country }
        contacts(kind: DPO) { kind email phone department address { locality region country } }
        disputes: contacts(kind: DISPUTE_RESOLUTION, includeInactive: true) { url phone activeUntil }
        supervisoryAuthorities { name country }
      }
    }`);
    const org = data!.organisation;
    expect(org.controllerEntities).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          legalName: 'Mimecast Services Limited',
          registrationNumber: '4901524',
          country: 'GB',
        }),
        expect.objectContaining({
          legalName: 'Mimecast Germany GmbH',
          registrationNumber: 'HRB 234744',
          country: 'DE',
        }),
      ]),
    );
    expect(org.contacts).toEqual([
      expect.objectContaining({
        kind: 'DPO',
        email: 'dpo@mimecast.com',
        phone: '+16173937050',
        address: { locality: 'Lexington', region: 'MA', country: 'US' },
      }),
    ]);
    // The 2015 escalation body is history: listed only when asked for.
    expect(org.disputes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ url: 'https://feedback-form.truste.com/watchdog/request' }),
        expect.objectContaining({ phone: '+18007787879', activeUntil: '2018-05-24' }),
      ]),
    );
    expect(org.supervisoryAuthorities.map((a: any) => a.country).sort()).toEqual(['DE', 'GB', 'NL']);
  });

  it('holds MAMORU’s registration and VAT numbers', async () => {
    const { data } = await api.gql(`{
      organisation(slug: "mamoru") { controllerEntities { registrationNumber vatNumber address { locality } } processors { totalCount } }
    }`);
    expect(data!.organisation.controllerEntities).toEqual([
      { registrationNumber: '73508853', vatNumber: 'NL205834462B01', address: { locality: 'Bedum' } },
    ]);
    expect(data!.organisation.processors.totalCount).toBe(0);
  });

  it('answers null for an unknown slug, without an error', async () => {
    const body = await api.gql(`{ organisation(slug: "no-such-organisation") { name } }`);
    expect(body).toEqual({ data: { organisation: null } });
  });

  it('refuses a missing slug argument with a clear error', async () => {
    const body = await api.gql(`{ organisation { name } }`);
    expect(body.errors?.[0]?.message).toMatch(/argument "slug" of type "String!" is required/);
  });
});

describe('lists across organisations', () => {
  it('pages through organisations with cursors and a total count', async () => {
    const first = await api.gql(
      `{ organisations(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { slug } } } }`,
    );
    const page1 = first.data!.organisations;
    expect(page1.totalCount).toBe(3);
    expect(page1.edges.map((e: any) => e.node.slug)).toEqual(['mailcamp', 'mamoru']);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const second = await api.gql(
      `query($after: String) { organisations(first: 2, after: $after) { pageInfo { hasNextPage } edges { node { slug } } } }`,
      {
        after: page1.pageInfo.endCursor,
      },
    );
    expect(second.data!.organisations.edges.map((e: any) => e.node.slug)).toEqual(['mimecast']);
    expect(second.data!.organisations.pageInfo.hasNextPage).toBe(false);
  });

  it('gives a page’s objects directly as nodes, without their cursors', async () => {
    const { data } = await api.gql(
      `{ organisation(slug: "mailcamp") { processors(first: 3) { nodes { name } edges { node { name } } } } }`,
    );
    const page = data!.organisation.processors;
    expect(page.nodes).toHaveLength(3);
    expect(page.nodes).toEqual(page.edges.map((e: any) => e.node));
  });

  it('filters organisations by search text and by the country of an entity', async () => {
    const { data } = await api.gql(`{
      byName: organisations(search: "CAMP") { totalCount edges { node { slug } } }
      inGermany: organisations(country: "DE") { edges { node { slug } } }
    }`);
    expect(data!.byName.edges.map((e: any) => e.node.slug)).toEqual(['mailcamp']);
    expect(data!.byName.totalCount).toBe(1);
    expect(data!.inGermany.edges.map((e: any) => e.node.slug)).toEqual(['mimecast']);
  });

  it('answers “who uses Zendesk?” and “who keeps data in Ireland?”', async () => {
    const { data } = await api.gql(`{
      zendesk: processors(name: "zendesk") { totalCount edges { node { name organisation { slug } } } }
      ireland: processors(country: "IE") { edges { node { name } } }
    }`);
    expect(data!.zendesk).toEqual({
      totalCount: 1,
      edges: [{ node: { name: 'Zendesk', organisation: { slug: 'mailcamp' } } }],
    });
    expect(data!.ireland.edges.map((e: any) => e.node.name)).toContain('Zendesk');
  });

  it('refuses a page larger than 100 and a malformed cursor', async () => {
    const tooBig = await api.gql(`{ processors(first: 101) { edges { node { name } } } }`);
    expect(tooBig.errors?.[0]?.message).toMatch(/"first" must be between 0 and 100/);
    const badCursor = await api.gql(`{ organisations(after: "not-a-cursor") { edges { node { slug } } } }`);
    expect(badCursor.errors?.length).toBeGreaterThan(0);
  });

  it('refuses a malformed country code with the reason', async () => {
    const body = await api.gql(`{ processors(country: "Ireland") { totalCount } }`);
    expect(body.errors?.[0]?.message).toMatch(/not an ISO 3166-1 alpha-2 country code/);
  });

  it('lists the supervisory authorities', async () => {
    const { data } = await api.gql(`{ supervisoryAuthorities { slug name country website } }`);
    expect(data!.supervisoryAuthorities).toContainEqual(
      expect.objectContaining({ slug: 'nl-ap', name: 'Autoriteit Persoonsgegevens', country: 'NL' }),
    );
  });
});

describe('global object identification', () => {
  it('refetches any object by its opaque ID with node and nodes', async () => {
    const { data } = await api.gql(
      `{ organisation(slug: "mailcamp") { id processors(first: 1) { edges { node { id name } } } } }`,
    );
    const orgId = data!.organisation.id;
    const processor = data!.organisation.processors.edges[0].node;
    expect(orgId).not.toMatch(/^[0-9a-f-]{36}$/); // opaque, not the database key
    const again = await api.gql(
      `query($ids: [ID!]!) { nodes(ids: $ids) { __typename ... on Organisation { slug } ... on Processor { name } } }`,
      { ids: [orgId, processor.id] },
    );
    expect(again.data!.nodes).toEqual([
      { __typename: 'Organisation', slug: 'mailcamp' },
      { __typename: 'Processor', name: processor.name },
    ]);
  });
});
