// The change log over real HTTP: every acknowledged write yields its events
// (record type, action, organisation, record id, revision, changed fields,
// before/after of public fields) with an opaque cursor; an integrator offline
// during 50 changes catches up through changes(since:) with nothing lost or
// twice; a rolled-back or refused write yields none; a manifest yields one per
// changed record; drafts and secrets never reach callers who may not see them;
// a subscription resumes from Last-Event-ID.
import { readFile } from 'node:fs/promises';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor } from '../src/changes/log.js';
import { eventually } from './support/http.js';
import { bearer } from './support/keys.js';
import { processorRenamer } from './support/processors.js';
import { startTestServer, type TestServer } from './support/server.js';
import { subscribeOverSse } from './support/sse.js';

let api: TestServer;
let writer: string;
let admin: string;

beforeAll(async () => {
  api = await startTestServer();
  writer = (await bearer(api.db, ['write:mailcamp'], { label: 'mailcamp tool' })).authorization;
  admin = (await bearer(api.db, ['admin'])).authorization;
});
afterAll(() => api.close());

const CHANGES = `query($organisation: String, $types: [String!], $actions: [ChangeAction!], $since: String, $first: Int) {
  changes(organisation: $organisation, types: $types, actions: $actions, since: $since, first: $first) {
    edges { cursor node { cursor at action recordType recordId organisation revision key changedFields before after } }
    pageInfo { hasNextPage endCursor }
  }
}`;

async function changes(variables: Record<string, unknown>, authorization?: string) {
  const answer = await api.gql(CHANGES, variables, authorization ? { authorization } : {});
  expect(answer.errors).toBeUndefined();
  return answer.data!.changes as {
    edges: { cursor: string; node: Record<string, any> }[];
    pageInfo: { hasNextPage: boolean; endCursor: string };
  };
}

/** Where the log ends now, for the reader that starts from here. */
async function headCursor(authorization?: string): Promise<string> {
  let since: string | null = null;
  for (;;) {
    const page = await changes({ since, first: 100 }, authorization);
    since = page.pageInfo.endCursor;
    if (!page.pageInfo.hasNextPage) return since;
  }
}

async function zendesk() {
  const { data } = await api.gql(`{ processors(name: "Zendesk") { nodes { id name revision } } }`);
  return data!.processors.nodes[0] as { id: string; name: string; revision: number };
}

const UPDATE = `mutation($input: ProcessorUpdateInput!) {
  processorUpdate(input: $input) { processor { revision } userErrors { code message } }
}`;

describe('cursors', () => {
  it('are opaque, and a malformed one is BAD_USER_INPUT naming the argument, before any SQL', async () => {
    const cursor = encodeCursor(42n);
    expect(cursor).not.toContain('42');
    expect(decodeCursor(cursor)).toBe(42n);
    for (const bad of [
      '',
      'abc',
      encodeCursor(42n) + 'A',
      Buffer.from('change:042').toString('base64url'),
      '1 OR 1=1',
      'x'.repeat(500),
    ]) {
      const { statements, body } = await api.countStatements(
        `query($s: String) { changes(since: $s) { pageInfo { endCursor } } }`,
        { s: bad },
      );
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'since' });
      expect(statements).toBe(0);
    }
  });

  it('refuses unknown record types and pages over 100', async () => {
    const unknown = await api.gql(CHANGES, { types: ['Nope'] });
    expect(unknown.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'types' });
    const big = await api.gql(CHANGES, { first: 101 });
    expect(big.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
  });
});

