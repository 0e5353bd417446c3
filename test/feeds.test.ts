// The sub-processor feeds over real HTTP: the Atom feed parses with a feed
// parser and has what RFC 4287 requires, the JSON Feed validates against JSON
// Feed 1.1, both change with each sub-processor change; the current list has
// its last-updated date; conditional GET (ETag, Last-Modified) under the same
// HTTP policy as the other routes.
import { readFile } from 'node:fs/promises';
import { parseFeed } from '@rowanmanning/feed-parser';
import { Ajv } from 'ajv';
import * as formatsModule from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from './support/keys.js';
import { startTestServer, type TestServer } from './support/server.js';

let api: TestServer;
let base: string;
let writer: string;

beforeAll(async () => {
  api = await startTestServer();
  base = `${api.url.replace(/\/graphql$/, '')}/organisations/mailcamp`;
  writer = (await bearer(api.db, ['write:mailcamp'])).authorization;
});
afterAll(() => api.close());

async function validator() {
  const schema = JSON.parse(await readFile(new URL('./fixtures/jsonfeed-1.1.schema.json', import.meta.url), 'utf8'));
  const ajv = new Ajv({ allErrors: true, strict: false });
  const mod = formatsModule as unknown as { default: { default?: unknown } };
  ((mod.default.default ?? mod.default) as (ajv: Ajv) => Ajv)(ajv);
  return ajv.compile(schema);
}

async function createSubProcessor(name: string) {
  const done = await api.gql(
    `mutation($name: String!) { processorCreate(input: { organisation: "mailcamp", name: $name, role: SUB_PROCESSOR,
      service: [{ locale: "en", text: "Payment processing" }], headquartersCountry: "NL",
      dataLocations: [{ country: "NL" }], transferSafeguard: NOT_REQUIRED }) { processor { id revision } userErrors { message } } }`,
    { name },
    { authorization: writer },
  );
  expect(done.data!.processorCreate.userErrors).toEqual([]);
  return done.data!.processorCreate.processor as { id: string; revision: number };
}

describe('the Atom feed', () => {
  it('parses, has what Atom requires, and gains an entry with each sub-processor change', async () => {
    const first = await fetch(`${base}/processors.atom`);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    expect(first.headers.get('x-request-id')).toBeTruthy();
    const etag = first.headers.get('etag')!;
    const xml = await first.text();
    const feed = parseFeed(xml);
    expect(feed.meta.type).toBe('atom');
    expect(feed.title).toBe('MailCamp: sub-processor changes');
    expect(feed.updated).toBeInstanceOf(Date);
    expect(feed.authors[0]?.name).toBe('MailCamp');
    expect(xml).toMatch(/<id>[^<]+processors\.atom<\/id>/);
    // The seed's processors, as their creations (independent controllers are not sub-processors).
    expect(feed.items.length).toBeGreaterThan(0);
    for (const item of feed.items) {
      expect(item.id).toMatch(/^urn:privacy-facts:mailcamp:change:/);
      expect(item.title).toBeTruthy();
      expect(item.updated).toBeInstanceOf(Date);
    }

    const created = await createSubProcessor('Mollie');
    const second = await fetch(`${base}/processors.atom`, { headers: { 'if-none-match': etag } });
    expect(second.status).toBe(200);
    expect(second.headers.get('etag')).not.toBe(etag);
    const after = parseFeed(await second.text());
    expect(after.items[0]!.title).toBe('New sub-processor: Mollie');
    expect(after.items[0]!.content).toContain('Payment processing');
    expect(after.items).toHaveLength(feed.items.length + 1);

    await api.gql(
      `mutation($input: ProcessorRetireInput!) { processorRetire(input: $input) { userErrors { message } } }`,
      { input: { id: created.id, expectedRevision: created.revision } },
      { authorization: writer },
    );
    const third = parseFeed(await (await fetch(`${base}/processors.atom`)).text());
    expect(third.items[0]!.title).toBe('Sub-processor retired: Mollie');
    expect(third.items[0]!.content).toMatch(/status<\/b>: ACTIVE → RETIRED/);
  });
});

describe('the JSON Feed', () => {
  it('validates against JSON Feed 1.1 and changes with each sub-processor change', async () => {
    const validate = await validator();
    const first = await fetch(`${base}/processors.json`);
    expect(first.status).toBe(200);
    expect(first.headers.get('content-type')).toBe('application/feed+json; charset=utf-8');
    const doc = await first.json();
    expect(validate(doc) ? [] : validate.errors).toEqual([]);
    expect(doc.feed_url).toBe(`${base}/processors.json`);

    await createSubProcessor('Adyen');
    const second = await (await fetch(`${base}/processors.json`)).json();
    expect(validate(second) ? [] : validate.errors).toEqual([]);
    expect(second.items[0].title).toBe('New sub-processor: Adyen');
    expect(second.items[0]._privacy_facts).toMatchObject({ action: 'CREATE', before: null, after: { name: 'Adyen' } });
    expect(second.items.length).toBe(doc.items.length + 1);
  });
});

describe('the current list and conditional GET', () => {
  it('lists the sub-processors in use with the date the list last changed', async () => {
    const response = await fetch(`${base}/sub-processors.json`);
    expect(response.status).toBe(200);
    const list = await response.json();
    expect(list.organisation).toEqual({ slug: 'mailcamp', name: 'MailCamp' });
    expect(Date.parse(list.updatedAt)).toBeGreaterThan(0);
    expect(response.headers.get('last-modified')).toBe(new Date(list.updatedAt).toUTCString());
    expect(list.processors.map((p: { name: string }) => p.name)).toContain('Adyen');
    expect(list.processors.map((p: { name: string }) => p.name)).not.toContain('Mollie');
    expect(list.processors.every((p: { role: string }) => p.role !== 'INDEPENDENT_CONTROLLER')).toBe(true);
  });

  it.each(['processors.atom', 'processors.json', 'sub-processors.json'])(
    '%s answers 304 to a copy that is still current, by ETag or date, and 200 after a change',
    async (file) => {
      const first = await fetch(`${base}/${file}`);
      const etag = first.headers.get('etag')!;
      const lastModified = first.headers.get('last-modified')!;
      expect(first.headers.get('cache-control')).toMatch(/^public, max-age=\d+$/);
      const byTag = await fetch(`${base}/${file}`, { headers: { 'if-none-match': `W/"other", ${etag}` } });
      expect(byTag.status).toBe(304);
      expect(await byTag.text()).toBe('');
      expect(byTag.headers.get('etag')).toBe(etag);
      const byDate = await fetch(`${base}/${file}`, { headers: { 'if-modified-since': lastModified } });
      expect(byDate.status).toBe(304);
      const stale = await fetch(`${base}/${file}`, { headers: { 'if-none-match': '"stale"' } });
      expect(stale.status).toBe(200);
      await createSubProcessor(`Conditional ${file}`);
      const changed = await fetch(`${base}/${file}`, { headers: { 'if-none-match': etag } });
      expect(changed.status).toBe(200);
    },
  );

  it('refuses what is not a read, and an unknown organisation, without public caching', async () => {
    const post = await fetch(`${base}/processors.atom`, { method: 'POST' });
    expect(post.status).toBe(405);
    expect(post.headers.get('cache-control')).toBe('no-store');
    const missing = await fetch(`${base.replace('mailcamp', 'nobody')}/processors.json`);
    expect(missing.status).toBe(404);
    expect(missing.headers.get('cache-control')).toBe('no-store');
  });
});
