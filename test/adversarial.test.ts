// The adversarial suite: the public endpoint attacked as an outsider would,
// against the server in production mode (masked errors, no GraphiQL, field
// suggestions blocked) over real HTTP — fetch, and raw node:http / node:net for
// chunked bodies and malformed requests.
//
// Every case asks for a safe, coded answer: a 4xx with a JSON body saying what
// was wrong, or a 200 whose GraphQL errors carry `extensions.code`; never a
// 5xx, never a masked internal error ("Unexpected error." /
// INTERNAL_SERVER_ERROR), never a field suggestion, never an error answer a
// CDN may keep. Things only writers may see (drafts, the audit trail) must not
// reach anyone else by any path, and must be indistinguishable from things
// that do not exist.
//
// Every response is recorded; the last tests check the whole suite's answers
// at once (no 5xx, no masked error, every error coded, no "Did you mean",
// no publicly cacheable error).
//
// The existing bad-input battery (test/bad-input.test.ts) and the mutation
// fuzz (test/fuzz.test.ts) cover malformed JSON, wrong content types, 2 MB
// strings, 20-level queries, 500 aliases, fragment bombs and invalid scalars in
// development mode; this file does not repeat them.
import { createHash, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../src/config.js';
import { eventually } from './support/http.js';
import { bearer } from './support/keys.js';
import { startProductionServer, type ProductionServer } from './support/production-server.js';
import { subscribeOverSse } from './support/sse.js';
import { deepQuery } from './support/queries.js';

vi.setConfig({ testTimeout: 60_000, hookTimeout: 180_000 });

// ---- Recording every answer -------------------------------------------------

interface Answer {
  /** The test that received it. */
  test: string;
  /** What was sent, for messages: "POST /graphql". */
  what: string;
  /** 0 when the server never answered. */
  status: number;
  headers: Record<string, string>;
  text: string;
  body: any;
  /** Raw socket answers: how many HTTP status lines came back. */
  responses?: number;
}

const answers: Answer[] = [];

function keep(answer: Omit<Answer, 'test'>): Answer {
  const full = { test: expect.getState().currentTestName ?? '(setup)', ...answer };
  answers.push(full);
  return full;
}

function parseJson(text: string): any {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

// ---- Talking to a server ----------------------------------------------------

type Target = Pick<ProductionServer, 'origin' | 'host' | 'port' | 'url'>;
const JSON_HEADERS = { 'content-type': 'application/json', accept: 'application/json' };

/** One request, exactly as given (headers replace the defaults only when `bare`). */
async function call(
  target: Target,
  init: {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Uint8Array;
    bare?: boolean;
  },
): Promise<Answer> {
  const method = init.method ?? 'POST';
  const path = init.path ?? '/graphql';
  const headers = init.bare ? (init.headers ?? {}) : { ...JSON_HEADERS, ...init.headers };
  const what = `${method} ${path.length > 120 ? `${path.slice(0, 120)}…` : path}`;
  try {
    const response = await fetch(target.origin + path, {
      method,
      headers,
      body: init.body as BodyInit | undefined,
      redirect: 'manual',
      signal: AbortSignal.timeout(45_000),
    });
    const text = await response.text();
    return keep({
      what,
      status: response.status,
      headers: Object.fromEntries(response.headers),
      text,
      body: parseJson(text),
    });
  } catch (error) {
    return keep({ what, status: 0, headers: {}, text: `(no answer: ${(error as Error).message})`, body: undefined });
  }
}

function gql(
  target: Target,
  query: string,
  variables?: unknown,
  headers: Record<string, string> = {},
  extra: Record<string, unknown> = {},
): Promise<Answer> {
  return call(target, { headers, body: JSON.stringify({ query, variables, ...extra }) });
}

function getGql(target: Target, params: Record<string, string>, headers: Record<string, string> = {}) {
  return call(target, {
    method: 'GET',
    path: `/graphql?${new URLSearchParams(params)}`,
    headers: { accept: 'application/json', ...headers },
    bare: true,
  });
}

function dechunk(body: string): string {
  let out = '';
  let rest = body;
  for (;;) {
    const end = rest.indexOf('\r\n');
    if (end < 0) return out + rest;
    const size = parseInt(rest.slice(0, end), 16);
    if (!Number.isFinite(size) || size === 0) return out;
    out += rest.slice(end + 2, end + 2 + size);
    rest = rest.slice(end + 2 + size + 2);
  }
}

/** Bytes written to a raw socket; the answer as read until the server closes (or `ms` pass). */
function raw(target: Target, payload: string | Buffer, ms = 8_000): Promise<Answer> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const socket = connect(target.port, target.host, () => socket.write(payload));
    const timer = setTimeout(() => socket.destroy(), ms);
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      const text = Buffer.concat(chunks).toString('utf8');
      const [head = '', ...rest] = text.split('\r\n\r\n');
      const lines = head.split('\r\n');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(lines[0] ?? '')?.[1] ?? 0);
      const headers: Record<string, string> = {};
      for (const line of lines.slice(1)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      let body = rest.join('\r\n\r\n');
      if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = dechunk(body);
      const firstLine = String(payload).split('\r\n')[0]!.slice(0, 80);
      resolve(
        keep({
          what: `raw ${JSON.stringify(firstLine)}`,
          status,
          headers,
          text: body || `(no body) ${head.slice(0, 200)}`,
          body: parseJson(body),
          responses: (text.match(/HTTP\/1\.[01] \d{3}/g) ?? []).length,
        }),
      );
    });
  });
}

/** A POST whose body goes out chunked (no Content-Length), `count` chunks of `chunk` between prefix and suffix. */
function chunkedPost(
  target: Target,
  parts: { prefix: string; chunk: string; count: number; suffix: string; headers?: Record<string, string> },
): Promise<Answer> {
  return new Promise((resolve) => {
    let settled = false;
    let answered = false;
    const settle = (answer: Omit<Answer, 'test'>) => {
      if (settled) return;
      settled = true;
      resolve(keep(answer));
    };
    const what = `POST /graphql (chunked, ${Math.round((parts.chunk.length * parts.count) / 1e6)} MB)`;
    const req = httpRequest({
      host: target.host,
      port: target.port,
      path: '/graphql',
      method: 'POST',
      headers: { ...JSON_HEADERS, 'transfer-encoding': 'chunked', ...parts.headers },
    });
    const timer = setTimeout(() => {
      req.destroy();
      settle({ what, status: 0, headers: {}, text: '(no answer within 45 s)', body: undefined });
    }, 45_000);
    req.on('response', (res) => {
      answered = true;
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (text += c));
      const done = () => {
        clearTimeout(timer);
        const headers = Object.fromEntries(Object.entries(res.headers).map(([k, v]) => [k, String(v)]));
        settle({ what, status: res.statusCode ?? 0, headers, text, body: parseJson(text) });
      };
      res.on('end', done);
      res.on('close', done);
    });
    req.on('error', (error) => {
      // The server may close the connection while we still send: its answer, if any, counts.
      setTimeout(() => {
        if (!answered) {
          clearTimeout(timer);
          settle({ what, status: 0, headers: {}, text: `(no answer: ${error.message})`, body: undefined });
        }
      }, 1_000);
    });
    let sent = 0;
    req.write(parts.prefix);
    const pump = () => {
      while (sent < parts.count && !answered && !req.destroyed) {
        sent++;
        if (!req.write(parts.chunk)) {
          req.once('drain', pump);
          return;
        }
      }
      if (!answered && !req.destroyed) req.end(parts.suffix);
    };
    pump();
  });
}

// ---- What a safe answer is -------------------------------------------------

const excerpt = (a: Answer) => `[${a.what}] → HTTP ${a.status}: ${a.text.slice(0, 400).replace(/\s+/g, ' ')}`;
const errorsOf = (a: Answer): any[] => (Array.isArray(a.body?.errors) ? a.body.errors : []);
const isFault = (e: any) =>
  /unexpected error/i.test(String(e?.message)) || e?.extensions?.code === 'INTERNAL_SERVER_ERROR';
const uncoded = (a: Answer) =>
  errorsOf(a).filter((e) => typeof e?.extensions?.code !== 'string' || e.extensions.code === '');
const messagesOf = (a: Answer): string[] => [
  ...errorsOf(a).map((e) => String(e?.message)),
  ...(typeof a.body?.error === 'string' ? [a.body.error] : []),
];
const codesOf = (a: Answer): unknown[] => errorsOf(a).map((e) => e?.extensions?.code);
const cacheControl = (a: Answer) => a.headers['cache-control'] ?? '';
/** A JSON body whose error says what was wrong: `{ errors: [{ message }] }` or `{ error }`. */
const hasJsonError = (a: Answer) =>
  (typeof a.body?.error === 'string' && a.body.error.length > 0) ||
  (errorsOf(a).length > 0 && errorsOf(a).every((e) => typeof e?.message === 'string' && e.message.length > 0));

/** No fault, every error coded, no field suggestion, no cacheable error. */
function expectSafe(a: Answer) {
  expect(a.status, `no answer at all — ${excerpt(a)}`).toBeGreaterThan(0);
  expect(a.status, `a server error — ${excerpt(a)}`).toBeLessThan(500);
  expect(errorsOf(a).filter(isFault), `a masked internal error — ${excerpt(a)}`).toEqual([]);
  expect(
    uncoded(a).map((e) => e?.message),
    `errors without extensions.code — ${excerpt(a)}`,
  ).toEqual([]);
  expect(a.text, `a field suggestion ("Did you mean") leaks the schema — ${excerpt(a)}`).not.toMatch(/did you mean/i);
  if (a.status >= 400) {
    expect(cacheControl(a), `an error answer is publicly cacheable — ${excerpt(a)}`).not.toMatch(/public/i);
  }
}

/** Refused as the client's fault, with a reason, and (when given) the status, code and message. */
function expectRefused(
  a: Answer,
  want: { status?: number; code?: string | string[]; message?: RegExp; notMessage?: RegExp } = {},
) {
  expectSafe(a);
  const refused = (a.status >= 400 && a.status < 500) || errorsOf(a).length > 0;
  expect(refused, `not refused — ${excerpt(a)}`).toBe(true);
  if (a.status >= 400) {
    expect(hasJsonError(a), `a ${a.status} without a JSON body saying what was wrong — ${excerpt(a)}`).toBe(true);
  }
  if (want.status !== undefined) expect(a.status, `status — ${excerpt(a)}`).toBe(want.status);
  if (want.code !== undefined) {
    const codes = [want.code].flat();
    expect(
      codesOf(a).some((c) => codes.includes(c as string)),
      `no error with code ${codes.join(' or ')} — ${excerpt(a)}`,
    ).toBe(true);
  }
  if (want.message) {
    expect(
      messagesOf(a).some((m) => want.message!.test(m)),
      `no error message matching ${want.message} — ${excerpt(a)}`,
    ).toBe(true);
  }
  if (want.notMessage) {
    expect(
      messagesOf(a).filter((m) => want.notMessage!.test(m)),
      `a message matching ${want.notMessage} — ${excerpt(a)}`,
    ).toEqual([]);
  }
}

/** A mutation refused: a 4xx / top-level GraphQL error, or the payload's userErrors. */
function expectMutationRefused(a: Answer, mutation: string, codes?: string[]) {
  expectSafe(a);
  const userErrors: any[] = a.body?.data?.[mutation]?.userErrors ?? [];
  if (userErrors.length > 0) {
    if (codes) {
      expect(
        userErrors.some((e) => codes.includes(e.code)),
        `userErrors without ${codes.join('/')} — ${excerpt(a)}`,
      ).toBe(true);
    }
    return userErrors;
  }
  expectRefused(a);
  return [];
}

