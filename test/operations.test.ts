// Production behaviour over HTTP: limits, rate limits, the response cache and
// its invalidation, ETag/304, Cache-Control, persisted operations, timeouts,
// health checks and metrics.
import { createHash } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { bearer } from './support/keys.js';
import { startTestServer, type TestServer } from './support/server.js';

const defaults = loadConfig({});
const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('limits', () => {
  let api: TestServer;
  beforeAll(async () => {
    api = await startTestServer();
  });
  afterAll(() => api.close());

  it('refuses a query 20 levels deep before it reaches the database', async () => {
    let selection = 'name';
    for (let i = 0; i < 9; i++) selection = `processors(first: 1) { edges { node { organisation { ${selection} } } } }`;
    const query = `{ organisation(slug: "mailcamp") { ${selection} } }`;
    const { statements, body } = await api.countStatements(query);
    expect(body.errors?.[0]?.message).toMatch(/depth/i);
    expect(statements).toBe(0);
  });

  it('refuses 500 aliases before they reach the database', async () => {
    const aliases = Array.from({ length: 500 }, (_, i) => `a${i}: organisation(slug: "mailcamp") { name }`).join(' ');
    const { statements, body } = await api.countStatements(`{ ${aliases} }`);
    // Whichever limit trips first (aliases or tokens), the answer is clear and no SQL ran.
    expect(body.errors?.[0]?.message).toMatch(/alias|token/i);
    expect(statements).toBe(0);
  });

  it('answers 413 to a body over the size limit', async () => {
    const response = await post(api.url, {
      query: `{ organisations(search: "${'x'.repeat(defaults.limits.maxBodyBytes)}") { totalCount } }`,
    });
    expect(response.status).toBe(413);
  });

  it('stops a request that runs past the timeout with a clear error', async () => {
    const slow = await startTestServer({
      settings: {
        limits: { ...defaults.limits, requestTimeoutMs: 1 },
        responseCache: { enabled: false, ttlSeconds: 1 },
      },
    });
    try {
      const body = await slow.gql(
        `{ searchNotices(query: "cookies") { totalCount } organisations(first: 100) { edges { node { notices { versions { translations { sections { html } } } } } } } }`,
      );
      expect(body.errors?.[0]).toMatchObject({
        message: expect.stringMatching(/longer than 1 ms/),
        extensions: { code: 'TIMEOUT' },
      });
    } finally {
      await slow.close();
    }
  });
});

describe('rate limits', () => {
  let api: TestServer;
  beforeAll(async () => {
    api = await startTestServer({ settings: { rateLimit: { perMinute: 5, keyPerMinute: 8, trustProxy: false } } });
  });
  afterAll(() => api.close());

  it('answers 429 with Retry-After once an address has spent its budget, and counts keys apart', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await post(api.url, { query: '{ __typename }' })).status);
    expect(statuses.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
    const limited = await post(api.url, { query: '{ __typename }' });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await limited.json()).errors[0].extensions.code).toBe('RATE_LIMITED');

    const key = await bearer(api.db, ['read']);
    expect((await post(api.url, { query: '{ __typename }' }, { authorization: key.authorization })).status).toBe(200);
  });
});

