// Every GraphQL example of the README runs as written on the seed data, in the
// order the README gives them: no errors, and no user errors in any payload.
// A block says how it runs in comments on its first lines:
//   # key: write:mailcamp          send it with a key of that scope
//   # variables: {"locale": "nl"}  with these variables
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from './support/keys.js';
import { startTestServer, type TestServer } from './support/server.js';

const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m, i) => {
  const text = m[1]!;
  const key = /^# key: (\S+)$/m.exec(text)?.[1];
  const variables = /^# variables: (\{.*\})$/m.exec(text)?.[1];
  const firstLine = text.split('\n').find((l) => l.trim() && !l.startsWith('#')) ?? '';
  return {
    name: `#${i + 1}: ${firstLine.trim().slice(0, 60)}`,
    text,
    key,
    variables: variables && JSON.parse(variables),
  };
});

/** Every userErrors list anywhere in an answer. */
function userErrors(value: unknown): unknown[] {
  if (!value || typeof value !== 'object') return [];
  if (Array.isArray(value)) return value.flatMap(userErrors);
  return Object.entries(value).flatMap(([k, v]) => (k === 'userErrors' && Array.isArray(v) ? v : userErrors(v)));
}

let api: TestServer;
const keys = new Map<string, string>();
beforeAll(async () => {
  api = await startTestServer();
});
afterAll(() => api.close());

describe('the README’s GraphQL examples', () => {
  it('are there', () => expect(blocks.length).toBeGreaterThan(8));

  it.each(blocks)('$name', async ({ text, key, variables }) => {
    if (key && !keys.has(key)) keys.set(key, (await bearer(api.db, [key])).authorization);
    const body = await api.gql(text, variables, key ? { authorization: keys.get(key)! } : {});
    expect(body.errors).toBeUndefined();
    expect(userErrors(body.data)).toEqual([]);
    expect(body.data).toBeTruthy();
  });
});
