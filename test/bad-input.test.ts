// Bad input over real HTTP: malformed bodies, wrong content types, abusive
// queries (depth, aliases, fragments), invalid scalars and variables, oversized
// lists, operation mix-ups. Every case must be refused as the client's fault — a
// 4xx status or a GraphQL error in the body — never a 5xx, never an unexpected
// (masked) error, never a crash: the server still answers afterwards. The two
// query-shape attacks that would otherwise fan out into SQL (20 levels deep, 500
// aliases) must be refused before the database is reached at all.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from './support/keys.js';
import { startTestServer, type TestServer } from './support/server.js';
import { deepQuery } from './support/queries.js';

let api: TestServer;
let writer: Awaited<ReturnType<typeof bearer>>;
beforeAll(async () => {
  api = await startTestServer();
  writer = await bearer(api.db, ['write:mailcamp'], { label: 'bad input battery' });
});
afterAll(() => api?.close());

const json = { 'content-type': 'application/json', accept: 'application/json' };

/** A raw request to the API: the body goes out exactly as given. */
function send(init: { method?: string; headers?: Record<string, string>; body?: string | Uint8Array; path?: string }) {
  const url = init.path === undefined ? api.url : new URL(init.path, api.url).toString();
  return fetch(url, {
    method: init.method ?? 'POST',
    headers: init.headers ?? json,
    body: init.body as BodyInit | undefined,
    // A request the server never answers is a failure of its own, not a stuck suite.
    signal: AbortSignal.timeout(20_000),
  });
}

function post(
  query: string,
  variables?: unknown,
  extra: Record<string, unknown> = {},
  headers: Record<string, string> = {},
) {
  return send({ headers: { ...json, ...headers }, body: JSON.stringify({ query, variables, ...extra }) });
}

function fieldDepth(query: string): number {
  let depth = 0;
  let max = 0;
  for (const c of query) {
    if (c === '{') max = Math.max(max, ++depth);
    if (c === '}') depth--;
  }
  return max;
}