describe('the response cache', () => {
  let api: TestServer;
  let writer: string;
  beforeAll(async () => {
    api = await startTestServer();
    writer = (await bearer(api.db, ['write:mailcamp'])).authorization;
  });
  afterAll(() => api.close());

  const read = `{ processors(name: "Zendesk") { edges { node { id name revision } } } }`;

  it('answers a repeated public read from memory and a read after a write fresh', async () => {
    const first = await api.countStatements(read);
    expect(first.statements).toBeGreaterThan(0);
    const again = await api.countStatements(read);
    expect(again.statements).toBe(0);
    expect(again.body).toEqual(first.body);

    const node = first.body.data!.processors.edges[0].node;
    const update = await api.gql(
      `mutation($id: ID!, $rev: Int!) { processorUpdate(input: { id: $id, expectedRevision: $rev, name: "Zendesk Inc." }) { userErrors { code } } }`,
      { id: node.id, rev: node.revision },
      { authorization: writer },
    );
    expect(update.data!.processorUpdate.userErrors).toEqual([]);
    const after = await api.gql(`{ processors(name: "Zendesk") { edges { node { name revision } } } }`);
    expect(after.data!.processors.edges[0].node).toEqual({ name: 'Zendesk Inc.', revision: node.revision + 1 });
  });

  it('does not share answers given to API keys', async () => {
    const key = await bearer(api.db, ['read']);
    await api.gql(read, undefined, { authorization: key.authorization });
    const again = await api.db.statements.count;
    await api.gql(read, undefined, { authorization: key.authorization });
    expect(api.db.statements.count).toBeGreaterThan(again);
  });

  it('sends ETag and Cache-Control on public GET queries and answers 304 to a revalidation', async () => {
    const url = `${api.url}?query=${encodeURIComponent('{ organisation(slug: "mamoru") { name } }')}`;
    const first = await fetch(url, { headers: { accept: 'application/json' } });
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe(`public, max-age=${defaults.responseCache.ttlSeconds}`);
    const etag = first.headers.get('etag');
    expect(etag).toBeTruthy();
    const second = await fetch(url, { headers: { accept: 'application/json', 'if-none-match': etag! } });
    expect(second.status).toBe(304);
    const postResponse = await post(api.url, { query: '{ organisation(slug: "mamoru") { name } }' });
    expect(postResponse.headers.get('cache-control')).toBe('no-store');
  });

  it('never keeps the answer to a mutation', async () => {
    const mutation = `mutation { contactCreate(input: { organisation: "mailcamp", kind: GENERAL, email: "a@b.nl" }) { userErrors { code } } }`;
    const response = await post(api.url, { query: mutation });
    expect((await response.json()).data.contactCreate.userErrors[0].code).toBe('FORBIDDEN');
    expect(response.headers.get('etag')).toBeNull();
  });

  it('after a write, revalidates with 304 when the answer is the same and in full with a new ETag when it changed', async () => {
    const url = `${api.url}?query=${encodeURIComponent('{ organisation(slug: "mailcamp") { name contacts { email } } }')}`;
    const etag = (await fetch(url, { headers: { accept: 'application/json' } })).headers.get('etag')!;
    // An ETag is a hash of the answer's bytes: nothing internal (no cache generation) shows in it.
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{27}"$/);
    const unrelated = await api.gql(
      `mutation { processorCreate(input: { organisation: "mailcamp", name: "ETag check", role: PROCESSOR, service: [{ locale: "en", text: "x" }], transferSafeguard: NOT_REQUIRED }) { userErrors { code } } }`,
      undefined,
      { authorization: writer },
    );
    expect(unrelated.data!.processorCreate.userErrors).toEqual([]);
    const same = await fetch(url, { headers: { accept: 'application/json', 'if-none-match': etag } });
    expect(same.status).toBe(304);
    const write = await api.gql(
      `mutation { contactCreate(input: { organisation: "mailcamp", kind: GENERAL, email: "etag@mailcamp.nl" }) { userErrors { code } } }`,
      undefined,
      { authorization: writer },
    );
    expect(write.data!.contactCreate.userErrors).toEqual([]);
    const revalidated = await fetch(url, { headers: { accept: 'application/json', 'if-none-match': etag } });
    expect(revalidated.status).toBe(200);
    expect(revalidated.headers.get('etag')).not.toBe(etag);
    expect(JSON.stringify(await revalidated.json())).toContain('etag@mailcamp.nl');
  });
});

describe('persisted operations', () => {
  it('supports automatic persisted queries: a hash alone once the query is known', async () => {
    const api = await startTestServer();
    try {
      const query = '{ organisation(slug: "mailcamp") { name } }';
      const extensions = { persistedQuery: { version: 1, sha256Hash: sha256(query) } };
      const unknown = await (await post(api.url, { extensions })).json();
      expect(unknown.errors[0].message).toBe('PersistedQueryNotFound');
      expect((await (await post(api.url, { query, extensions })).json()).data.organisation.name).toBe('MailCamp');
      const byHash = await fetch(`${api.url}?extensions=${encodeURIComponent(JSON.stringify(extensions))}`, {
        headers: { accept: 'application/json' },
      });
      expect((await byHash.json()).data.organisation.name).toBe('MailCamp');
      const mismatch = await (await post(api.url, { query: '{ __typename }', extensions })).json();
      expect(mismatch.errors[0].extensions.code).toBe('PERSISTED_QUERY_HASH_MISMATCH');
    } finally {
      await api.close();
    }
  });

  it('runs only allow-listed operations in allow-list mode', async () => {
    const query = '{ organisation(slug: "mamoru") { name } }';
    const dir = await mkdtemp(path.join(os.tmpdir(), 'allow-list-'));
    const file = path.join(dir, 'operations.json');
    await writeFile(file, JSON.stringify({ [sha256(query)]: query }));
    const api = await startTestServer({ settings: { persistedOperations: { mode: 'allow-list', file } } });
    try {
      const allowed = await (
        await post(api.url, { extensions: { persistedQuery: { version: 1, sha256Hash: sha256(query) } } })
      ).json();
      expect(allowed.data.organisation.name).toBe('MAMORU.NL');
      const arbitrary = await (await post(api.url, { query })).json();
      expect(arbitrary.data).toBeUndefined();
      expect(arbitrary.errors[0].message).toBe('PersistedQueryOnly');
    } finally {
      await api.close();
    }
  });
});

describe('health, readiness and metrics', () => {
  let api: TestServer;
  beforeAll(async () => {
    api = await startTestServer({ settings: { metrics: true } });
  });
  afterAll(() => api.close());
  const base = () => api.url.replace(/\/graphql$/, '');

  it('reports alive and ready with the database reachable and migrations applied', async () => {
    expect(await (await fetch(`${base()}/health`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base()}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', ready: true, database: 'reachable', migrations: 'applied' });
  });

  it('serves Prometheus metrics when enabled, and a request id on every response', async () => {
    const response = await post(api.url, { query: '{ __typename }' }, { 'x-request-id': 'support-ticket-42' });
    expect(response.headers.get('x-request-id')).toBe('support-ticket-42');
    const metrics = await (await fetch(`${base()}/metrics`)).text();
    expect(metrics).toMatch(/http_request_duration_seconds_count\{route="\/graphql",method="POST",status="2xx"\}/);
    expect(metrics).toMatch(/graphql_operation_duration_seconds_count\{type="query",outcome="ok"\}/);
  });
});
