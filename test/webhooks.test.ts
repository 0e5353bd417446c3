// Webhooks over real HTTP, with a real receiver on loopback: created through
// the writer (audited, in the log, secret shown once and never in an event);
// a receiver that is down during 50 changes gets every event once it is back,
// in order, once each by event id, every signature valid (the reference
// implementation verifies them); filters and visibility; the delivery log;
// redelivery; disabling after repeated failure with the reason; no redirects,
// a timeout; the SSRF policy.
import { Webhook as Verifier } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeCursor } from '../src/changes/log.js';
import { addressProblem, guardedLookup, webhookUrlProblem } from '../src/webhooks/target.js';
import { eventually } from './support/http.js';
import { bearer } from './support/keys.js';
import { processorRenamer } from './support/processors.js';
import { startReceiver, type Receiver } from './support/receiver.js';
import { startTestServer, type TestServer } from './support/server.js';

const RETRY = { retryBaseMs: 200, retryMaxMs: 1_000, pollMs: 100, allowPrivateTargets: true, worker: true };

const CREATE = `mutation($input: WebhookCreateInput!) {
  webhookCreate(input: $input) { webhook { id revision enabled cursor } secret userErrors { field code message } }
}`;
const UPDATE = `mutation($input: ProcessorUpdateInput!) {
  processorUpdate(input: $input) { processor { revision } userErrors { code message } }
}`;

function parsed(r: { body: string }) {
  return JSON.parse(r.body) as { type: string; timestamp: string; data: Record<string, any> };
}

async function firstProcessor(api: TestServer, name: string) {
  const { data } = await api.gql(`query($n: String) { processors(name: $n) { nodes { id revision } } }`, { n: name });
  return data!.processors.nodes[0] as { id: string; revision: number };
}

describe('the SSRF policy', () => {
  it('takes https, and plain http only to loopback; never credentials', () => {
    expect(webhookUrlProblem('https://hooks.example.com/x')).toBeNull();
    expect(webhookUrlProblem('http://127.0.0.1:8080/x')).toBeNull();
    expect(webhookUrlProblem('http://[::1]/x')).toBeNull();
    expect(webhookUrlProblem('http://hooks.example.com/x')).toMatch(/https/);
    expect(webhookUrlProblem('ftp://hooks.example.com/x')).toMatch(/https/);
    expect(webhookUrlProblem('https://user:pw@hooks.example.com/x')).toMatch(/credentials/);
    expect(webhookUrlProblem('not a url')).toMatch(/valid/);
  });

  it('refuses every non-public address unless private targets are allowed', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      'fc00::1',
      'fe80::1',
      '::ffff:10.0.0.1',
      '224.0.0.1',
    ]) {
      expect(addressProblem(address, false), address).not.toBeNull();
    }
    expect(addressProblem('93.184.215.14', false)).toBeNull();
    expect(addressProblem('2606:4700::6810:85e5', false)).toBeNull();
    expect(addressProblem('10.1.2.3', true)).toBeNull();
    expect(addressProblem('127.0.0.1', true)).toBeNull();
    expect(addressProblem('0.0.0.0', true)).not.toBeNull();
  });

  it('checks the addresses a name resolves to, in the connection’s own lookup', async () => {
    const lookup = guardedLookup(false);
    const error = await new Promise<Error | null>((resolve) =>
      lookup('localhost', { all: true }, (e) => resolve(e as Error | null)),
    );
    expect(error?.message).toMatch(/loopback/);
  });
});