const aliasBomb = (n: number, field: string) =>
  `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${field}`).join(' ')} }`;

// F0 selects a field; every Fn spreads F(n-1) twice: 2^40 fields once expanded.
function fragmentBomb(levels: number): string {
  const fragments = [`fragment F0 on Organisation { name slug }`];
  for (let i = 1; i <= levels; i++) fragments.push(`fragment F${i} on Organisation { ...F${i - 1} ...F${i - 1} }`);
  return `{ organisation(slug: "mailcamp") { ...F${levels} } } ${fragments.join(' ')}`;
}

const fakeProcessorId = (i: number) =>
  Buffer.from(`Processor:00000000-0000-4000-8000-${String(i).padStart(12, '0')}`).toString('base64');

/** processorCreate with a write key: a valid input but for the fields given. */
function createProcessor(fields: Record<string, unknown>) {
  return post(
    `mutation($input: ProcessorCreateInput!) { processorCreate(input: $input) { processor { id } userErrors { field code } } }`,
    {
      input: {
        organisation: 'mailcamp',
        name: 'Bad Input Processor',
        role: 'PROCESSOR',
        service: [{ locale: 'en', text: 'Testing' }],
        transferSafeguard: 'NOT_REQUIRED',
        ...fields,
      },
    },
    {},
    { authorization: writer.authorization },
  );
}

interface Case {
  name: string;
  request: () => Promise<Response>;
  /** The refusal must come before any SQL statement is sent. */
  beforeDatabase?: boolean;
  /** A clear reason, in at least one error message (or the body of a 4xx). */
  message?: RegExp;
  /** Harmless enough to be answered (still never a 5xx or a fault). */
  mayAnswer?: boolean;
  /** A mutation refused with user errors (data, not a top-level error) also counts as refused. */
  mutation?: string;
}

const cases: Case[] = [
  // Bodies and transports.
  { name: 'malformed JSON body', request: () => send({ body: '{"query": "{ __typename }"' }) },
  { name: 'JSON that is not an object', request: () => send({ body: '["{ __typename }"]' }) },
  { name: 'query that is not a string', request: () => send({ body: '{"query": 42}' }) },
  { name: 'variables that are not an object', request: () => post('{ __typename }', 'not an object') },
  {
    name: 'text/plain carrying JSON',
    request: () =>
      send({
        headers: { 'content-type': 'text/plain', accept: 'application/json' },
        body: JSON.stringify({ query: '{ organisation(slug: "mailcamp") { name } }' }),
      }),
  },
  {
    name: 'application/xml',
    request: () =>
      send({
        headers: { 'content-type': 'application/xml', accept: 'application/json' },
        body: '<?xml version="1.0"?><query>{ organisation(slug: "mailcamp") { name } }</query>',
      }),
  },
  {
    name: 'multipart junk',
    request: () =>
      send({
        headers: { 'content-type': 'multipart/form-data; boundary=XyZ', accept: 'application/json' },
        body: '--XyZ\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{not json\r\n--XyZ\r\nContent-Disposition: form-data; name="map"\r\n\r\n\x00\x01\x02garbage\r\n--XyZ--',
      }),
  },
  {
    name: 'multipart without a boundary',
    request: () =>
      send({ headers: { 'content-type': 'multipart/form-data', accept: 'application/json' }, body: 'just bytes' }),
  },
  { name: 'empty body', request: () => send({ body: '' }) },
  { name: 'GET without query', request: () => send({ method: 'GET', headers: { accept: 'application/json' } }) },
  {
    name: 'GET with a mutation',
    request: () =>
      send({
        method: 'GET',
        headers: { accept: 'application/json' },
        path: `?query=${encodeURIComponent('mutation { organisationCreate(input: { slug: "x", name: "x", defaultLocale: "en" }) { userErrors { code } } }')}`,
      }),
  },

  // Sizes and shapes.
  {
    name: 'huge string argument (2 MB search)',
    request: () => post('query($s: String) { organisations(search: $s) { totalCount } }', { s: 'x'.repeat(2_000_000) }),
  },
  {
    name: 'huge string argument inline (2 MB search)',
    request: () => post(`{ organisations(search: "${'x'.repeat(2_000_000)}") { totalCount } }`),
  },
  {
    name: 'query 20 levels deep through organisation → processors → edges → node',
    request: () => post(deepQuery(20)),
    beforeDatabase: true,
    message: /depth/i,
  },
  {
    name: '500 aliases of organisation(slug: "mailcamp") { name }',
    request: () => post(aliasBomb(500, 'organisation(slug: "mailcamp") { name }')),
    beforeDatabase: true,
    // The alias limit, or the token limit that sees the same query first.
    message: /alias|token/i,
  },
  {
    // graphql-armor does not count __typename aliases (its default allow-list): answering
    // them is cheap. Refused or answered, they must not reach the database.
    name: '500 aliases of __typename',
    request: () => post(aliasBomb(500, '__typename')),
    beforeDatabase: true,
    mayAnswer: true,
  },
  { name: 'fragment bomb (40 fragments, each spreading the previous twice)', request: () => post(fragmentBomb(40)) },
  {
    name: 'cyclic fragments',
    request: () =>
      post(
        `{ organisation(slug: "mailcamp") { ...A } } fragment A on Organisation { name ...B } fragment B on Organisation { slug ...A }`,
      ),
  },
  {
    name: 'ids list of 10 000 to nodes(ids:)',
    request: async () => {
      const { data } = await api.gql(`{ processors(first: 100) { edges { node { id } } } }`);
      const real: string[] = data!.processors.edges.map((e: any) => e.node.id);
      return post('query($ids: [ID!]!) { nodes(ids: $ids) { id } }', {
        ids: Array.from({ length: 10_000 }, (_, i) => real[i % real.length]),
      });
    },
  },
  {
    name: 'processorCreate with 10 000 certifications',
    mutation: 'processorCreate',
    request: () =>
      createProcessor({
        name: 'Certified Everything',
        certifications: Array.from({ length: 10_000 }, (_, i) => `ISO ${i}`),
      }),
  },

  // Text PostgreSQL cannot store: a NUL byte, and a lone UTF-16 surrogate (not valid Unicode).
  {
    name: 'a NUL byte in a search argument',
    request: () => post('query($s: String) { organisations(search: $s) { totalCount } }', { s: 'mail\u0000camp' }),
  },
  {
    name: 'a lone surrogate in a search argument',
    request: () => post('query($s: String) { processors(name: $s) { totalCount } }', { s: 'zen\ud800desk' }),
  },
  {
    name: 'a NUL byte in a processor name',
    mutation: 'processorCreate',
    request: () => createProcessor({ name: 'Null\u0000Byte' }),
  },
  {
    name: 'a lone surrogate in a processor name',
    mutation: 'processorCreate',
    request: () => createProcessor({ name: 'Lone \ud800 Surrogate' }),
  },

  // Invalid scalars and arguments.
  { name: 'country "Holland"', request: () => post('{ processors(country: "Holland") { totalCount } }') },
  {
    name: 'locale "de_AT"',
    request: () => post('{ organisation(slug: "mailcamp", locale: "de_AT") { notice { title } } }'),
  },
  {
    name: 'date "2023-02-30"',
    request: () => post('{ organisation(slug: "mailcamp") { notice(at: "2023-02-30") { version } } }'),
  },
  { name: 'first: -1', request: () => post('{ organisations(first: -1) { totalCount } }') },
  { name: 'first: 1000', request: () => post('{ organisations(first: 1000) { edges { node { slug } } } }') },
  { name: 'unknown field', request: () => post('{ organisation(slug: "mailcamp") { name secretPassword } }') },
  { name: 'unknown argument', request: () => post('{ organisation(slug: "mailcamp", drop: true) { name } }') },
  { name: 'unknown root field', request: () => post('{ users { password } }') },
  {
    name: 'a string where Int! is expected',
    request: () => post('query($n: Int!) { organisations(first: $n) { totalCount } }', { n: 'ten' }),
  },
  {
    name: 'an object where String is expected',
    request: () =>
      post('query($s: String) { organisations(search: $s) { totalCount } }', { s: { $ne: null, length: 1 } }),
  },
  {
    name: 'a missing required variable',
    request: () => post('query($slug: String!) { organisation(slug: $slug) { name } }', {}),
  },
  { name: 'a syntax error', request: () => post('{ organisation(slug: "mailcamp") { name ') },

  // Operations.
  {
    name: 'an operationName that does not exist',
    request: () => post('query A { __typename } query B { __typename }', undefined, { operationName: 'C' }),
  },
  {
    name: 'two operations without operationName',
    request: () => post('query A { __typename } query B { __typename }'),
  },
  {
    name: 'a subscription over plain POST JSON',
    request: () => post('subscription { processorChanged(organisation: "mailcamp") { action } }'),
  },
];

async function parse(response: Response): Promise<{ text: string; body: any }> {
  const text = await response.text();
  try {
    return { text, body: JSON.parse(text) };
  } catch {
    return { text, body: undefined };
  }
}

describe('bad input', () => {
  it('builds the abusive queries from valid parts: smaller ones are answered', async () => {
    expect(fieldDepth(deepQuery(20))).toBe(20);
    expect(aliasBomb(500, '__typename').match(/a\d+:/g)).toHaveLength(500);
    const shallow = await api.gql(deepQuery(7));
    expect(shallow.errors).toBeUndefined();
    expect(shallow.data!.organisation.processors.edges[0].node.organisation.processors.totalCount).toBeGreaterThan(0);
    const fewAliases = await api.gql(aliasBomb(5, 'organisation(slug: "mailcamp") { name }'));
    expect(fewAliases).toEqual({
      data: Object.fromEntries([0, 1, 2, 3, 4].map((i) => [`a${i}`, { name: 'MailCamp' }])),
    });
    const smallBomb = await api.gql(fragmentBomb(3));
    expect(smallBomb).toEqual({ data: { organisation: { name: 'MailCamp', slug: 'mailcamp' } } });
  });

  it.each(cases)(
    'refuses $name as a client error',
    async ({ request, beforeDatabase, message, mutation, mayAnswer }) => {
      const processorsBefore = await api.db.prisma.processor.count();
      const statementsBefore = api.db.statements.count;
      const response = await request();
      const { text, body } = await parse(response);
      const statements = api.db.statements.count - statementsBefore;
      const status = response.status;
      const messages: string[] = (body?.errors ?? []).map((e: any) => String(e?.message));
      const userErrors: unknown[] = mutation ? (body?.data?.[mutation]?.userErrors ?? []) : [];
      const summary = `HTTP ${status}: ${text.slice(0, 300)}`;

      expect(status, summary).toBeLessThan(500);
      const refused = (status >= 400 && status < 500) || messages.length > 0 || userErrors.length > 0;
      if (!mayAnswer) expect(refused, `not refused — ${summary}`).toBe(true);
      // An error the server did not expect is masked as "Unexpected error.": a fault, not a refusal.
      expect(
        messages.filter((m) => /unexpected error/i.test(m)),
        summary,
      ).toEqual([]);
      if (message) {
        expect(messages.some((m) => message.test(m)) || message.test(text), `no clear reason — ${summary}`).toBe(true);
      }
      if (beforeDatabase) expect(statements, `SQL statements sent for a refused query — ${summary}`).toBe(0);
      if (mutation) expect(await api.db.prisma.processor.count()).toBe(processorsBefore);
    },
  );

  it('answers null, not a fault, for well-formed ids of objects that do not exist', async () => {
    const ids = [fakeProcessorId(1), fakeProcessorId(2)];
    const one = await api.gql(`query($id: ID!) { node(id: $id) { id } }`, { id: ids[0] });
    expect(one).toEqual({ data: { node: null } });
    const many = await api.gql(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids });
    expect(many).toEqual({ data: { nodes: [null, null] } });
  });

  it('still answers a normal query after the battery', async () => {
    const { data, errors } = await api.gql(`{ organisation(slug: "mailcamp") { name processors { totalCount } } }`);
    expect(errors).toBeUndefined();
    expect(data!.organisation.name).toBe('MailCamp');
    expect(data!.organisation.processors.totalCount).toBeGreaterThan(0);
  });
});