// ---- Ids and fixtures ---------------------------------------------------------

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');
const gid = (type: string, id: string) => b64(`${type}:${id}`);
const localOf = (globalId: string) => Buffer.from(globalId, 'base64').toString('utf8').split(':')[1]!;
const UNKNOWN = '00000000-0000-4000-8000-0000000000aa';
/** Text only the draft holds: no answer to an outsider may contain it. */
const SECRET = 'ZQXDRAFTSECRET';
const WRITER_LABEL = 'adversarial writer label';

type Key = Awaited<ReturnType<typeof bearer>>;
const auth = (key: Key) => ({ authorization: key.authorization });

const processorInput = (name: string) => ({
  organisation: 'mailcamp',
  name,
  role: 'PROCESSOR',
  service: [{ locale: 'en', text: 'Adversarial testing' }],
  transferSafeguard: 'NOT_REQUIRED',
});
const PROCESSOR_CREATE = `mutation($input: ProcessorCreateInput!) { processorCreate(input: $input) { processor { id name } userErrors { field code message } } }`;
const APPLY_MANIFEST = `mutation($manifest: String!, $dryRun: Boolean) { organisationApplyManifest(manifest: $manifest, dryRun: $dryRun) { dryRun changes { entity key action } userErrors { field code message } } }`;

const nested = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);

// ---- The servers ----------------------------------------------------------------

let api: ProductionServer;
let writer: Key;
let outsider: Key;
let reader: Key;
let wildcard: Key;

beforeAll(async () => {
  // Production as configured, but for the rate limits: this file sends a few hundred
  // requests from one address, and the rate limits have their own server below.
  api = await startProductionServer({
    settings: { rateLimit: { perMinute: 100_000, keyPerMinute: 100_000, trustProxy: false } },
  });
  writer = await bearer(api.db, ['write:mailcamp'], { label: WRITER_LABEL });
  outsider = await bearer(api.db, ['write:mimecast'], { label: 'adversarial outsider' });
  reader = await bearer(api.db, ['read'], { label: 'adversarial reader' });
  wildcard = await bearer(api.db, ['write:*'], { label: 'adversarial wildcard' });
});
afterAll(async () => {
  await api?.close();
});

const processorCount = () => api.db.prisma.processor.count();
const organisationCount = () => api.db.prisma.organisation.count();

// ---- 1. Drafts and the audit trail -----------------------------------------------