describe('delivery', () => {
  let api: TestServer;
  let receiver: Receiver;
  let writer: string;

  beforeAll(async () => {
    api = await startTestServer({ webhooks: { ...RETRY, maxAttempts: 1_000, timeoutMs: 1_500 } });
    receiver = await startReceiver();
    writer = (await bearer(api.db, ['write:mailcamp'], { label: 'integration' })).authorization;
  });
  afterAll(async () => {
    await api?.close();
    await receiver?.close();
  });

  it('a webhook is a record: its writers only, audited, its secret shown once and in no event', async () => {
    const anonymous = await api.gql(CREATE, { input: { organisation: 'mailcamp', url: receiver.url } });
    expect(anonymous.data!.webhookCreate.userErrors[0].code).toBe('FORBIDDEN');
    const other = (await bearer(api.db, ['write:mimecast'])).authorization;
    const wrong = await api.gql(
      CREATE,
      { input: { organisation: 'mailcamp', url: receiver.url } },
      { authorization: other },
    );
    expect(wrong.data!.webhookCreate.userErrors[0].code).toBe('FORBIDDEN');
    const bad = await api.gql(
      CREATE,
      { input: { organisation: 'mailcamp', url: 'http://example.com/hook' } },
      { authorization: writer },
    );
    expect(bad.data!.webhookCreate.userErrors[0]).toMatchObject({ code: 'INVALID_URL', field: ['input', 'url'] });
    const badType = await api.gql(
      CREATE,
      { input: { organisation: 'mailcamp', url: receiver.url, types: ['Nope'] } },
      { authorization: writer },
    );
    expect(badType.data!.webhookCreate.userErrors[0].field).toEqual(['input', 'types', '0']);

    const made = await api.gql(
      CREATE,
      { input: { organisation: 'mailcamp', url: receiver.url } },
      { authorization: writer },
    );
    const { webhook, secret } = made.data!.webhookCreate;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    const read = `query($id: ID!) { node(id: $id) { ... on Webhook { url enabled } } }`;
    expect((await api.gql(read, { id: webhook.id }, { authorization: writer })).data!.node).toEqual({
      url: receiver.url,
      enabled: true,
    });
    expect((await api.gql(read, { id: webhook.id })).data!.node).toBeNull();
    expect((await api.gql(read, { id: webhook.id }, { authorization: other })).data!.node).toBeNull();

    const log = await api.db.prisma.changeLogEntry.findMany({ where: { entityType: 'Webhook' } });
    expect(log).toHaveLength(1);
    expect(log[0]!.audience).toBe('writers');
    const audit = await api.db.prisma.auditEvent.findMany({ where: { entityType: 'Webhook' } });
    expect(audit).toHaveLength(1);
    const stored = await api.db.prisma.webhook.findUniqueOrThrow({ where: { id: log[0]!.entityId } });
    const json = (value: unknown) => JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v));
    for (const text of [json(log), json(audit)]) {
      expect(text).not.toContain(secret.slice(6));
      expect(text).not.toContain('secretCiphertext');
    }
    expect(json(stored)).not.toContain(secret.slice(6));
    const deleted = await api.gql(
      `mutation($input: WebhookDeleteInput!) { webhookDelete(input: $input) { deletedId userErrors { message } } }`,
      { input: { id: webhook.id, expectedRevision: webhook.revision } },
      { authorization: writer },
    );
    expect(deleted.data!.webhookDelete.deletedId).toBe(webhook.id);
  });

  it('a receiver down during 50 changes gets every event once it is back: in order, once each, signed', async () => {
    const made = await api.gql(
      CREATE,
      {
        input: {
          organisation: 'mailcamp',
          url: `${receiver.url}/50`,
          types: ['Processor'],
          description: 'sub-processors',
        },
      },
      { authorization: writer },
    );
    const { webhook, secret } = made.data!.webhookCreate;
    const start = decodeCursor(webhook.cursor)!;
    await receiver.down();
    const at50 = () => receiver.at('/hooks/50');

    const rename = await processorRenamer(api, writer, 'Zendesk');
    const names: string[] = [];
    for (let i = 0; i < 50; i++) {
      const name = `Zendesk ${i}`;
      await rename(name);
      names.push(name);
    }
    // While it is down, the first event is tried again and again; the others wait their turn.
    await eventually(
      async () =>
        (await api.db.prisma.webhookDelivery.findFirst({
          where: { webhookId: idOf(webhook.id), attempt: { gte: 3 } },
        })) !== null,
      'failed attempts',
      30_000,
    );
    expect(at50()).toEqual([]);
    await receiver.up();
    await eventually(async () => at50().length >= 50, '50 deliveries', 60_000);
    await new Promise((r) => setTimeout(r, 1_000));

    const mine = at50();
    const verifier = new Verifier(secret);
    const events = mine.map((r) => {
      verifier.verify(r.body, r.headers as Record<string, string>);
      const body = parsed(r);
      expect(body.data.cursor).toBe(r.headers['webhook-id']);
      return body;
    });
    expect(events).toHaveLength(50);
    expect(new Set(events.map((e) => e.data.cursor)).size).toBe(50);
    expect(events.map((e) => e.data.after.name)).toEqual(names);
    expect(events.every((e) => e.type === 'processor.updated' && e.data.organisation === 'mailcamp')).toBe(true);
    const positions = events.map((e) => decodeCursor(e.data.cursor)!);
    expect(positions.every((p, i) => p > start && (i === 0 || p > positions[i - 1]!))).toBe(true);

    const log = await api.gql(
      `query($id: ID!) { node(id: $id) { ... on Webhook { deliveries(first: 100) { totalCount nodes { status attempt responseCode nextAttemptAt event { cursor recordType } } } } } }`,
      { id: webhook.id },
      { authorization: writer },
    );
    const deliveries = log.data!.node.deliveries;
    expect(deliveries.totalCount).toBe(50);
    expect(
      deliveries.nodes.every(
        (d: any) => d.status === 'SUCCEEDED' && d.responseCode === 204 && d.nextAttemptAt === null,
      ),
    ).toBe(true);
    expect(Math.max(...deliveries.nodes.map((d: any) => d.attempt))).toBeGreaterThanOrEqual(3);
    expect(deliveries.nodes.at(-1).event.cursor).toBe(events[0]!.data.cursor);

    // Redelivery on request: the same events, the same ids, valid signatures.
    const again = await api.gql(
      `mutation($input: WebhookRedeliverInput!) { webhookRedeliver(input: $input) { requeued userErrors { message } } }`,
      { input: { id: webhook.id, since: events[47]!.data.cursor } },
      { authorization: writer },
    );
    expect(again.data!.webhookRedeliver).toEqual({ requeued: 2, userErrors: [] });
    await eventually(async () => at50().length >= 52, 'the redeliveries');
    const redelivered = at50()
      .slice(50)
      .map((r) => {
        verifier.verify(r.body, r.headers as Record<string, string>);
        return r.headers['webhook-id'];
      });
    expect(redelivered).toEqual([events[48]!.data.cursor, events[49]!.data.cursor]);
  });

  it('filters by record type and action, and drafts and other organisations stay out', async () => {
    const made = await api.gql(
      CREATE,
      {
        input: {
          organisation: 'mailcamp',
          url: receiver.url,
          types: ['Processor', 'NoticeVersion'],
          actions: ['CREATE'],
        },
      },
      { authorization: writer },
    );
    const id = idOf(made.data!.webhookCreate.webhook.id);
    const admin = (await bearer(api.db, ['admin'])).authorization;
    const processor = (org: string, name: string) =>
      api.gql(
        `mutation { processorCreate(input: { organisation: "${org}", name: "${name}", role: SUB_PROCESSOR,
          service: [{ locale: "en", text: "Filtered" }], transferSafeguard: NOT_REQUIRED }) { userErrors { message } } }`,
        {},
        { authorization: admin },
      );
    await processor('mimecast', 'Other Organisation Co');
    const { data } = await api.gql(`{ organisation(slug: "mailcamp") { notices { id } } }`);
    await api.gql(
      `mutation($input: NoticeVersionCreateInput!) { noticeVersionCreate(input: $input) { userErrors { message } } }`,
      { input: { notice: data!.organisation.notices[0].id, version: '7.0-draft', effectiveDate: '2032-01-01' } },
      { authorization: writer },
    );
    const current = await firstProcessor(api, 'Zendesk');
    await api.gql(
      UPDATE,
      { input: { id: current.id, expectedRevision: current.revision, name: 'Zendesk again' } },
      { authorization: writer },
    );
    await processor('mailcamp', 'Filtered In Co');
    await eventually(
      async () => (await api.db.prisma.webhookDelivery.count({ where: { webhookId: id, status: 'SUCCEEDED' } })) === 1,
      'the one delivery',
    );
    await new Promise((r) => setTimeout(r, 1_000));
    const deliveries = await api.db.prisma.webhookDelivery.findMany({
      where: { webhookId: id },
      include: { event: true },
    });
    expect(deliveries.map((d) => `${d.event.entityType}:${d.event.action}:${d.event.key}`)).toEqual([
      'Processor:CREATE:filtered-in-co',
    ]);
  });

  it('webhookTest sends a signed test message and says what the receiver answered', async () => {
    const made = await api.gql(
      CREATE,
      { input: { organisation: 'mailcamp', url: receiver.url } },
      { authorization: writer },
    );
    const { webhook, secret } = made.data!.webhookCreate;
    const test = `mutation($input: WebhookTestInput!) { webhookTest(input: $input) { result { ok eventId responseCode error } userErrors { code } } }`;
    receiver.answer = { status: 200 };
    const ok = await api.gql(test, { input: { id: webhook.id } }, { authorization: writer });
    expect(ok.data!.webhookTest.result).toMatchObject({ ok: true, responseCode: 200, error: null });
    const last = receiver.received.find((r) => r.headers['webhook-id'] === ok.data!.webhookTest.result.eventId)!;
    new Verifier(secret).verify(last.body, last.headers as Record<string, string>);
    expect(parsed(last).type).toBe('webhook.test');
    expect(last.headers['webhook-id']).toBe(ok.data!.webhookTest.result.eventId);

    receiver.answer = { status: 302, headers: { location: 'http://127.0.0.1:1/elsewhere' } };
    const redirect = await api.gql(test, { input: { id: webhook.id } }, { authorization: writer });
    expect(redirect.data!.webhookTest.result).toMatchObject({ ok: false, responseCode: 302 });
    expect(redirect.data!.webhookTest.result.error).toMatch(/redirects are not followed/);

    receiver.answer = { status: 200, delayMs: 3_000 };
    const slow = await api.gql(test, { input: { id: webhook.id } }, { authorization: writer });
    expect(slow.data!.webhookTest.result).toMatchObject({ ok: false, responseCode: null });
    expect(slow.data!.webhookTest.result.error).toMatch(/no answer within 1500 ms/);
    receiver.answer = { status: 204 };

    const stranger = await api.gql(test, { input: { id: webhook.id } });
    expect(stranger.data!.webhookTest.userErrors[0].code).toBe('NOT_FOUND');
  }, 30_000);
});

