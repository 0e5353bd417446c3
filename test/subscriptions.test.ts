// Change notifications over a real SSE connection: a subscriber hears a
// processor change made by another client, after it commits, and hears
// nothing of a change that was refused.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bearer } from './support/keys.js';
import { startTestServer, type TestServer } from './support/server.js';

let api: TestServer;
let writer: string;
beforeAll(async () => {
  api = await startTestServer();
  writer = (await bearer(api.db, ['write:mailcamp'])).authorization;
});
afterAll(() => api.close());

/** Opens an SSE subscription and collects its `next` events. */
async function subscribe(query: string) {
  const controller = new AbortController();
  const response = await fetch(api.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ query }),
    signal: controller.signal,
  });
  expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
  const events: any[] = [];
  const waiters: (() => void)[] = [];
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  void (async () => {
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const data = block.split('\n').find((l) => l.startsWith('data:'));
          if (block.startsWith('event: next') && data) {
            events.push(JSON.parse(data.slice(5)));
            waiters.splice(0).forEach((w) => w());
          }
        }
      }
    } catch {
      // aborted
    }
  })();
  return {
    events,
    next: (timeoutMs = 5000) =>
      new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no event')), timeoutMs);
        waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      }),
    close: () => controller.abort(),
  };
}

it('delivers processorChanged to a subscriber when another client creates a processor', async () => {
  const sub = await subscribe(
    `subscription { processorChanged(organisation: "mailcamp") { action changedFields processor { name organisation { slug } } } }`,
  );
  // Give the server a moment to register the subscription before mutating.
  await new Promise((r) => setTimeout(r, 200));

  const refused = await api.gql(
    `mutation { processorCreate(input: { organisation: "mailcamp", name: "Refused", role: PROCESSOR,
      service: [{ locale: "en", text: "x" }], transferSafeguard: NOT_REQUIRED, website: "ftp://x" }) { userErrors { code } } }`,
    undefined,
    { authorization: writer },
  );
  expect(refused.data!.processorCreate.userErrors[0].code).toBe('INVALID_URL');

  const arrived = sub.next();
  const created = await api.gql(
    `mutation { processorCreate(input: { organisation: "mailcamp", name: "Hotjar", role: PROCESSOR,
      service: [{ locale: "en", text: "Heatmaps" }], transferSafeguard: NOT_REQUIRED }) { processor { name } userErrors { code } } }`,
    undefined,
    { authorization: writer },
  );
  expect(created.data!.processorCreate.userErrors).toEqual([]);
  await arrived;
  sub.close();
  expect(sub.events).toHaveLength(1);
  expect(sub.events[0].data.processorChanged).toMatchObject({
    action: 'CREATE',
    changedFields: expect.arrayContaining(['name']),
    processor: { name: 'Hotjar', organisation: { slug: 'mailcamp' } },
  });
});

it('delivers organisationChanged for changes to any record of the organisation', async () => {
  const sub = await subscribe(
    `subscription { organisationChanged(organisation: "mailcamp") { action entityType changedFields } }`,
  );
  await new Promise((r) => setTimeout(r, 200));
  const arrived = sub.next();
  const { data } = await api.gql(
    `mutation { contactCreate(input: { organisation: "mailcamp", kind: GENERAL, email: "sales@mailcamp.nl" }) { userErrors { code } } }`,
    undefined,
    { authorization: writer },
  );
  expect(data!.contactCreate.userErrors).toEqual([]);
  await arrived;
  sub.close();
  expect(sub.events[0].data.organisationChanged).toEqual({
    action: 'CREATE',
    entityType: 'Contact',
    changedFields: expect.arrayContaining(['email', 'kind']),
  });
});