describe('drafts and audit detail never reach a caller without the scope', () => {
  let draftId: string;
  let publishedId: string;
  let translationIds: string[];
  let sectionIds: string[];
  let auditId: string;
  let mailcampId: string;

  const callers = ['anonymous', "another organisation's write key", 'a read key'] as const;
  const headersOf = (caller: (typeof callers)[number]): Record<string, string> =>
    caller === 'anonymous' ? {} : caller === 'a read key' ? auth(reader) : auth(outsider);

  async function setup<T = any>(query: string, variables: unknown, field: string): Promise<T> {
    const a = await gql(api, query, variables, auth(writer));
    const payload = a.body?.data?.[field];
    if (!payload || payload.userErrors?.length) throw new Error(`setup ${field} failed: ${excerpt(a)}`);
    return payload as T;
  }

  beforeAll(async () => {
    const found = await gql(
      api,
      `{ organisation(slug: "mailcamp") { id notices { id slug versions { id status locales } } } }`,
      undefined,
      auth(writer),
    );
    const organisation = found.body?.data?.organisation;
    if (!organisation) throw new Error(`setup: no mailcamp — ${excerpt(found)}`);
    mailcampId = localOf(organisation.id);
    const notice = organisation.notices.find((n: any) => n.slug === 'privacy');
    publishedId = notice.versions.find((v: any) => v.status === 'PUBLISHED' && v.locales.includes('nl')).id;

    const created = await setup(
      `mutation($input: NoticeVersionCreateInput!) { noticeVersionCreate(input: $input) { noticeVersion { id status } userErrors { code message } } }`,
      { input: { notice: notice.id, version: 'adversarial-draft', effectiveDate: '2031-01-01' } },
      'noticeVersionCreate',
    );
    draftId = created.noticeVersion.id;
    const upsert = `mutation($input: NoticeTranslationUpsertInput!) { noticeTranslationUpsert(input: $input) { translation { id } userErrors { code message } } }`;
    await setup(
      upsert,
      {
        input: {
          version: draftId,
          locale: 'nl',
          title: `Concept ${SECRET}`,
          markdown: `## Wie wij zijn\n\n${SECRET} nieuwe tekst over wie wij zijn.\n\n## Geheime sectie ${SECRET}\n\n${SECRET} deze sectie bestaat alleen in het concept.\n`,
        },
      },
      'noticeTranslationUpsert',
    );
    await setup(
      upsert,
      {
        input: {
          version: draftId,
          locale: 'fr',
          title: `Brouillon ${SECRET}`,
          markdown: `## Qui sommes-nous\n\n${SECRET} texte secret.\n`,
        },
      },
      'noticeTranslationUpsert',
    );
    // A processor change, so the audit trail and Processor.history have something to leak.
    await setup(PROCESSOR_CREATE, { input: processorInput('Adversarial Audited Processor') }, 'processorCreate');

    const translations = await api.db.prisma.noticeTranslation.findMany({
      where: { versionId: localOf(draftId) },
      include: { sections: { select: { id: true } } },
    });
    translationIds = translations.map((t) => gid('NoticeTranslation', t.id));
    sectionIds = translations.flatMap((t) => t.sections.map((s) => gid('NoticeSection', s.id)));
    const event = await api.db.prisma.auditEvent.findFirstOrThrow({
      where: { organisationId: mailcampId, entityType: 'NoticeTranslation' },
      orderBy: { at: 'desc' },
    });
    auditId = gid('AuditEvent', event.id);
    if (translationIds.length !== 2 || sectionIds.length < 3) throw new Error('setup: draft translations missing');
  });

  it('sanity: a key that may write mailcamp sees the draft, its sections, its diff and the audit event', async () => {
    const a = await gql(
      api,
      `query($draft: ID!, $published: ID!, $audit: ID!, $section: ID!) {
        draft: node(id: $draft) { id }
        section: node(id: $section) { id }
        audit: node(id: $audit) { id }
        published: node(id: $published) { ... on NoticeVersion { diff(against: $draft) { added { heading body } removed { heading body } changed { before { body } after { body } } } } }
      }`,
      { draft: draftId, published: publishedId, audit: auditId, section: sectionIds[0] },
      auth(writer),
    );
    expectSafe(a);
    expect(a.body?.data?.draft?.id, excerpt(a)).toBe(draftId);
    expect(a.body?.data?.section?.id, excerpt(a)).toBe(sectionIds[0]);
    expect(a.body?.data?.audit?.id, excerpt(a)).toBe(auditId);
    expect(a.text, `the writer's diff against the draft should show its text — ${excerpt(a)}`).toContain(SECRET);
  });

  it.each(callers)(
    'node(id: <draft version>) for %s is a plain null, the same as for an unknown id',
    async (caller) => {
      const query = `query($id: ID!) { node(id: $id) { id __typename ... on NoticeVersion { status version translations { title sections { body } } } } }`;
      const draft = await gql(api, query, { id: draftId }, headersOf(caller));
      const unknown = await gql(api, query, { id: gid('NoticeVersion', UNKNOWN) }, headersOf(caller));
      expectSafe(draft);
      expect(draft.text).not.toContain(SECRET);
      expect(draft.body, excerpt(draft)).toEqual({ data: { node: null } });
      expect(draft.body, `a draft answers unlike an unknown id — ${excerpt(unknown)}`).toEqual(unknown.body);
    },
  );

  it.each(callers)(
    'nodes(ids: [draft, published]) for %s: null for the draft, the published one answers',
    async (caller) => {
      const a = await gql(
        api,
        `query($ids: [ID!]!) { nodes(ids: $ids) { id ... on NoticeVersion { status } } }`,
        { ids: [draftId, publishedId] },
        headersOf(caller),
      );
      expectSafe(a);
      expect(a.text).not.toContain(SECRET);
      expect(a.body, excerpt(a)).toEqual({ data: { nodes: [null, { id: publishedId, status: 'PUBLISHED' }] } });
    },
  );

  it.each(callers)(
    'diff(against: <draft>) on the published version for %s does not contain the draft text',
    async (caller) => {
      const a = await gql(
        api,
        `query($v: ID!, $against: ID!) { node(id: $v) { id ... on NoticeVersion {
          diff(against: $against) { locale added { heading body } removed { heading body } changed { anchor before { heading body } after { heading body } changes { kind text } } }
          nl: diff(against: $against, locale: "nl") { added { heading body } changed { after { body } } }
          fr: diff(against: $against, locale: "fr") { added { heading body } removed { heading body } }
        } } }`,
        { v: publishedId, against: draftId },
        headersOf(caller),
      );
      expectSafe(a);
      expect(a.body?.data?.node?.id, `the published version itself must still answer — ${excerpt(a)}`).toBe(
        publishedId,
      );
      expect(a.text, `the draft's text leaks through diff — ${excerpt(a)}`).not.toContain(SECRET);
    },
  );

  it.each(callers)(
    "node/nodes of the draft's NoticeTranslation and NoticeSection ids for %s are plain nulls",
    async (caller) => {
      const ids = [...translationIds, ...sectionIds];
      const many = await gql(
        api,
        `query($ids: [ID!]!) { nodes(ids: $ids) { id ... on NoticeTranslation { title locale } ... on NoticeSection { heading body } } }`,
        { ids },
        headersOf(caller),
      );
      expectSafe(many);
      expect(many.text).not.toContain(SECRET);
      expect(many.body, excerpt(many)).toEqual({ data: { nodes: ids.map(() => null) } });
      for (const id of [translationIds[0]!, sectionIds[0]!]) {
        const one = await gql(
          api,
          `query($id: ID!) { node(id: $id) { id ... on NoticeTranslation { title } ... on NoticeSection { body } } }`,
          { id },
          headersOf(caller),
        );
        expectSafe(one);
        expect(one.body, excerpt(one)).toEqual({ data: { node: null } });
      }
    },
  );

  it.each(callers)(
    'no other read path shows the draft to %s (drafts, versions, versionAt, notice(at:), locales, search, tilt)',
    async (caller) => {
      const a = await gql(
        api,
        `{ organisation(slug: "mailcamp") {
            locales
            notices { slug drafts { id } versions { id status } versionAt(date: "2031-06-01") { id status } }
            notice(at: "2031-06-01") { version title }
            fr: notice(at: "2031-06-01", locale: "fr") { resolvedLocale title }
            tilt
          }
          searchNotices(query: "${SECRET}", includeHistorical: true) { totalCount }
        }`,
        undefined,
        headersOf(caller),
      );
      expectSafe(a);
      expect(a.text, `draft text leaks — ${excerpt(a)}`).not.toContain(SECRET);
      const org = a.body?.data?.organisation;
      expect(org, excerpt(a)).toBeTruthy();
      expect(org.locales, 'a locale only the draft has is listed').not.toContain('fr');
      for (const notice of org.notices) {
        expect(notice.drafts, `drafts listed — ${excerpt(a)}`).toEqual([]);
        expect(notice.versions.map((v: any) => v.id)).not.toContain(draftId);
        expect(notice.versionAt?.id).not.toBe(draftId);
      }
      expect(a.body.data.searchNotices.totalCount, 'search finds the draft').toBe(0);
      for (const path of [
        '/organisations/mailcamp/tilt.json',
        '/organisations/mailcamp/tilt.json?locale=fr',
        '/organisations/mailcamp/dpv.jsonld',
      ]) {
        const exported = await call(api, { method: 'GET', path, headers: headersOf(caller), bare: true });
        expectSafe(exported);
        expect(exported.status, excerpt(exported)).toBe(200);
        expect(exported.text, `draft text leaks through ${path}`).not.toContain(SECRET);
      }
    },
  );

  it.each(['anonymous', "another organisation's write key"] as const)(
    'a mutation on the draft by %s is answered exactly as for an unknown version, and changes nothing',
    async (caller) => {
      const headers = headersOf(caller);
      const upsert = `mutation($input: NoticeTranslationUpsertInput!) { noticeTranslationUpsert(input: $input) { translation { id title } userErrors { code message field } } }`;
      const input = (version: string) => ({
        version,
        locale: 'nl',
        title: 'Overwritten',
        markdown: '## Overwritten\n\nx',
      });
      const onDraft = await gql(api, upsert, { input: input(draftId) }, headers);
      const onUnknown = await gql(api, upsert, { input: input(gid('NoticeVersion', UNKNOWN)) }, headers);
      expectMutationRefused(onDraft, 'noticeTranslationUpsert');
      expect(onDraft.body, `the draft's existence shows — ${excerpt(onUnknown)}`).toEqual(onUnknown.body);
      const revision = (await api.db.prisma.noticeVersion.findUniqueOrThrow({ where: { id: localOf(draftId) } }))
        .revision;
      const publish = `mutation($input: NoticeVersionPublishInput!) { noticeVersionPublish(input: $input) { noticeVersion { id status } userErrors { code message field } } }`;
      const pDraft = await gql(api, publish, { input: { id: draftId, expectedRevision: revision } }, headers);
      const pUnknown = await gql(
        api,
        publish,
        { input: { id: gid('NoticeVersion', UNKNOWN), expectedRevision: revision } },
        headers,
      );
      expectMutationRefused(pDraft, 'noticeVersionPublish');
      expect(pDraft.body, `the draft's existence shows — ${excerpt(pUnknown)}`).toEqual(pUnknown.body);
      const stored = await api.db.prisma.noticeVersion.findUniqueOrThrow({
        where: { id: localOf(draftId) },
        include: { translations: true },
      });
      expect(stored.status).toBe('DRAFT');
      expect(stored.translations.find((t) => t.locale === 'nl')?.title).toBe(`Concept ${SECRET}`);
    },
  );

  it('organisationChanged over SSE delivers draft changes to the writer only, never to anonymous or other keys', async () => {
    const query = `subscription { organisationChanged(organisation: "mailcamp") { action entityType entityId changedFields organisation { slug } } }`;
    const anonymous = await subscribeOverSse(api.url, query);
    const other = await subscribeOverSse(api.url, query, auth(outsider));
    const own = await subscribeOverSse(api.url, query, auth(writer));
    try {
      await new Promise((r) => setTimeout(r, 300));
      // Two changes only writers may see, then a public one.
      await setup(
        `mutation($input: NoticeTranslationUpsertInput!) { noticeTranslationUpsert(input: $input) { translation { id } userErrors { code } } }`,
        {
          input: {
            version: draftId,
            locale: 'nl',
            title: `Concept ${SECRET}`,
            markdown: `## Wie wij zijn\n\n${SECRET} herzien.\n\n## Geheime sectie ${SECRET}\n\n${SECRET} nog steeds geheim.\n`,
          },
        },
        'noticeTranslationUpsert',
      );
      const notice = await api.db.prisma.notice.findFirstOrThrow({
        where: { organisationId: mailcampId, slug: 'privacy' },
      });
      await setup(
        `mutation($input: NoticeVersionCreateInput!) { noticeVersionCreate(input: $input) { noticeVersion { id } userErrors { code } } }`,
        { input: { notice: gid('Notice', notice.id), version: 'adversarial-draft-2', effectiveDate: '2031-02-01' } },
        'noticeVersionCreate',
      );
      await setup(
        `mutation { contactCreate(input: { organisation: "mailcamp", kind: GENERAL, email: "adversarial-sse@mailcamp.nl" }) { contact { id } userErrors { code } } }`,
        undefined,
        'contactCreate',
      );
      await eventually(async () => own.events.length >= 3, 'the writer to hear all three changes');
      await eventually(
        async () => anonymous.events.length >= 1 && other.events.length >= 1,
        'anonymous and the other key to hear the public change',
      );
      await new Promise((r) => setTimeout(r, 300));
    } finally {
      anonymous.close();
      other.close();
      own.close();
    }
    for (const [who, sub] of [
      ['anonymous', anonymous],
      ['other key', other],
      ['writer', own],
    ] as const) {
      for (const event of sub.events) {
        keep({
          what: `SSE organisationChanged (${who})`,
          status: 200,
          headers: {},
          text: JSON.stringify(event),
          body: event,
        });
      }
    }
    expect(own.events.map((e) => e.data?.organisationChanged?.entityType)).toEqual(
      expect.arrayContaining(['NoticeTranslation', 'NoticeVersion', 'Contact']),
    );
    for (const [who, sub] of [
      ['anonymous', anonymous],
      ["another organisation's key", other],
    ] as const) {
      const types = sub.events.map((e) => e.data?.organisationChanged?.entityType);
      expect(types, `${who} heard: ${JSON.stringify(sub.events)}`).toContain('Contact');
      expect(
        types.filter((t: string) => /^Notice(Version|Translation|Section)$/.test(t)),
        `${who} heard draft changes: ${JSON.stringify(sub.events)}`,
      ).toEqual([]);
      expect(JSON.stringify(sub.events)).not.toContain(SECRET);
      expect(JSON.stringify(sub.events)).not.toContain(draftId);
    }
  });

  it.each(callers)(
    'node(id: <AuditEvent>) and nodes for %s are plain nulls, the same as for an unknown id',
    async (caller) => {
      const query = `query($id: ID!) { node(id: $id) { id ... on AuditEvent { action before after actor { label keyPrefix } requestId } } }`;
      const event = await gql(api, query, { id: auditId }, headersOf(caller));
      const unknown = await gql(api, query, { id: gid('AuditEvent', UNKNOWN) }, headersOf(caller));
      expectSafe(event);
      expect(event.text).not.toContain(SECRET);
      expect(event.text).not.toContain(WRITER_LABEL);
      expect(event.body, excerpt(event)).toEqual({ data: { node: null } });
      expect(event.body, `an audit event answers unlike an unknown id — ${excerpt(unknown)}`).toEqual(unknown.body);
      const many = await gql(
        api,
        `query($ids: [ID!]!) { nodes(ids: $ids) { id ... on AuditEvent { before after } } }`,
        { ids: [auditId, gid('AuditEvent', UNKNOWN)] },
        headersOf(caller),
      );
      expectSafe(many);
      expect(many.body, excerpt(many)).toEqual({ data: { nodes: [null, null] } });
    },
  );

  it.each(callers)(
    'auditEvents(organisation: "mailcamp") for %s: that field null with FORBIDDEN, sibling fields still answered',
    async (caller) => {
      const a = await gql(
        api,
        `{ auditEvents(organisation: "mailcamp") { totalCount nodes { before after actor { label } } } organisation(slug: "mailcamp") { name } }`,
        undefined,
        headersOf(caller),
      );
      expectSafe(a);
      expect(a.text).not.toContain(SECRET);
      expect(a.text).not.toContain(WRITER_LABEL);
      const forbidden = errorsOf(a).filter((e) => e?.extensions?.code === 'FORBIDDEN');
      expect(forbidden.length, `no FORBIDDEN error — ${excerpt(a)}`).toBeGreaterThan(0);
      expect(forbidden[0].path, excerpt(a)).toEqual(['auditEvents']);
      expect(
        a.body?.data,
        `the whole answer is lost (data: null) for one forbidden field — ${excerpt(a)}`,
      ).not.toBeNull();
      expect(a.body?.data?.auditEvents, excerpt(a)).toBeNull();
      expect(a.body?.data?.organisation?.name, excerpt(a)).toBe('MailCamp');
    },
  );

  it("a mailcamp key cannot read another organisation's trail, nor reach it through entityId", async () => {
    const found = await gql(api, `{ organisation(slug: "mimecast") { processors(first: 1) { nodes { id } } } }`);
    const mimecastProcessor = found.body?.data?.organisation?.processors?.nodes?.[0]?.id;
    expect(mimecastProcessor, excerpt(found)).toBeTruthy();
    const a = await gql(
      api,
      `query($id: ID) { other: auditEvents(organisation: "mimecast") { totalCount } own: auditEvents(organisation: "mailcamp", entityId: $id) { totalCount } organisation(slug: "mimecast") { name } }`,
      { id: mimecastProcessor },
      auth(writer),
    );
    expectSafe(a);
    expect(codesOf(a), excerpt(a)).toContain('FORBIDDEN');
    expect(a.body?.data, `the whole answer is lost for one forbidden field — ${excerpt(a)}`).not.toBeNull();
    expect(a.body?.data?.other, excerpt(a)).toBeNull();
    expect(a.body?.data?.own?.totalCount, excerpt(a)).toBe(0);
    expect(a.body?.data?.organisation?.name, excerpt(a)).toBe('Mimecast');
  });

  it.each(callers)('Processor.history for %s is null everywhere and carries no audit detail', async (caller) => {
    const a = await gql(
      api,
      `{ processors(name: "Adversarial Audited") { nodes { name history { totalCount nodes { before after actor { label keyPrefix } } } } }
         organisation(slug: "mailcamp") { processors(first: 100) { nodes { history { totalCount } } } } }`,
      undefined,
      headersOf(caller),
    );
    expectSafe(a);
    expect(a.text).not.toContain(WRITER_LABEL);
    const global = a.body?.data?.processors?.nodes ?? [];
    expect(global.length, `the audited processor is listed — ${excerpt(a)}`).toBe(1);
    for (const p of [...global, ...(a.body?.data?.organisation?.processors?.nodes ?? [])]) {
      expect(p.history, excerpt(a)).toBeNull();
    }
  });
});

// ---- 2. Crafted cursors and ids -------------------------------------------------

