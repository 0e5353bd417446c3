// API keys: the secret is never stored or logged, and reads can be closed to
// anonymous callers.
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from './support/keys.js';
import { startTestServer, type TestServer } from './support/server.js';

describe('a key’s secret', () => {
  let api: TestServer;
  const lines: string[] = [];
  beforeAll(async () => {
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    api = await startTestServer({ logger: pino({ level: 'trace' }, sink) });
  });
  afterAll(() => api.close());

  it('appears nowhere in the database or the logs, though the key works', async () => {
    const key = await bearer(api.db, ['write:mailcamp'], { label: 'secret check' });
    // The secret is everything after the prefix; base64url may itself contain `_`.
    const secret = key.key.slice(key.prefix.length + 1);
    expect(secret).toHaveLength(43);
    const { data } = await api.gql(
      `mutation { contactCreate(input: { organisation: "mailcamp", kind: GENERAL, email: "x@mailcamp.nl" }) { userErrors { code } } }`,
      undefined,
      { authorization: key.authorization },
    );
    expect(data!.contactCreate.userErrors).toEqual([]);
    // A failing request is logged too; it must not carry the header either.
    await api.gql(`{ organisation(slug: 1) { name } }`, undefined, { authorization: key.authorization });

    const stored = await api.db.prisma.apiKey.findUniqueOrThrow({ where: { id: key.id } });
    expect(stored.lastUsedAt).not.toBeNull();
    const tables = ['ApiKey', 'AuditEvent', 'Contact'];
    for (const table of tables) {
      const rows = await api.db.sql.query(`SELECT * FROM "${table}"`);
      expect(JSON.stringify(rows)).not.toContain(secret);
    }
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain(secret);
  });
});

describe('REQUIRE_AUTH_FOR_READS', () => {
  let api: TestServer;
  beforeAll(async () => {
    api = await startTestServer({ requireAuthForReads: true });
  });
  afterAll(() => api.close());

  it('refuses anonymous reads and serves a read key', async () => {
    const anonymous = await api.gql(`{ organisation(slug: "mailcamp") { name } }`);
    expect(anonymous.errors?.[0]?.message).toBe('Forbidden: an API key is required.');
    const reader = await bearer(api.db, ['read']);
    const allowed = await api.gql(`{ organisation(slug: "mailcamp") { name } }`, undefined, {
      authorization: reader.authorization,
    });
    expect(allowed).toEqual({ data: { organisation: { name: 'MailCamp' } } });
  });

  it('closes the exports to anonymous callers too', async () => {
    const url = api.url.replace(/\/graphql$/, '/organisations/mailcamp/tilt.json');
    const anonymous = await fetch(url);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer');
    const reader = await bearer(api.db, ['read']);
    const allowed = await fetch(url, { headers: { authorization: reader.authorization } });
    expect(allowed.status).toBe(200);
    expect(allowed.headers.get('cache-control')).toBe('private, no-store');
  });
});