describe('every acknowledged write yields its events', () => {
  it('a processor update: type, action, organisation, id, revision, changed fields, before and after', async () => {
    const since = await headCursor();
    const before = await zendesk();
    const done = await api.gql(
      UPDATE,
      { input: { id: before.id, expectedRevision: before.revision, name: 'Zendesk Inc.' } },
      { authorization: writer },
    );
    expect(done.data!.processorUpdate.userErrors).toEqual([]);
    const page = await changes({ since });
    expect(page.edges).toHaveLength(1);
    const event = page.edges[0]!.node;
    expect(event).toMatchObject({
      action: 'UPDATE',
      recordType: 'Processor',
      recordId: before.id,
      organisation: 'mailcamp',
      revision: before.revision + 1,
      key: 'zendesk',
      changedFields: ['name'],
      before: { name: 'Zendesk' },
      after: { name: 'Zendesk Inc.' },
    });
    expect(event.cursor).toBe(page.edges[0]!.cursor);
    expect(page.pageInfo).toEqual({ hasNextPage: false, endCursor: event.cursor });
    // Nothing new: the same end again.
    expect((await changes({ since: event.cursor })).edges).toEqual([]);
  });

  it('an integrator offline during 50 changes catches up in pages, in order, each change once', async () => {
    const since = await headCursor();
    const expected: string[] = [];
    const rename = await processorRenamer(api, writer, 'Zendesk');
    for (let i = 0; i < 50; i++) {
      const name = `Zendesk ${i}`;
      await rename(name);
      expected.push(name);
    }
    const seen: Record<string, any>[] = [];
    let cursor: string | null = since;
    for (let pages = 0; ; pages++) {
      const page = await changes({ since: cursor, first: 20, organisation: 'mailcamp', types: ['Processor'] });
      seen.push(...page.edges.map((e) => e.node));
      cursor = page.pageInfo.endCursor;
      if (!page.pageInfo.hasNextPage) break;
      expect(pages).toBeLessThan(5);
    }
    expect(seen.map((e) => e.after.name)).toEqual(expected);
    expect(new Set(seen.map((e) => e.cursor)).size).toBe(50);
    const positions = seen.map((e) => decodeCursor(e.cursor)!);
    expect([...positions].sort((a, b) => (a < b ? -1 : 1))).toEqual(positions);
  });

  it('a manifest yields one event per changed record, and a dry run or a refused write none', async () => {
    const source = await readFile(new URL('../manifests/mailcamp.yaml', import.meta.url), 'utf8');
    const manifest = parse(source);
    manifest.processors[0].certifications = ['ISO 27001', 'SOC 2'];
    manifest.retentionRules[0].legalReference = 'Art. 52 AWR (changed)';
    const apply = `mutation($m: String!, $dry: Boolean) { organisationApplyManifest(manifest: $m, dryRun: $dry) {
      changes { entity key action fields } userErrors { message } } }`;
    const since = await headCursor();

    const dry = await api.gql(apply, { m: stringify(manifest), dry: true }, { authorization: writer });
    expect(dry.data!.organisationApplyManifest.changes.length).toBeGreaterThan(0);
    const refused = await api.gql(
      UPDATE,
      { input: { id: (await zendesk()).id, expectedRevision: 1, name: 'Stale' } },
      { authorization: writer },
    );
    expect(refused.data!.processorUpdate.userErrors[0].code).toBe('CONFLICT');
    expect((await changes({ since })).edges).toEqual([]);

    const applied = await api.gql(apply, { m: stringify(manifest) }, { authorization: writer });
    const reported = applied.data!.organisationApplyManifest.changes as {
      entity: string;
      key: string;
      fields: string[];
    }[];
    const logged = (await changes({ since, first: 100 }, writer)).edges.map((e) => e.node);
    expect(logged.map((e) => `${e.recordType}:${e.key}:${e.changedFields.join(',')}`).sort()).toEqual(
      reported.map((c) => `${c.entity}:${c.key}:${c.fields.join(',')}`).sort(),
    );
    expect(logged.find((e) => e.recordType === 'RetentionRule')?.after.legalReference).toBe('Art. 52 AWR (changed)');
    // One unit of work: consecutive positions.
    const positions = logged.map((e) => Number(decodeCursor(e.cursor)));
    expect(positions.at(-1)! - positions[0]!).toBe(positions.length - 1);
  });
});

it('a write rolled back at its end (the shared cache refused it) yields no event', async () => {
  const { Writer, WritesUnavailableError } = await import('../src/domain/writer.js');
  const { systemCaller } = await import('../src/auth/actor.js');
  const { processor } = await import('../src/domain/processor.js');
  const since = await headCursor(admin);
  const refusing = new Writer({
    prisma: api.db.prisma,
    beforeCommit: async () => {
      throw new Error('out of memory');
    },
  });
  const organisation = await api.db.prisma.organisation.findUniqueOrThrow({ where: { slug: 'mailcamp' } });
  await expect(
    refusing.run({ caller: systemCaller('test'), requestId: 'rolled-back' }, (s) =>
      s.create(
        processor,
        { organisationId: organisation.id },
        {
          key: 'rolled-back',
          name: 'Rolled Back',
          role: 'PROCESSOR',
          service: { en: 'x' },
          transferSafeguard: 'NOT_REQUIRED',
        },
        [],
      ),
    ),
  ).rejects.toThrow(WritesUnavailableError);
  expect((await changes({ since }, admin)).edges).toEqual([]);
  expect(await api.db.prisma.processor.count({ where: { key: 'rolled-back' } })).toBe(0);
});