describe('crafted cursors and ids', () => {
  const cursors: [string, string][] = [
    ['base64 of JSON', b64('{"id":"00000000-0000-4000-8000-000000000000"}')],
    ['GPC:S:not-a-uuid', b64('GPC:S:not-a-uuid')],
    ['an empty id (GPC:S:)', b64('GPC:S:')],
    ['a negative number', b64('-1')],
    ['GPC:N:-1', b64('GPC:N:-1')],
    ['a NUL in the id', b64('GPC:S:\u0000')],
    ['garbage', '!!!garbage!!!'],
    ['10 KB of base64', b64(`GPC:S:${'a'.repeat(7_500)}`)],
  ];
  const connections: [string, (cursor: string) => string][] = [
    ['organisations(after:)', (c) => `{ organisations(after: ${JSON.stringify(c)}) { totalCount edges { cursor } } }`],
    ['processors(after:)', (c) => `{ processors(after: ${JSON.stringify(c)}) { totalCount nodes { name } } }`],
    [
      'Organisation.processors(after:)',
      (c) =>
        `{ organisation(slug: "mailcamp") { name processors(after: ${JSON.stringify(c)}) { totalCount nodes { name } } } }`,
    ],
    [
      'organisations(before:)',
      (c) => `{ organisations(last: 2, before: ${JSON.stringify(c)}) { totalCount edges { cursor } } }`,
    ],
  ];
  const table = connections.flatMap(([field, query]) =>
    cursors.map(([kind, cursor]) => ({ field, kind, query: query(cursor) })),
  );

  it.each(table)('$field with a cursor of $kind is refused as BAD_USER_INPUT', async ({ query }) => {
    const a = await gql(api, query);
    expectRefused(a, { code: 'BAD_USER_INPUT', message: /after|before|cursor/i });
    expect(a.text.length, `the cursor is echoed back — ${excerpt(a)}`).toBeLessThan(3_000);
  });

  it.each([
    [
      'auditEvents(after:)',
      `{ auditEvents(organisation: "mailcamp", after: "${b64('GPC:S:not-a-uuid')}") { totalCount nodes { id } } }`,
    ],
    [
      'Processor.history(after:)',
      `{ organisation(slug: "mailcamp") { processors(first: 1) { nodes { history(after: "${b64('GPC:S:not-a-uuid')}") { totalCount nodes { id } } } } } }`,
    ],
  ])('%s with a crafted cursor, for a key that may read it, is refused as BAD_USER_INPUT', async (_name, query) => {
    const a = await gql(api, query, undefined, auth(writer));
    expectRefused(a, { code: 'BAD_USER_INPUT', message: /after|cursor/i });
  });

  it.each(['-5', '-1', '99999999999999999999', '9007199254740993', '1e308', 'NaN', 'Infinity', '', 'x'])(
    'searchNotices(query: "privacy", after: <OffsetConnection:%s>) answers an empty page or BAD_USER_INPUT',
    async (offset) => {
      const a = await gql(
        api,
        `query($after: String) { searchNotices(query: "privacy", after: $after) { totalCount edges { cursor } } }`,
        {
          after: b64(`OffsetConnection:${offset}`),
        },
      );
      expectSafe(a);
      if (errorsOf(a).length > 0) expectRefused(a, { code: 'BAD_USER_INPUT' });
      else expect(typeof a.body?.data?.searchNotices?.totalCount, excerpt(a)).toBe('number');
    },
  );

  it('searchNotices(before:) with a negative offset answers an empty page or BAD_USER_INPUT', async () => {
    const a = await gql(
      api,
      `query($c: String) { searchNotices(query: "privacy", last: 5, before: $c) { totalCount } }`,
      {
        c: b64('OffsetConnection:-100'),
      },
    );
    expectSafe(a);
    if (errorsOf(a).length > 0) expectRefused(a, { code: 'BAD_USER_INPUT' });
  });

  it.each([
    ['Processor:not-a-uuid', b64('Processor:not-a-uuid')],
    ['an unknown type', gid('Nope', UNKNOWN)],
    ['a type that is not a Node', gid('PageInfo', UNKNOWN)],
    ['__proto__ as the type', gid('__proto__', UNKNOWN)],
    ['an empty string', ''],
    ['10 KB of letters', 'A'.repeat(10_000)],
    ['an id with 7 KB after the uuid', gid('Processor', `${UNKNOWN}${'x'.repeat(7_000)}`)],
    ['a path', '../../etc/passwd'],
    ['a bare uuid', UNKNOWN],
    ['a NUL before the uuid', gid('Processor', `\u0000${UNKNOWN}`)],
  ])('node(id: %s) is null with BAD_USER_INPUT naming "id", and does not echo the id', async (_name, id) => {
    const a = await gql(api, `query($id: ID!) { node(id: $id) { id } }`, { id });
    expectRefused(a, { code: 'BAD_USER_INPUT' });
    expect(a.body?.data, excerpt(a)).toEqual({ node: null });
    const error = errorsOf(a)[0];
    expect(error?.extensions?.argument === 'id' || /"id"/.test(String(error?.message)), excerpt(a)).toBe(true);
    expect(a.text.length, `the id is echoed back — ${excerpt(a)}`).toBeLessThan(2_000);
  });

  it('nodes(ids:) with malformed ids among good ones: the good ones answer, each bad one null with its own error', async () => {
    const found = await gql(api, `{ organisation(slug: "mailcamp") { id processors(first: 1) { nodes { id } } } }`);
    const org = found.body.data.organisation.id;
    const processor = found.body.data.organisation.processors.nodes[0].id;
    const a = await gql(api, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, {
      ids: [processor, 'not-an-id', org, gid('Nope', UNKNOWN), gid('Processor', UNKNOWN)],
    });
    expectSafe(a);
    expect(a.body?.data?.nodes, excerpt(a)).toEqual([{ id: processor }, null, { id: org }, null, null]);
    const errors = errorsOf(a);
    expect(
      errors.map((e) => e.path),
      excerpt(a),
    ).toEqual([
      ['nodes', 1],
      ['nodes', 3],
    ]);
    for (const e of errors) {
      expect(e.extensions?.code, excerpt(a)).toBe('BAD_USER_INPUT');
      expect(e.extensions?.argument === 'ids' || /"ids"/.test(e.message), excerpt(a)).toBe(true);
    }
  });

  it.each([
    ['organisations', `{ organisations(first: 2, last: 2) { totalCount edges { cursor } } }`],
    ['processors', `{ processors(first: 1, last: 1) { totalCount } }`],
    ['searchNotices', `{ searchNotices(query: "privacy", first: 1, last: 1) { totalCount } }`],
  ])('%s(first:, last:) together is refused with a code', async (_name, query) => {
    const a = await gql(api, query);
    expectRefused(a, { code: 'BAD_USER_INPUT', message: /first.*last|last.*first/i });
  });

  it.each([
    ['organisations', `{ organisations(first: 1000000) { totalCount } }`],
    ['processors', `{ processors(first: 1000000) { nodes { name } } }`],
    ['Organisation.processors', `{ organisation(slug: "mailcamp") { processors(first: 1000000) { totalCount } } }`],
    ['searchNotices', `{ searchNotices(query: "privacy", first: 1000000) { totalCount } }`],
  ])('%s(first: 1000000) written in the query says first must be at most 100, not a cost', async (_name, query) => {
    const a = await gql(api, query);
    expectRefused(a, { code: 'BAD_USER_INPUT', message: /"?first"?.*\b100\b/, notMessage: /cost/i });
  });
});

// ---- 3. Inputs that crash ---------------------------------------------------------

describe('inputs that crash', () => {
  const DEEP = 150_000;

  it.each([
    ['an unused variable', `{"query":"{ __typename }","variables":{"v":${nested(DEEP)}}}`],
    [
      'a variable the query uses',
      `{"query":"query($v: [ID!]!) { nodes(ids: $v) { id } }","variables":{"v":${nested(DEEP)}}}`,
    ],
    ['the extensions', `{"query":"{ __typename }","extensions":{"x":${nested(DEEP)}}}`],
    [
      'an input object',
      `{"query":"mutation($i: ProcessorCreateInput!) { processorCreate(input: $i) { userErrors { code } } }","variables":{"i":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}}`,
    ],
  ])('JSON nested 150,000 deep in %s (a POST body under the limit) is a 4xx', async (_name, body) => {
    expect(body.length).toBeLessThan(1_000_000);
    const a = await call(api, { body, headers: auth(writer) });
    expectRefused(a);
    expect(a.status, excerpt(a)).toBeGreaterThanOrEqual(400);
  });

  it('variables nested 150,000 deep in a GET (a 300 KB URL) are a 4xx with a JSON body', async () => {
    const a = await call(api, {
      method: 'GET',
      path: `/graphql?query=${encodeURIComponent('{ __typename }')}&variables={"v":${nested(DEEP)}}`,
      headers: { accept: 'application/json' },
      bare: true,
    });
    expectRefused(a);
  });

  it('variables nested 6,000 deep in a GET that fits the URL limit are refused with a code', async () => {
    const a = await call(api, {
      method: 'GET',
      path: `/graphql?query=${encodeURIComponent('query($v: [ID!]!) { nodes(ids: $v) { id } }')}&variables={"v":${nested(6_000)}}`,
      headers: { accept: 'application/json' },
      bare: true,
    });
    expectRefused(a);
  });

  const laughs = (() => {
    const lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'];
    const names = 'bcdefghi';
    for (let i = 0; i < names.length; i++) {
      const prev = i === 0 ? 'a' : names[i - 1];
      lines.push(`${names[i]}: &${names[i]} [${Array(9).fill(`*${prev}`).join(',')}]`);
    }
    return `${lines.join('\n')}\n`;
  })();

  it.each([true, false])(
    'a YAML alias bomb (billion laughs) to organisationApplyManifest, dryRun %s, is a user error',
    async (dryRun) => {
      const a = await gql(api, APPLY_MANIFEST, { manifest: laughs, dryRun }, auth(writer));
      const errors = expectMutationRefused(a, 'organisationApplyManifest', ['SYNTAX', 'INVALID', 'TOO_LONG']);
      expect(errors.length, `not a user error — ${excerpt(a)}`).toBeGreaterThan(0);
    },
  );

  it.each([
    ['flow sequences 50,000 deep', `organisation: ${nested(50_000)}\n`],
    ['flow mappings 30,000 deep', `organisation: ${'{a: '.repeat(30_000)}1${'}'.repeat(30_000)}\n`],
    ['block mappings 5,000 deep', Array.from({ length: 5_000 }, (_, i) => `${' '.repeat(i)}a:`).join('\n') + ' 1\n'],
  ])('a manifest nested %s is a user error', async (_name, manifest) => {
    const a = await gql(api, APPLY_MANIFEST, { manifest, dryRun: true }, auth(writer));
    const errors = expectMutationRefused(a, 'organisationApplyManifest');
    if (errors.length === 0) expect(a.status, excerpt(a)).toBeGreaterThanOrEqual(400);
  });

  it.each([
    ['NUL', '\u0000'],
    ['BEL', '\u0007'],
    ['ESC (an ANSI colour)', '\u001b[31m'],
    ['DEL', '\u007f'],
    ['a lone surrogate', '\ud800'],
  ])('a manifest holding %s is a user error or a 400', async (_name, character) => {
    const manifest = `organisation:\n  slug: mailcamp\n  name: Mail${character}Camp\n  defaultLocale: nl\n`;
    const a = await gql(api, APPLY_MANIFEST, { manifest, dryRun: true }, auth(writer));
    expectMutationRefused(a, 'organisationApplyManifest');
  });

  it('a manifest with __proto__ and constructor.prototype keys pollutes nothing and is answered safely', async () => {
    const text = await readFile(new URL('../manifests/mailcamp.yaml', import.meta.url), 'utf8');
    const manifest = text
      .replace(/^organisation:\n/m, 'organisation:\n  __proto__:\n    polluted: yes\n')
      .concat('\n__proto__:\n  polluted: yes\nconstructor:\n  prototype:\n    polluted: yes\n');
    const a = await gql(api, APPLY_MANIFEST, { manifest, dryRun: true }, auth(writer));
    expectSafe(a);
    expect(({} as any).polluted, 'Object.prototype was polluted').toBeUndefined();
  });

  it('a NUL written as a GraphQL escape in a mutation string literal is a 400 or a user error, and writes nothing', async () => {
    const before = await processorCount();
    const a = await gql(
      api,
      `mutation { processorCreate(input: { organisation: "mailcamp", name: "a\\u0000b", role: PROCESSOR, service: [{ locale: "en", text: "x" }], transferSafeguard: NOT_REQUIRED }) { processor { id } userErrors { field code message } } }`,
      undefined,
      auth(writer),
    );
    expectMutationRefused(a, 'processorCreate');
    expect(await processorCount()).toBe(before);
  });

  it('a NUL in mutation variables is a 400 or a user error, and writes nothing', async () => {
    const before = await processorCount();
    const a = await gql(api, PROCESSOR_CREATE, { input: processorInput('a\u0000b') }, auth(writer));
    expectMutationRefused(a, 'processorCreate');
    expect(await processorCount()).toBe(before);
  });

  it.each([
    [
      'a GraphQL escape in searchNotices(query:)',
      () => gql(api, `{ searchNotices(query: "priv\\u0000acy") { totalCount } }`),
    ],
    [
      'a variable of searchNotices(query:)',
      () => gql(api, `query($q: String!) { searchNotices(query: $q) { totalCount } }`, { q: 'priv\u0000acy' }),
    ],
    ['a GraphQL escape in organisation(slug:)', () => gql(api, `{ organisation(slug: "mail\\u0000camp") { name } }`)],
    ['a GraphQL escape in processors(name:)', () => gql(api, `{ processors(name: "zen\\u0000desk") { totalCount } }`)],
    [
      'a GraphQL escape in organisations(search:)',
      () => gql(api, `{ organisations(search: "\\u0000") { totalCount } }`),
    ],
    ['the operationName', () => gql(api, `query A { __typename }`, undefined, {}, { operationName: 'A\u0000' })],
  ])('a NUL in %s is refused with a code', async (_name, send) => {
    const a = await send();
    expectRefused(a, { code: ['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED', 'GRAPHQL_PARSE_FAILED'] });
  });

  it.each([
    ['a GraphQL escape in a query literal', () => gql(api, `{ processors(name: "zen\\ud800desk") { totalCount } }`)],
    [
      'a GraphQL escape in a mutation literal',
      () =>
        gql(
          api,
          `mutation { processorCreate(input: { organisation: "mailcamp", name: "x\\udfffy", role: PROCESSOR, service: [{ locale: "en", text: "x" }], transferSafeguard: NOT_REQUIRED }) { userErrors { code } } }`,
          undefined,
          auth(writer),
        ),
    ],
    [
      'a JSON escape in a variable',
      () =>
        call(api, {
          body: '{"query":"query($s: String) { processors(name: $s) { totalCount } }","variables":{"s":"\\udc00"}}',
        }),
    ],
  ])('a lone surrogate in %s is refused with a code', async (_name, send) => {
    const before = await processorCount();
    const a = await send();
    expectRefused(a);
    expect(await processorCount()).toBe(before);
  });

  it('a NUL 25 levels deep in a JSONObject variable is refused or a user error, never a fault', async () => {
    let privacy: any = { note: 'x\u0000y' };
    for (let i = 0; i < 25; i++) privacy = { a: privacy };
    const a = await gql(
      api,
      `mutation($input: OrganisationPrivacyUpdateInput!) { organisationPrivacyUpdate(input: $input) { userErrors { field code message } } }`,
      { input: { organisation: 'mimecast', privacy } },
      auth(outsider),
    );
    expectMutationRefused(a, 'organisationPrivacyUpdate');
  });
});

