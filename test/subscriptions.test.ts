// Change notifications over a real SSE connection: a subscriber hears a
// processor change made by another client, after it commits, and hears
// nothing of a change that was refused.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { bearer } from './support/keys.js';
import { subscribeOverSse } from './support/sse.js';
import { startTestServer, type TestServer } from './support/server.js';

let api: TestServer;
let writer: string;
beforeAll(async () => {
  api = await startTestServer();
  writer = (await bearer(api.db, ['write:mailcamp'])).authorization;
});
afterAll(() => api.close());

const subscribe = (query: string) => subscribeOverSse(api.url, query);

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