describe('what each caller may see', () => {
  it('a draft is in the log for the organisation’s writers only', async () => {
    const since = await headCursor(admin);
    const { data } = await api.gql(`{ organisation(slug: "mailcamp") { notices { id } } }`);
    const created = await api.gql(
      `mutation($input: NoticeVersionCreateInput!) { noticeVersionCreate(input: $input) { userErrors { message } } }`,
      { input: { notice: data!.organisation.notices[0].id, version: '9.9-draft', effectiveDate: '2031-01-01' } },
      { authorization: writer },
    );
    expect(created.data!.noticeVersionCreate.userErrors).toEqual([]);
    const forWriter = await changes({ since, types: ['NoticeVersion'] }, writer);
    expect(forWriter.edges.map((e) => e.node.key)).toEqual(['9.9-draft']);
    expect((await changes({ since, types: ['NoticeVersion'] })).edges).toEqual([]);
    const otherWriter = (await bearer(api.db, ['write:mimecast'])).authorization;
    expect((await changes({ since, types: ['NoticeVersion'] }, otherWriter)).edges).toEqual([]);
  });

  it('key events are for admins, and no secret or its hash is ever in an event', async () => {
    const since = await headCursor(admin);
    // Made the way the command line makes them: through the writer.
    await bearer(api.db, ['read'], { label: 'through the writer' });
    const forAdmin = await changes({ since, types: ['ApiKey'] }, admin);
    expect(forAdmin.edges).toHaveLength(1);
    expect(forAdmin.edges[0]!.node.after.label).toBe('through the writer');
    expect(JSON.stringify(forAdmin.edges[0]!.node)).not.toMatch(/secretHash/);
    expect((await changes({ since, types: ['ApiKey'] }, writer)).edges).toEqual([]);
    expect((await changes({ since, types: ['ApiKey'] })).edges).toEqual([]);
  });
});

describe('subscriptions resume from the log', () => {
  it('Last-Event-ID replays what was missed, then goes on live, each change once, with SSE ids', async () => {
    const since = await headCursor();
    const rename = await processorRenamer(api, writer, 'Zendesk');
    for (const name of ['Missed 1', 'Missed 2', 'Missed 3']) await rename(name);
    const sub = await subscribeOverSse(
      api.url,
      `subscription { processorChanged(organisation: "mailcamp") { action cursor processor { name } } }`,
      { 'last-event-id': since },
    );
    try {
      await eventually(async () => sub.events.length === 3, 'the three missed changes');
      await rename('Live 1');
      await eventually(async () => sub.events.length === 4, 'the live change');
      const payloads = sub.events.map((e) => e.data.processorChanged);
      expect(payloads.map((p) => p.action)).toEqual(['UPDATE', 'UPDATE', 'UPDATE', 'UPDATE']);
      expect(new Set(payloads.map((p) => p.cursor)).size).toBe(4);
      expect(sub.ids).toEqual(payloads.map((p) => p.cursor));
      expect(sub.events.map((e) => e.extensions.cursor)).toEqual(payloads.map((p) => p.cursor));

      // Reconnecting with the last id sent: nothing again.
      const again = await subscribeOverSse(
        api.url,
        `subscription { processorChanged(organisation: "mailcamp", since: "${sub.ids.at(-1)}") { cursor } }`,
      );
      await new Promise((r) => setTimeout(r, 1_000));
      expect(again.events).toEqual([]);
      again.close();
    } finally {
      sub.close();
    }
  });

  it('a malformed Last-Event-ID is an error naming it', async () => {
    const response = await fetch(api.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', 'last-event-id': 'not-a-cursor!' },
      body: JSON.stringify({ query: 'subscription { organisationChanged(organisation: "mailcamp") { action } }' }),
    });
    const text = await response.text();
    expect(text).toContain('Last-Event-ID');
    expect(text).toContain('BAD_USER_INPUT');
  });
});