// ---- 4. Limits ------------------------------------------------------------------

describe('limits', () => {
  it('a chunked POST of 12 MB (no Content-Length) is a 413 and is not executed', async () => {
    const before = await processorCount();
    const a = await chunkedPost(api, {
      prefix: JSON.stringify({
        query: PROCESSOR_CREATE,
        variables: { input: processorInput('Chunked Smuggler') },
      }).replace(/}$/, ',"pad":"'),
      chunk: 'x'.repeat(65_536),
      count: 183,
      suffix: '"}',
      headers: auth(writer),
    });
    expectRefused(a, { status: 413, code: ['BODY_TOO_LARGE', 'PAYLOAD_TOO_LARGE', 'REQUEST_TOO_LARGE'] });
    expect(messagesOf(a).join(' '), excerpt(a)).toMatch(/1000000|1 ?MB|1,000,000/);
    expect(await processorCount(), 'the oversized mutation was executed').toBe(before);
  });

  it('a declared Content-Length of 50 MB is a 413 with a JSON body and a code', async () => {
    const a = await raw(
      api,
      `POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 50000000\r\nConnection: close\r\n\r\n{"query":`,
    );
    expectRefused(a, { status: 413 });
    expect(codesOf(a).length, `no code — ${excerpt(a)}`).toBeGreaterThan(0);
  });

  const limits: { name: string; code: string; limit: string; send: () => Promise<Answer> }[] = [
    { name: 'a query 20 levels deep', code: 'QUERY_TOO_DEEP', limit: '12', send: () => gql(api, deepQuery(20)) },
    {
      name: '40 aliases',
      code: 'TOO_MANY_ALIASES',
      limit: '30',
      send: () =>
        gql(
          api,
          `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: organisation(slug: "mailcamp") { name }`).join(' ')} }`,
        ),
    },
    {
      name: '40 aliases over GET',
      code: 'TOO_MANY_ALIASES',
      limit: '30',
      send: () =>
        getGql(api, {
          query: `{ ${Array.from({ length: 40 }, (_, i) => `a${i}: organisation(slug: "mailcamp") { name }`).join(' ')} }`,
        }),
    },
    {
      name: 'a query costing 5 million',
      code: 'QUERY_TOO_COSTLY',
      limit: '250000',
      send: () =>
        gql(
          api,
          `{ organisations(first: 100) { nodes { processors(first: 100) { nodes { organisation { processors(first: 100) { nodes { name } } } } } } } }`,
        ),
    },
    {
      name: '3,100 tokens',
      code: 'TOO_MANY_TOKENS',
      limit: '3000',
      send: () => gql(api, `{ organisation(slug: "mailcamp") { ${'name '.repeat(3_100)} } }`),
    },
    {
      name: '25 directives',
      code: 'TOO_MANY_DIRECTIVES',
      limit: '20',
      send: () => gql(api, `{ organisation(slug: "mailcamp") { ${'name @skip(if: false) '.repeat(25)} } }`),
    },
  ];

  it.each(limits)(
    '$name is refused like any invalid query (the same HTTP status), with code $code and a message stating the limit ($limit), not a "Syntax Error:"',
    async ({ code, limit, send }) => {
      // GraphQL over HTTP: an invalid query is 200 under application/json, 400 under application/graphql-response+json.
      const ordinary = (await gql(api, '{ noSuchField }')).status;
      const a = await send();
      expectRefused(a, { status: ordinary, code, message: new RegExp(`\\b${limit}\\b`), notMessage: /^Syntax Error:/ });
    },
  );

  it('an introspection query nested through fields/type/ofType is refused with a code, not amplified', async () => {
    let selection = 'name';
    for (let i = 0; i < 6; i++) {
      selection = `fields { name type { name ofType { name fields { name type { name ofType { ${selection} } } } } } }`;
    }
    const a = await gql(api, `{ __schema { types { ${selection} } } }`);
    expectRefused(a);
    expect(a.text.length, `amplified to ${a.text.length} bytes`).toBeLessThan(100_000);
  });

  describe('on the export routes like on /graphql', () => {
    let limited: ProductionServer;
    let limitedKey: Key;
    beforeAll(async () => {
      limited = await startProductionServer({
        settings: { rateLimit: { perMinute: 5, keyPerMinute: 5, trustProxy: false } },
      });
      limitedKey = await bearer(limited.db, ['read'], { label: 'rate limited key' });
    });
    afterAll(async () => {
      await limited?.close();
    });

    async function burst(send: (i: number) => Promise<Answer>, n = 8) {
      const got: Answer[] = [];
      for (let i = 0; i < n; i++) got.push(await send(i));
      return got;
    }
    function expectLimited(got: Answer[]) {
      const summary = got.map((a) => a.status).join(', ');
      const spent = got.filter((a) => a.status === 429);
      expect(spent.length, `no 429 in 8 requests with a budget of 5 per minute: ${summary}`).toBeGreaterThan(0);
      for (const a of spent) {
        expectRefused(a, { status: 429, code: 'RATE_LIMITED' });
        expect(a.headers['retry-after'] ?? '', `429 without Retry-After — ${excerpt(a)}`).toMatch(/^\d+$/);
      }
      for (const a of got) expectSafe(a);
    }

    it.each([
      '/organisations/mailcamp/tilt.json',
      '/organisations/mailcamp/dpv.jsonld',
      '/graphql?query=%7B__typename%7D',
    ])('GET %s is rate limited: 429 with Retry-After', async (path) => {
      expectLimited(
        await burst(() => call(limited, { method: 'GET', path, headers: { accept: 'application/json' }, bare: true })),
      );
    });

    it('a fresh invalid bearer token per request does not buy a fresh budget', async () => {
      expectLimited(
        await burst((i) =>
          call(limited, {
            method: 'GET',
            path: '/organisations/mailcamp/tilt.json',
            headers: { authorization: `Bearer pfk_${randomUUID().replace(/-/g, '')}${i}` },
            bare: true,
          }),
        ),
      );
    });

    it('a fresh X-Forwarded-For per request does not buy a fresh budget (TRUST_PROXY off)', async () => {
      expectLimited(
        await burst((i) =>
          call(limited, {
            method: 'GET',
            path: '/organisations/mailcamp/dpv.jsonld',
            headers: { 'x-forwarded-for': `203.0.113.${i + 1}` },
            bare: true,
          }),
        ),
      );
    });

    it("a key's own budget is limited on the export routes too", async () => {
      expectLimited(
        await burst(() =>
          call(limited, {
            method: 'GET',
            path: '/organisations/mailcamp/tilt.json',
            headers: auth(limitedKey),
            bare: true,
          }),
        ),
      );
    });
  });

  describe('the request log', () => {
    let observed: ProductionServer;
    const lines: any[] = [];
    beforeAll(async () => {
      const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(parseJson(line) ?? { line }) });
      observed = await startProductionServer({ logger });
    });
    afterAll(async () => {
      await observed?.close();
    });

    it.each([
      ['/organisations/mailcamp/tilt.json', 200],
      ['/organisations/mailcamp/dpv.jsonld', 200],
      ['/organisations/no-such-org/tilt.json', 404],
      ['/organisations/no-such-org/dpv.jsonld', 404],
      ['/organisations/mailcamp/tilt.json?locale=de_AT', 400],
    ] as const)('GET %s appears in the request log with its path and status %i', async (path, status) => {
      const a = await call(observed, { method: 'GET', path, headers: { accept: 'application/json' }, bare: true });
      expectSafe(a);
      expect(a.status, excerpt(a)).toBe(status);
      const pathname = path.split('?')[0];
      await eventually(
        async () => lines.some((l) => l?.path === pathname && l?.status === status),
        `a log line with path ${pathname} and status ${status} (lines: ${JSON.stringify(lines.slice(-5))})`,
        5_000,
      );
    });
  });

  it.each([
    ['GET /organisations/no-such-org/tilt.json', { method: 'GET', path: '/organisations/no-such-org/tilt.json' }],
    ['GET /organisations/no-such-org/dpv.jsonld', { method: 'GET', path: '/organisations/no-such-org/dpv.jsonld' }],
    ['GET tilt.json?locale=de_AT', { method: 'GET', path: '/organisations/mailcamp/tilt.json?locale=de_AT' }],
    ['POST to an export', { method: 'POST', path: '/organisations/mailcamp/tilt.json', body: '{}' }],
    ['GET an unknown path', { method: 'GET', path: '/admin' }],
    ['GET /graphql without a query', { method: 'GET', path: '/graphql' }],
    [
      'GET /graphql with a syntax error',
      { method: 'GET', path: `/graphql?query=${encodeURIComponent('{ organisation(')}` },
    ],
    [
      'GET /graphql with a malformed id',
      { method: 'GET', path: `/graphql?query=${encodeURIComponent('{ node(id: "bad") { id } }')}` },
    ],
    [
      'GET /graphql with a forbidden field',
      {
        method: 'GET',
        path: `/graphql?query=${encodeURIComponent('{ auditEvents(organisation: "mailcamp") { totalCount } }')}`,
      },
    ],
  ] as const)('an error answer to %s is not publicly cacheable', async (_name, init) => {
    const a = await call(api, { ...init, headers: { accept: 'application/json' }, bare: true });
    expectSafe(a);
    const isError = a.status >= 400 || errorsOf(a).length > 0 || typeof a.body?.error === 'string';
    expect(isError, `expected an error answer — ${excerpt(a)}`).toBe(true);
    expect(cacheControl(a), `an error answer is publicly cacheable — ${excerpt(a)}`).not.toMatch(/public/i);
    if (init.path.startsWith('/organisations/')) {
      expect(hasJsonError(a), `no JSON error body — ${excerpt(a)}`).toBe(true);
    }
  });
});

// ---- 5. Leaks in production -------------------------------------------------------

describe('leaks in production', () => {
  const misspellings: [string, () => Promise<Answer>][] = [
    [
      'enum value in a variable',
      () => gql(api, `query($s: ProcessorStatus) { processors(status: $s) { totalCount } }`, { s: 'ACTIV' }),
    ],
    [
      'enum value inside an input variable',
      () => gql(api, PROCESSOR_CREATE, { input: { ...processorInput('Typo'), role: 'PROCESOR' } }, auth(writer)),
    ],
    [
      'input field in a variable',
      () => {
        const { organisation, ...rest } = processorInput('Typo');
        return gql(api, PROCESSOR_CREATE, { input: { ...rest, organisaton: organisation } }, auth(writer));
      },
    ],
    [
      'input field in a literal',
      () =>
        gql(
          api,
          `mutation { processorCreate(input: { organisation: "mailcamp", nam: "x", role: PROCESSOR, service: [], transferSafeguard: NOT_REQUIRED }) { userErrors { code } } }`,
          undefined,
          auth(writer),
        ),
    ],
    ['field', () => gql(api, `{ organisation(slug: "mailcamp") { nam } }`)],
    ['root field', () => gql(api, `{ organisatio(slug: "mailcamp") { name } }`)],
    ['mutation', () => gql(api, `mutation { processorCreat(input: {}) { userErrors { code } } }`)],
    ['argument', () => gql(api, `{ organisation(slgu: "mailcamp") { name } }`)],
    [
      'type in a variable definition',
      () => gql(api, `query($s: ProcessorStatu) { processors(status: $s) { totalCount } }`),
    ],
    ['enum literal', () => gql(api, `{ processors(status: ACTIV) { totalCount } }`)],
    ['type condition', () => gql(api, `{ organisation(slug: "mailcamp") { ... on Organisaton { name } } }`)],
    ['directive', () => gql(api, `{ organisation(slug: "mailcamp") { name @skp(if: true) } }`)],
  ];

  it.each(misspellings)('a misspelt %s is refused with a code and no "Did you mean"', async (_name, send) => {
    const a = await send();
    expectRefused(a);
  });

  describe('introspection', () => {
    let closed: ProductionServer;
    beforeAll(async () => {
      closed = await startProductionServer({
        settings: { limits: { ...loadConfig({}).limits, introspection: false } },
      });
    });
    afterAll(async () => {
      await closed?.close();
    });

    it.each([
      ['__schema', `{ __schema { types { name } } }`],
      ['__type', `{ __type(name: "AuditEvent") { fields { name } } }`],
      ['__schema in a fragment', `{ ...F } fragment F on Query { s: __schema { queryType { name } } }`],
    ])('can be turned off: %s is refused with a code', async (_name, query) => {
      const a = await gql(closed, query);
      expectSafe(a);
      const answered = a.status === 200 && errorsOf(a).length === 0 && a.body?.data;
      expect(
        answered ? 'answered' : 'refused',
        `no setting turns introspection off: createApp({ settings: { introspection: false } }) (and the app option introspection: false) still answered ${query} — add one to AppSettings/Config (e.g. INTROSPECTION=false) — ${excerpt(a)}`,
      ).toBe('refused');
      expectRefused(a);
    });

    it('with introspection off, __typename and ordinary queries still answer', async () => {
      const a = await gql(closed, `{ __typename organisation(slug: "mailcamp") { __typename name } }`);
      expectSafe(a);
      expect(a.body, excerpt(a)).toEqual({
        data: { __typename: 'Query', organisation: { __typename: 'Organisation', name: 'MailCamp' } },
      });
    });
  });

  it('the ETag carries no counter of writes', async () => {
    const query = { query: '{ organisation(slug: "mailcamp") { name website } }' };
    const etags: string[] = [];
    for (let i = 0; i < 3; i++) {
      const a = await getGql(api, query);
      expectSafe(a);
      expect(a.headers.etag, `no ETag on a cacheable public GET — ${excerpt(a)}`).toBeTruthy();
      etags.push(a.headers.etag!);
      const write = await gql(
        api,
        `mutation($email: String) { contactCreate(input: { organisation: "mailcamp", kind: GENERAL, email: $email }) { userErrors { code } } }`,
        { email: `etag-${i}-${Date.now()}@mailcamp.nl` },
        auth(writer),
      );
      expect(write.body?.data?.contactCreate?.userErrors, excerpt(write)).toEqual([]);
    }
    for (const etag of etags)
      expect(etag, `the ETag shows the cache generation: ${etags.join(' ')}`).not.toMatch(/:g\d+/);
    const tails = etags.map((e) => Number(/(\d+)"?$/.exec(e)?.[1] ?? NaN));
    const counts = tails.every(Number.isFinite) && tails.every((t, i) => i === 0 || t === tails[i - 1]! + 1);
    expect(counts, `the ETags count writes: ${etags.join(' ')}`).toBe(false);
  });

  /** Every IRI in a JSON-LD document: @id values and strings that look like URLs. */
  function irisOf(value: unknown, found: string[] = []): string[] {
    if (typeof value === 'string') {
      if (/^[a-z][a-z0-9+.-]*:/i.test(value) && !/^(dpv|eu-gdpr|loc|dct|schema|xsd):/.test(value)) found.push(value);
    } else if (Array.isArray(value)) value.forEach((v) => irisOf(v, found));
    else if (value && typeof value === 'object') Object.values(value).forEach((v) => irisOf(v, found));
    return found;
  }

  it.each([
    ['X-Forwarded-Proto: javascript', { 'x-forwarded-proto': 'javascript' }, /^javascript:/i],
    ['X-Forwarded-Proto: https (TRUST_PROXY off)', { 'x-forwarded-proto': 'https' }, /^https:\/\/127\.0\.0\.1/],
    ['X-Forwarded-Host: evil.example', { 'x-forwarded-host': 'evil.example' }, /evil\.example/],
    ['X-Forwarded-Proto: "http://evil.example/#"', { 'x-forwarded-proto': 'http://evil.example/#' }, /evil\.example/],
  ])('%s does not reach the DPV document IRIs', async (_name, headers, forbidden) => {
    const a = await call(api, { method: 'GET', path: '/organisations/mailcamp/dpv.jsonld', headers, bare: true });
    expectSafe(a);
    expect(a.status, excerpt(a)).toBe(200);
    const iris = irisOf(a.body);
    expect(iris.length, excerpt(a)).toBeGreaterThan(0);
    expect(
      iris.filter((iri) => forbidden.test(iri)),
      `forged IRIs in the DPV document`,
    ).toEqual([]);
    expect(a.body['@id'], excerpt(a)).toMatch(/^https?:\/\//);
  });

  describe('metrics', () => {
    let observed: ProductionServer;
    beforeAll(async () => {
      observed = await startProductionServer({ settings: { metrics: true } });
    });
    afterAll(async () => {
      await observed?.close();
    });

    it('carry no query string, secret or client-chosen path in any label', async () => {
      const marker = `SECRETMARK${randomUUID().slice(0, 8)}`;
      await call(observed, {
        method: 'GET',
        path: `/graphql?query=${encodeURIComponent('{ __typename }')}&token=${marker}1`,
        headers: { accept: 'application/json' },
        bare: true,
      });
      await call(observed, {
        method: 'GET',
        path: `/graphql?query=${encodeURIComponent(`{ organisations(search: "${marker}2") { totalCount } }`)}`,
        headers: { accept: 'application/json' },
        bare: true,
      });
      await call(observed, {
        path: `/graphql?x=${marker}3`,
        body: JSON.stringify({ query: `query ${marker}4 { __typename }`, operationName: `${marker}4` }),
      });
      await call(observed, {
        method: 'GET',
        path: `/organisations/mailcamp/tilt.json?locale=en&key=${marker}5`,
        bare: true,
      });
      await call(observed, { method: 'GET', path: `/${marker}6/probe?x=1`, bare: true });
      await call(observed, { method: 'GET', path: `/organisations/${marker.toLowerCase()}7/tilt.json`, bare: true });
      const m = await call(observed, { method: 'GET', path: '/metrics', bare: true });
      expect(m.status, excerpt(m)).toBe(200);
      const values: string[] = [];
      for (const line of m.text.split('\n')) {
        if (line.startsWith('#')) continue;
        const labels = /\{(.*)\}/.exec(line)?.[1] ?? '';
        for (const [, , value] of labels.matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) values.push(value!);
      }
      expect(values.length, 'no labelled metrics at all').toBeGreaterThan(0);
      expect(
        values.filter((v) => v.includes('?')),
        'label values with a query string',
      ).toEqual([]);
      expect(
        values.filter((v) => /secretmark/i.test(v)),
        'label values a client chose',
      ).toEqual([]);
    });
  });
});

// ---- 6. Refusals clients can act on ---------------------------------------------

describe('refusals clients can act on', () => {
  const unparsable = 'organisation: [unclosed\n  slug: mailcamp\n';
  it.each([
    ['write:mailcamp', () => writer],
    ['write:mimecast', () => outsider],
    ['write:*', () => wildcard],
  ] as const)(
    'an unparsable manifest sent with a %s key is told SYNTAX, not that the key lacks a scope',
    async (_name, key) => {
      for (const dryRun of [true, false]) {
        const a = await gql(api, APPLY_MANIFEST, { manifest: unparsable, dryRun }, auth(key()));
        const errors = expectMutationRefused(a, 'organisationApplyManifest');
        expect(
          errors.map((e) => e.code),
          excerpt(a),
        ).toContain('SYNTAX');
        expect(
          errors.map((e) => e.code),
          excerpt(a),
        ).not.toContain('FORBIDDEN');
      }
    },
  );

  it('a manifest that parses but is not a mapping is told what is wrong, not FORBIDDEN', async () => {
    const a = await gql(api, APPLY_MANIFEST, { manifest: '- just\n- a list\n', dryRun: true }, auth(writer));
    const errors = expectMutationRefused(a, 'organisationApplyManifest');
    expect(errors.length, excerpt(a)).toBeGreaterThan(0);
    expect(
      errors.map((e) => e.code),
      excerpt(a),
    ).not.toContain('FORBIDDEN');
  });

  it.each([
    ['that would change its name', (text: string) => text.replace(/^(\s+name:) Mimecast$/m, '$1 Mimecast Hijacked')],
    // Else a dry run is an oracle: "no changes" confirms a guess of the organisation's
    // data, drafts included, to a key that may not read them.
    ['that would change nothing', (text: string) => text],
  ])('a manifest of another organisation %s is FORBIDDEN for a mailcamp key', async (_name, edit) => {
    const text = await readFile(new URL('../manifests/mimecast.yaml', import.meta.url), 'utf8');
    const manifest = edit(text);
    const a = await gql(api, APPLY_MANIFEST, { manifest, dryRun: true }, auth(writer));
    const errors = expectMutationRefused(a, 'organisationApplyManifest', ['FORBIDDEN']);
    expect(errors.length, `not refused — ${excerpt(a)}`).toBeGreaterThan(0);
  });

  it('errors in variables (GraphQL coercion) carry a code', async () => {
    // 1e400 is Infinity once parsed: not an Int.
    const a = await call(api, {
      body: '{"query":"query($n: Int) { organisations(first: $n) { totalCount } }","variables":{"n":1e400}}',
    });
    expectRefused(a, { code: ['BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED'] });
  });
});

// ---- 7. Beyond: more an attacker would try ----------------------------------------

describe('more an attacker would try', () => {
  it('a batch of 50 mutations is refused and writes nothing', async () => {
    const before = await processorCount();
    const batch = Array.from({ length: 50 }, (_, i) => ({
      query: PROCESSOR_CREATE,
      variables: { input: processorInput(`Batched ${i}`) },
    }));
    const a = await call(api, { body: JSON.stringify(batch), headers: auth(writer) });
    expectRefused(a);
    expect(await processorCount()).toBe(before);
  });

  it('a mutation over GET with a write key is a 405 and writes nothing', async () => {
    const before = await processorCount();
    const a = await getGql(
      api,
      { query: PROCESSOR_CREATE, variables: JSON.stringify({ input: processorInput('GET Smuggler') }) },
      auth(writer),
    );
    expectRefused(a, { status: 405 });
    expect(await processorCount()).toBe(before);
  });

  it('a GET whose operationName picks the mutation of a two-operation document is a 405 and writes nothing', async () => {
    const before = await processorCount();
    const a = await getGql(
      api,
      {
        query: `query Harmless { __typename } ${PROCESSOR_CREATE.replace('mutation(', 'mutation Evil(')}`,
        operationName: 'Evil',
        variables: JSON.stringify({ input: processorInput('OperationName Smuggler') }),
      },
      auth(writer),
    );
    expectRefused(a, { status: 405 });
    expect(await processorCount()).toBe(before);
  });

  it('a form-encoded POST of a mutation is refused like text/plain, and writes nothing', async () => {
    const before = await processorCount();
    const a = await call(api, {
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json', ...auth(writer) },
      bare: true,
      body: new URLSearchParams({
        query: PROCESSOR_CREATE,
        variables: JSON.stringify({ input: processorInput('Form Smuggler') }),
      }).toString(),
    });
    expectRefused(a);
    expect(await processorCount()).toBe(before);
  });

  it('a mutation registered as a persisted query cannot be replayed over GET by its hash', async () => {
    const before = await processorCount();
    const query = PROCESSOR_CREATE;
    const sha256Hash = createHash('sha256').update(query).digest('hex');
    const extensions = { persistedQuery: { version: 1, sha256Hash } };
    // Anonymous: refused for lack of a key, but the hash is now known.
    const registered = await gql(api, query, { input: processorInput('APQ Smuggler') }, {}, { extensions });
    expectSafe(registered);
    const a = await getGql(
      api,
      { extensions: JSON.stringify(extensions), variables: JSON.stringify({ input: processorInput('APQ Smuggler') }) },
      auth(writer),
    );
    expectRefused(a);
    expect(await processorCount(), 'a GET by hash executed a mutation').toBe(before);
  });

  it.each([
    [
      'a hash that does not match its query',
      { query: '{ __typename }', extensions: { persistedQuery: { version: 1, sha256Hash: 'a'.repeat(64) } } },
    ],
    ['a path as the hash', { extensions: { persistedQuery: { version: 1, sha256Hash: '../../etc/passwd' } } }],
    ['a number as the hash', { extensions: { persistedQuery: { version: 1, sha256Hash: 123 } } }],
    ['a 100 KB hash', { extensions: { persistedQuery: { version: 1, sha256Hash: 'f'.repeat(100_000) } } }],
    ['a string as persistedQuery', { extensions: { persistedQuery: 'yes' } }],
    ['a string as extensions', { query: '{ __typename }', extensions: 'persisted' }],
    ['a list as extensions', { query: '{ __typename }', extensions: [1, 2] }],
  ])('persisted queries: %s is answered with a code', async (_name, body) => {
    const a = await call(api, { body: JSON.stringify(body) });
    expectSafe(a);
    if (errorsOf(a).length > 0 || a.status >= 400) expectRefused(a);
    expect(a.text.length, `echoed back — ${excerpt(a)}`).toBeLessThan(5_000);
  });

  it('a 500 KB operationName is refused with a code and not echoed back', async () => {
    const a = await gql(api, `query A { __typename }`, undefined, {}, { operationName: 'x'.repeat(500_000) });
    expectRefused(a);
    expect(a.text.length, `echoed back — ${excerpt(a)}`).toBeLessThan(10_000);
  });

  it('duplicate JSON keys are read the same way by the cache and by execution', async () => {
    const dup = await call(api, {
      body: '{"query":"{ organisation(slug: \\"mimecast\\") { name } }","query":"{ organisation(slug: \\"mailcamp\\") { name } }"}',
    });
    const single = await gql(api, `{ organisation(slug: "mailcamp") { name } }`);
    expectSafe(dup);
    expect(dup.body, excerpt(dup)).toEqual(single.body);
    const again = await call(api, {
      body: '{"query":"{ organisation(slug: \\"mailcamp\\") { name } }","query":"{ organisation(slug: \\"mimecast\\") { name } }"}',
    });
    expect(again.body?.data?.organisation?.name, `the cache answered one for the other — ${excerpt(again)}`).toBe(
      'Mimecast',
    );
  });

  it('__proto__ in variables does not supply a variable, and pollutes nothing', async () => {
    const all = await gql(api, `{ organisations { totalCount } }`);
    const a = await call(api, {
      body: '{"query":"query($search: String) { organisations(search: $search) { totalCount } }","variables":{"__proto__":{"search":"mailcamp"}}}',
    });
    expectSafe(a);
    expect(a.body?.data?.organisations?.totalCount, excerpt(a)).toBe(all.body?.data?.organisations?.totalCount);
    expect(({} as any).search).toBeUndefined();
  });

  it('__proto__ and constructor keys in an input object are refused with a code and pollute nothing', async () => {
    const before = await processorCount();
    const input = JSON.stringify(processorInput('Proto')).replace(
      /}$/,
      ',"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}',
    );
    const a = await call(api, {
      body: `{"query":${JSON.stringify(PROCESSOR_CREATE)},"variables":{"input":${input}}}`,
      headers: auth(writer),
    });
    expectMutationRefused(a, 'processorCreate');
    expect(({} as any).polluted, 'Object.prototype was polluted').toBeUndefined();
    expect(await processorCount()).toBe(before);
  });

  it('__proto__ in a JSONObject (privacy facts) pollutes nothing and is answered safely', async () => {
    const a = await call(api, {
      body: `{"query":"mutation($input: OrganisationPrivacyUpdateInput!) { organisationPrivacyUpdate(input: $input) { userErrors { field code message } } }","variables":{"input":{"organisation":"mimecast","privacy":{"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}}}}}}`,
      headers: auth(outsider),
    });
    expectSafe(a);
    expect(({} as any).polluted, 'Object.prototype was polluted').toBeUndefined();
  });

  it.each([
    ['fullwidth letters', 'ｍａｉｌｃａｍｐ'],
    ['a zero-width space', 'mailcamp\u200b'],
    ['capitals', 'MAILCAMP'],
    ['a Cyrillic а', 'm\u0430ilcamp'],
    ['a combining accent', 'mailcamp\u0301'],
    ['a dotless ı', 'ma\u0131lcamp'],
    ['a trailing space', 'mailcamp '],
    ['an SQL quote', "mailcamp' OR '1'='1"],
    ['a LIKE wildcard', 'mail%'],
  ])(
    'organisation(slug:) with %s finds nothing (no homograph, no normalisation, no injection)',
    async (_name, slug) => {
      const a = await gql(api, `query($slug: String!) { organisation(slug: $slug) { slug } }`, { slug });
      expectSafe(a);
      if (errorsOf(a).length > 0) expectRefused(a, { code: 'BAD_USER_INPUT' });
      else expect(a.body, excerpt(a)).toEqual({ data: { organisation: null } });
    },
  );

  it.each([
    ['a Cyrillic а', 'm\u0430ilcamp'],
    ['fullwidth letters', 'ｍａｉｌｃａｍｐ'],
    ['a zero-width space', 'mailcamp\u200b'],
    ['a combining accent', 'mailcampe\u0301'],
    ['capitals', 'MailCamp'],
    ['a right-to-left override', 'pmacliam\u202e'],
  ])('organisationCreate with a slug holding %s is a user error and creates nothing', async (_name, slug) => {
    const before = await organisationCount();
    const a = await gql(
      api,
      `mutation($input: OrganisationCreateInput!) { organisationCreate(input: $input) { organisation { slug } userErrors { field code message } } }`,
      { input: { slug, name: 'Homograph', defaultLocale: 'en' } },
      auth(wildcard),
    );
    const errors = expectMutationRefused(a, 'organisationCreate');
    expect(errors.length, `accepted — ${excerpt(a)}`).toBeGreaterThan(0);
    expect(await organisationCount()).toBe(before);
  });

  it.each([
    ['a percent-encoded Cyrillic а', '/organisations/m%D0%B0ilcamp/tilt.json'],
    ['capitals', '/organisations/MailCamp/dpv.jsonld'],
    ['an encoded slash', '/organisations/mail%2Fcamp/tilt.json'],
    ['a dot-dot segment', '/organisations/../organisations/mailcamp/tilt.json'],
    ['an 81-character slug', `/organisations/${'a'.repeat(81)}/tilt.json`],
  ])('an export path with %s is a 4xx with a JSON error, not publicly cacheable', async (_name, path) => {
    const a = await raw(
      api,
      `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\nConnection: close\r\n\r\n`,
    );
    expectSafe(a);
    if (a.status === 200) {
      // Only a path that normalises to a real export may answer it.
      expect(path, excerpt(a)).toMatch(/\.\.\/organisations\/mailcamp/);
      return;
    }
    expectRefused(a);
  });

  it.each([
    `'; DROP TABLE "Organisation"; --`,
    `a' OR '1'='1`,
    'a:* & b',
    '!!! ||| &&&',
    '\\',
    '(((((',
    '<->',
    '"unterminated',
    '-',
    'OR',
    '*',
    '%',
    '$$ select 1 $$',
    'ä'.repeat(200),
  ])('searchNotices(query: %j) is answered or refused with a code', async (query) => {
    const a = await gql(
      api,
      `query($q: String!) { searchNotices(query: $q, first: 5) { totalCount edges { node { snippetHtml } } } }`,
      {
        q: query,
      },
    );
    expectSafe(a);
    if (errorsOf(a).length > 0) expectRefused(a, { code: 'BAD_USER_INPUT' });
    else expect(typeof a.body?.data?.searchNotices?.totalCount, excerpt(a)).toBe('number');
    expect(a.text).not.toMatch(/<script/i);
  });

  it('LIKE wildcards in organisations(search:) and processors(name:) match literally', async () => {
    const a = await gql(
      api,
      `{ percent: organisations(search: "%") { totalCount } underscore: organisations(search: "_") { totalCount } processors(name: "%") { totalCount } p2: processors(name: "_") { totalCount } }`,
    );
    expectSafe(a);
    expect(a.body?.data, `a wildcard matched everything — ${excerpt(a)}`).toEqual({
      percent: { totalCount: 0 },
      underscore: { totalCount: 0 },
      processors: { totalCount: 0 },
      p2: { totalCount: 0 },
    });
  });

  it.each([
    ['a literal', () => gql(api, `{ processors(country: "NL' OR 1=1 --") { totalCount } }`)],
    [
      'a variable',
      () => gql(api, `query($c: CountryCode) { processors(country: $c) { totalCount } }`, { c: "NL' OR 1=1 --" }),
    ],
  ])('an SQL-ish country code in %s is refused with a code', async (_name, send) => {
    expectRefused(await send());
  });

  it('an SQL-ish entityType in auditEvents matches nothing', async () => {
    const a = await gql(
      api,
      `{ auditEvents(organisation: "mailcamp", entityType: "Processor' OR '1'='1") { totalCount } }`,
      undefined,
      auth(writer),
    );
    expectSafe(a);
    expect(a.body?.data?.auditEvents?.totalCount, excerpt(a)).toBe(0);
  });

  it.each([
    [
      '15 KB of language ranges',
      Array.from({ length: 1_100 }, (_, i) => `x${i % 10}-Y${i % 7};q=0.${i % 9}`)
        .join(', ')
        .slice(0, 15_000),
    ],
    ['15 KB of one letter', 'a'.repeat(15_000)],
    ['markup and bad qualities', '<script>alert(1)</script>, de_AT;q=abc, *;q=2, en;q=-1, ;;;,,,'],
  ])('an Accept-Language of %s is answered with a well-formed requestedLocale', async (_name, value) => {
    const started = Date.now();
    const a = await gql(
      api,
      `{ organisation(slug: "mailcamp") { notice { requestedLocale resolvedLocale } } }`,
      undefined,
      {
        'accept-language': value,
      },
    );
    expectSafe(a);
    expect(Date.now() - started, 'slow to parse Accept-Language').toBeLessThan(20_000);
    const notice = a.body?.data?.organisation?.notice;
    expect(notice, excerpt(a)).toBeTruthy();
    expect(notice.requestedLocale, excerpt(a)).toMatch(/^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/);
    expect(a.text).not.toContain('<script>');
  });

  describe('Authorization header abuse', () => {
    const values: [string, () => string][] = [
      ['an empty Bearer', () => 'Bearer'],
      ['Bearer and a space', () => 'Bearer '],
      ['Basic credentials', () => 'Basic dXNlcjpwYXNz'],
      ['an SQL-ish token', () => "Bearer pfk_' OR 1=1 --"],
      ['a 12 KB token', () => `Bearer ${'A'.repeat(12_000)}`],
      ["a real key's prefix alone", () => `Bearer ${writer.authorization.slice(7, 7 + 16)}`],
      ['a real key with one character more', () => `${writer.authorization}x`],
      ['a real key with one character less', () => writer.authorization.slice(0, -1)],
      ['two keys joined', () => `${outsider.authorization}, ${writer.authorization}`],
      ['a non-ASCII token', () => 'Bearer pfk_\u00e9\u00e8'],
    ];

    it.each(values)(
      '%s on a read is answered (anonymously) or refused with a code, never echoed',
      async (_name, value) => {
        const a = await gql(api, `{ organisation(slug: "mailcamp") { name } }`, undefined, { authorization: value() });
        expectSafe(a);
        if (a.status >= 400 || errorsOf(a).length > 0) expectRefused(a);
        else expect(a.body?.data?.organisation?.name, excerpt(a)).toBe('MailCamp');
        expect(a.text.length, `echoed back — ${excerpt(a)}`).toBeLessThan(5_000);
      },
    );

    it.each(values.filter(([name]) => name !== 'two keys joined'))(
      '%s on a mutation is refused (FORBIDDEN) and writes nothing',
      async (_name, value) => {
        const before = await processorCount();
        const a = await gql(api, PROCESSOR_CREATE, { input: processorInput('Auth Abuse') }, { authorization: value() });
        expectMutationRefused(a, 'processorCreate', ['FORBIDDEN']);
        expect(await processorCount()).toBe(before);
      },
    );

    it('two keys joined in one header do not grant the union of their scopes', async () => {
      const before = await processorCount();
      const a = await gql(
        api,
        PROCESSOR_CREATE,
        { input: processorInput('Joined Keys') },
        {
          authorization: `${outsider.authorization}, ${writer.authorization}`,
        },
      );
      expectMutationRefused(a, 'processorCreate', ['FORBIDDEN']);
      expect(await processorCount()).toBe(before);
    });
  });

  it.each([
    ['markup', '<script>alert(1)</script>'],
    ['5 KB', 'a'.repeat(5_000)],
    ['a log-forging newline (encoded)', 'abc%0d%0aforged: yes'],
  ])('an X-Request-Id of %s is not echoed back', async (_name, id) => {
    const a = await gql(api, `{ __typename }`, undefined, { 'x-request-id': id });
    expectSafe(a);
    expect(a.headers['x-request-id'] ?? '', excerpt(a)).toMatch(/^[\w.:-]{1,100}$/);
  });

  it.each(['PUT', 'DELETE', 'PATCH'])('%s /graphql is refused with a JSON body and a code', async (method) => {
    const a = await call(api, { method, body: JSON.stringify({ query: '{ __typename }' }) });
    expectRefused(a);
  });

  it.each([
    [
      'invalid UTF-8 bytes in a JSON body',
      Buffer.concat([
        Buffer.from('{"query":"{ organisations(search: \\"'),
        Buffer.from([0xff, 0xfe, 0xc3]),
        Buffer.from('\\") { totalCount } }"}'),
      ]),
      'application/json',
    ],
    [
      'a UTF-8 BOM before the JSON',
      Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"query":"{ __typename }"}')]),
      'application/json',
    ],
    [
      'UTF-16 declared and sent',
      Buffer.from('{"query":"{ __typename }"}', 'utf16le'),
      'application/json; charset=utf-16',
    ],
    ['application/graphql', Buffer.from('{ __typename }'), 'application/graphql'],
    ['a charset that does not exist', Buffer.from('{"query":"{ __typename }"}'), 'application/json; charset=klingon'],
  ])('%s is answered or refused with a code', async (_name, body, type) => {
    const a = await call(api, { headers: { 'content-type': type, accept: 'application/json' }, bare: true, body });
    expectSafe(a);
    if (a.status >= 400 || errorsOf(a).length > 0) expectRefused(a);
  });

  describe('malformed HTTP on a raw socket', () => {
    const requests: [string, string, number?][] = [
      ['a garbage request line', 'GARBAGE\r\n\r\n'],
      ['HTTP/0.9', 'GET /graphql\r\n\r\n'],
      [
        'Content-Length: abc',
        'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: abc\r\nConnection: close\r\n\r\n{}',
      ],
      [
        'a negative Content-Length',
        'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: -5\r\nConnection: close\r\n\r\n{}',
      ],
      [
        'two different Content-Lengths',
        'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nContent-Length: 30\r\nConnection: close\r\n\r\n{}',
      ],
      [
        'a malformed chunk size',
        'POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
      ],
      [
        'a header line without a colon',
        'GET /graphql?query=%7B__typename%7D HTTP/1.1\r\nHost: x\r\nthis is not a header\r\nConnection: close\r\n\r\n',
      ],
      [
        '20 KB of headers',
        `GET /graphql?query=%7B__typename%7D HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\nConnection: close\r\n\r\n`,
        431,
      ],
    ];

    it.each(requests)('%s is a 4xx with a JSON body', async (_name, payload, status) => {
      const a = await raw(api, payload);
      expectRefused(a, status ? { status } : {});
    });

    it('Content-Length with Transfer-Encoding (request smuggling) is refused and the smuggled request never runs', async () => {
      const smuggled = `GET /graphql?query=${encodeURIComponent('{ __typename }')} HTTP/1.1\r\nHost: x\r\n\r\n`;
      const a = await raw(
        api,
        `POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n${smuggled}`,
      );
      expectRefused(a, { status: 400 });
      expect(a.responses, `the smuggled request was answered too — ${excerpt(a)}`).toBe(1);
    });
  });
});

