// No N+1: a deep nested query costs the same number of SQL statements however
// long the lists below it grow.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { applyManifest } from '../src/manifest/load.js';
import { validateManifest } from '../src/manifest/parse.js';
import { startTestServer, type TestServer } from './support/server.js';

let api: TestServer;
beforeAll(async () => {
  // Statements are counted on the database, so answers must not come from the response cache.
  api = await startTestServer({ settings: { responseCache: { enabled: false, ttlSeconds: 60 } } });
});
afterAll(() => api.close());

const deepQuery = `{
  organisations(first: 100) {
    totalCount
    edges { node {
      slug locales
      controllerEntities { legalName address { country } contacts { kind email } }
      contacts(includeInactive: true) { kind email note controllerEntity { legalName } }
      supervisoryAuthorities { name }
      processors(first: 100) { totalCount edges { node {
        name service dataLocations dataLocationDetails { country locality }
        organisation { slug controllerEntities { legalName } }
      } } }
      retentionRules { period dataCategory criterion }
      notices { kind versions { version locales translations { locale sections { anchor } } } }
      notice { resolvedLocale html sections { heading html } }
      privacy { purposes { key description legalBasis } rights { right } }
    } }
  }
}`;

it('runs a deep nested query in the same number of statements after the lists grow tenfold', async () => {
  const small = await api.countStatements(deepQuery);
  expect(small.body.errors).toBeUndefined();

  for (let i = 0; i < 3; i++) {
    const result = validateManifest(syntheticOrganisation(i, 30));
    if (!result.ok) throw new Error(JSON.stringify(result.problems));
    await applyManifest(api.db.prisma, result.manifest);
  }

  const large = await api.countStatements(deepQuery);
  expect(large.body.errors).toBeUndefined();
  const edges = large.body.data!.organisations.edges;
  expect(edges).toHaveLength(6);
  expect(edges.reduce((n: number, e: any) => n + e.node.processors.edges.length, 0)).toBeGreaterThan(90);
  expect(large.statements).toBe(small.statements);
  expect(large.statements).toBeLessThanOrEqual(6);
});

function syntheticOrganisation(n: number, size: number) {
  const range = (k: number) => Array.from({ length: k }, (_, i) => i);
  return {
    organisation: { slug: `synthetic-${n}`, name: `Synthetic ${n}`, defaultLocale: 'en' },
    controllerEntities: range(3).map((i) => ({
      key: `entity-${i}`,
      legalName: `Synthetic ${n} Entity ${i}`,
      role: 'CONTROLLER',
      address: { country: 'NL' },
    })),
    contacts: range(size).map((i) => ({
      key: `c-${i}`,
      kind: 'GENERAL',
      entity: `entity-${i % 3}`,
      email: `c${i}@example.org`,
    })),
    processors: range(size).map((i) => ({
      key: `p-${i}`,
      name: `Processor ${n}-${i}`,
      role: 'PROCESSOR',
      service: { en: `Service ${i}` },
      dataLocations: ['NL', { country: 'DE', locality: 'Berlin' }],
      transferSafeguard: 'NOT_REQUIRED',
    })),
    retentionRules: range(size).map((i) => ({
      key: `r-${i}`,
      dataCategory: { en: `Category ${i}` },
      period: `P${i + 1}M`,
      trigger: 'COLLECTION',
      basis: 'CONSENT',
      action: 'DELETE',
    })),
    notices: [
      {
        slug: 'privacy',
        versions: [
          {
            version: '1',
            effectiveDate: '2024-01-01',
            translations: ['en', 'nl', 'de'].map((locale) => ({
              locale,
              title: 'Privacy',
              sections: range(size).map((i) => ({ heading: `Section ${i}`, body: 'Text.' })),
            })),
          },
        ],
      },
    ],
  };
}