describe('repeated failure', () => {
  let api: TestServer;
  let receiver: Receiver;
  let writer: string;

  beforeAll(async () => {
    api = await startTestServer({ webhooks: { ...RETRY, maxAttempts: 3 } });
    receiver = await startReceiver();
    writer = (await bearer(api.db, ['write:mailcamp'])).authorization;
  });
  afterAll(async () => {
    await api?.close();
    await receiver?.close();
  });

  it('disables the webhook with the reason, audited; enabling it again delivers what waited, in order', async () => {
    receiver.answer = { status: 503 };
    const made = await api.gql(
      CREATE,
      { input: { organisation: 'mailcamp', url: receiver.url } },
      { authorization: writer },
    );
    const { webhook, secret } = made.data!.webhookCreate;
    const rename = await processorRenamer(api, writer, 'Zendesk');
    for (const name of ['Down 1', 'Down 2']) await rename(name);
    const read = `query($id: ID!) { node(id: $id) { ... on Webhook { revision enabled disabledReason disabledAt
      deliveries(first: 10) { nodes { status attempt responseCode error } } } } }`;
    await eventually(
      async () => (await api.gql(read, { id: webhook.id }, { authorization: writer })).data!.node.enabled === false,
      'disabling',
      30_000,
    );
    const disabled = (await api.gql(read, { id: webhook.id }, { authorization: writer })).data!.node;
    expect(disabled.disabledReason).toMatch(/failed 3 times; the last attempt: HTTP 503/);
    expect(disabled.deliveries.nodes).toEqual([
      { status: 'PENDING', attempt: 0, responseCode: null, error: null },
      { status: 'FAILED', attempt: 3, responseCode: 503, error: 'HTTP 503' },
    ]);
    const audit = await api.db.prisma.auditEvent.findMany({ where: { entityType: 'Webhook', action: 'UPDATE' } });
    expect(audit.map((a) => [a.actorLabel, a.changedFields])).toEqual([
      ['webhook delivery', ['disabledAt', 'disabledReason', 'enabled']],
    ]);

    receiver.answer = { status: 200 };
    const before = receiver.received.length;
    const enabled = await api.gql(
      `mutation($input: WebhookUpdateInput!) { webhookUpdate(input: $input) { webhook { enabled disabledReason } secret userErrors { message } } }`,
      { input: { id: webhook.id, expectedRevision: disabled.revision, enabled: true } },
      { authorization: writer },
    );
    expect(enabled.data!.webhookUpdate).toEqual({
      webhook: { enabled: true, disabledReason: null },
      secret: null,
      userErrors: [],
    });
    await eventually(async () => receiver.received.length - before >= 2, 'the waiting deliveries');
    const names = receiver.received.slice(before).map((r) => {
      new Verifier(secret).verify(r.body, r.headers as Record<string, string>);
      return parsed(r).data.after.name;
    });
    expect(names).toEqual(['Down 1', 'Down 2']);
  }, 60_000);
});

function idOf(globalId: string): string {
  return Buffer.from(globalId, 'base64').toString('utf8').split(':')[1]!;
}

describe('secrets', () => {
  it('are sealed with AES-256-GCM under the server’s key and open only with it', async () => {
    const { secretBox, generateSecret, keyFileIn, KEY_FILE, SecretUnavailableError } =
      await import('../src/webhooks/secrets.js');
    const { mkdtemp, stat, rm } = await import('node:fs/promises');
    const { tmpdir } = await import('node:os');
    const path = await import('node:path');
    const dir = await mkdtemp(path.join(tmpdir(), 'privacy-facts-keys-'));
    try {
      const key = await keyFileIn(dir);
      expect(key).toHaveLength(32);
      expect((await stat(path.join(dir, KEY_FILE))).mode & 0o777).toBe(0o600);
      expect(await keyFileIn(dir)).toEqual(key);
      const secret = generateSecret();
      const sealed = secretBox(key).seal(secret);
      expect(sealed).not.toContain(secret.slice(6));
      expect(secretBox(key).open(sealed)).toBe(secret);
      expect(() => secretBox(Buffer.alloc(32, 1)).open(sealed)).toThrow(SecretUnavailableError);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