// ---- The whole suite ------------------------------------------------------------

describe('over every answer of this suite', () => {
  const list = (bad: Answer[]) =>
    bad
      .slice(0, 40)
      .map((a) => `\n  • ${a.test}: ${excerpt(a).slice(0, 300)}`)
      .join('');

  it('the server still answers a normal query', async () => {
    const a = await gql(api, `{ organisation(slug: "mailcamp") { name processors { totalCount } } }`);
    expectSafe(a);
    expect(a.body?.data?.organisation?.name, excerpt(a)).toBe('MailCamp');
  });

  it('there is no HTTP 5xx and no masked internal error', () => {
    expect(answers.length).toBeGreaterThan(100);
    const bad = answers.filter((a) => a.status >= 500 || errorsOf(a).some(isFault));
    expect(bad.length, `${bad.length} of ${answers.length} answers were 5xx or masked faults:${list(bad)}`).toBe(0);
  });

  it('every GraphQL error carries extensions.code', () => {
    const bad = answers.filter((a) => uncoded(a).length > 0);
    expect(bad.length, `${bad.length} answers hold errors without a code:${list(bad)}`).toBe(0);
  });

  it('no answer suggests field, type or value names ("Did you mean")', () => {
    const bad = answers.filter((a) => /did you mean/i.test(a.text));
    expect(bad.length, `${bad.length} answers suggest names:${list(bad)}`).toBe(0);
  });

  it('no error answer is publicly cacheable', () => {
    const bad = answers.filter(
      (a) =>
        /public/i.test(cacheControl(a)) &&
        (a.status >= 400 || errorsOf(a).length > 0 || typeof a.body?.error === 'string'),
    );
    expect(bad.length, `${bad.length} error answers say Cache-Control: public:${list(bad)}`).toBe(0);
  });

  it('every 4xx says in a JSON body what was wrong', () => {
    const bad = answers.filter((a) => a.status >= 400 && a.status < 500 && !hasJsonError(a));
    expect(bad.length, `${bad.length} 4xx answers without a JSON error body:${list(bad)}`).toBe(0);
  });
});
