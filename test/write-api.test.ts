// The write API for internal tools: a processor added with a write key is
// visible to readers, recorded in the audit trail and announced to subscribers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from './support/keys.js';
import { startTestServer, type TestServer } from './support/server.js';

let api: TestServer;
let writer: Awaited<ReturnType<typeof bearer>>;
beforeAll(async () => {
  api = await startTestServer();
  writer = await bearer(api.db, ['write:mailcamp'], { label: 'processor list tool' });
});
afterAll(() => api.close());

const create = `mutation($input: ProcessorCreateInput!) {
  processorCreate(input: $input) {
    processor { id name revision dataLocations service(locale: "en") organisation { slug } }
    userErrors { field code message }
  }
}`;

const mollie = {
  organisation: 'mailcamp',
  name: 'Mollie',
  role: 'SUB_PROCESSOR',
  service: [
    { locale: 'nl', text: 'Betalingsverwerking' },
    { locale: 'en', text: 'Payment processing' },
  ],
  headquartersCountry: 'NL',
  dataLocations: [{ country: 'NL', locality: 'Amsterdam' }],
  transferSafeguard: 'NOT_REQUIRED',
  agreementInPlace: true,
};

describe('processorCreate', () => {
  it('adds a processor that the read API shows, with an audit event naming the key', async () => {
    const { data, errors } = await api.gql(create, { input: mollie }, { authorization: writer.authorization });
    expect(errors).toBeUndefined();
    expect(data!.processorCreate.userErrors).toEqual([]);
    const processor = data!.processorCreate.processor;
    expect(processor).toMatchObject({
      name: 'Mollie',
      revision: 1,
      dataLocations: ['NL'],
      service: 'Payment processing',
    });

    const read = await api.gql(`{ processors(name: "mollie") { edges { node { id organisation { slug } } } } }`);
    expect(read.data!.processors.edges).toEqual([{ node: { id: processor.id, organisation: { slug: 'mailcamp' } } }]);

    const audit = await api.gql(
      `{ auditEvents(organisation: "mailcamp", entityType: "Processor", first: 5) {
          edges { node { action entityType entityId actor { label } changedFields after } } } }`,
      undefined,
      { authorization: writer.authorization },
    );
    expect(audit.errors).toBeUndefined();
    expect(audit.data!.auditEvents.edges[0].node).toMatchObject({
      action: 'CREATE',
      entityType: 'Processor',
      entityId: processor.id,
      actor: { label: 'processor list tool' },
      changedFields: expect.arrayContaining(['name', 'transferSafeguard']),
    });
  });

  it('refuses bad fields with their paths and codes, and writes nothing', async () => {
    const { data } = await api.gql(
      create,
      {
        input: {
          ...mollie,
          name: 'Broken',
          headquartersCountry: 'Holland',
          website: 'javascript:alert(1)',
          dataLocations: [{ country: 'XX' }],
          service: [{ locale: 'nl_NL', text: 'x' }],
        },
      },
      { authorization: writer.authorization },
    );
    expect(data!.processorCreate.processor).toBeNull();
    const errors = data!.processorCreate.userErrors.map((e: any) => `${e.field.join('.')} ${e.code}`);
    expect(errors).toEqual(
      expect.arrayContaining([
        'input.headquartersCountry INVALID_COUNTRY',
        'input.website INVALID_URL',
        'input.dataLocations.0.country INVALID_COUNTRY',
        'input.service.nl_NL INVALID_LOCALE',
      ]),
    );
    const read = await api.gql(`{ processors(name: "Broken") { totalCount } }`);
    expect(read.data!.processors.totalCount).toBe(0);
  });
});

describe('no lost updates', () => {
  const update = `mutation($input: ProcessorUpdateInput!) {
    processorUpdate(input: $input) { processor { name revision } userErrors { field code message currentRevision } }
  }`;

  async function zendesk() {
    const { data } = await api.gql(`{ processors(name: "Zendesk") { edges { node { id name revision } } } }`);
    return data!.processors.edges[0].node;
  }

  it('refuses a stale expectedRevision with CONFLICT and the current revision, leaving the processor unchanged', async () => {
    const before = await zendesk();
    const stale = await api.gql(
      update,
      { input: { id: before.id, expectedRevision: before.revision - 1 || 99, name: 'Zendesk (renamed)' } },
      { authorization: writer.authorization },
    );
    expect(stale.data!.processorUpdate).toEqual({
      processor: null,
      userErrors: [
        {
          field: ['input', 'expectedRevision'],
          code: 'CONFLICT',
          message: expect.stringContaining(`revision ${before.revision}`),
          currentRevision: before.revision,
        },
      ],
    });
    expect(await zendesk()).toEqual(before);
  });

  it('lets exactly one of 20 concurrent updates with the same expected revision win', async () => {
    const before = await zendesk();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        api.gql(
          update,
          { input: { id: before.id, expectedRevision: before.revision, name: `Zendesk ${i}` } },
          { authorization: writer.authorization },
        ),
      ),
    );
    const payloads = results.map((r) => r.data!.processorUpdate);
    const winners = payloads.filter((p) => p.userErrors.length === 0);
    const losers = payloads.filter((p) => p.userErrors.length > 0);
    expect(winners).toHaveLength(1);
    expect(
      losers.every(
        (p) => p.userErrors[0].code === 'CONFLICT' && p.userErrors[0].currentRevision === before.revision + 1,
      ),
    ).toBe(true);
    const after = await api.gql(`query($id: ID!) { node(id: $id) { ... on Processor { name revision } } }`, {
      id: before.id,
    });
    expect(after.data!.node).toEqual({ name: winners[0].processor.name, revision: before.revision + 1 });
    const stored = await api.db.prisma.processor.findFirstOrThrow({ where: { name: winners[0].processor.name } });
    expect(await api.db.prisma.auditEvent.count({ where: { entityId: stored.id, action: 'UPDATE' } })).toBe(1);
  });
});

describe('validation of the other records', () => {
  it('reports an invalid e-mail and phone on a contact, and an invalid duration on a retention rule', async () => {
    const contact = await api.gql(
      `mutation { contactCreate(input: { organisation: "mailcamp", kind: DPO, email: "privacy at mailcamp", phone: "020 7058500" }) {
        contact { id } userErrors { field code } } }`,
      undefined,
      { authorization: writer.authorization },
    );
    expect(contact.data!.contactCreate.userErrors).toEqual(
      expect.arrayContaining([
        { field: ['input', 'email'], code: 'INVALID_EMAIL' },
        { field: ['input', 'phone'], code: 'INVALID_PHONE' },
      ]),
    );
    const rule = await api.gql(
      `mutation { retentionRuleCreate(input: { organisation: "mailcamp", dataCategory: [{ locale: "nl", text: "x" }],
        period: "7 jaar", trigger: COLLECTION, basis: STATUTORY, action: DELETE }) { retentionRule { id } userErrors { field code } } }`,
      undefined,
      { authorization: writer.authorization },
    );
    expect(rule.data!.retentionRuleCreate.userErrors).toEqual([
      { field: ['input', 'period'], code: 'INVALID_DURATION' },
    ]);
  });

  it('refuses text over the length limit with TOO_LONG', async () => {
    const { data } = await api.gql(
      `mutation($name: String!) { controllerEntityCreate(input: { organisation: "mailcamp", legalName: $name, role: AFFILIATE, address: { country: "NL" } }) {
        userErrors { field code } } }`,
      { name: 'x'.repeat(201) },
      { authorization: writer.authorization },
    );
    expect(data!.controllerEntityCreate.userErrors).toEqual([{ field: ['input', 'legalName'], code: 'TOO_LONG' }]);
  });

  it('refuses an id of another type as NOT_FOUND', async () => {
    const { data: org } = await api.gql(`{ organisation(slug: "mailcamp") { id } }`);
    const { data } = await api.gql(
      `mutation($id: ID!) { processorUpdate(input: { id: $id, expectedRevision: 1, name: "x" }) { userErrors { field code } } }`,
      { id: org!.organisation.id },
      { authorization: (await bearer(api.db, ['write:*'])).authorization },
    );
    expect(data!.processorUpdate.userErrors).toEqual([{ field: ['input', 'id'], code: 'NOT_FOUND' }]);
  });
});

describe('organisationApplyManifest', () => {
  it('reports what a dry run would change and writes nothing', async () => {
    const { readFile } = await import('node:fs/promises');
    const text = (await readFile(new URL('../manifests/mailcamp.yaml', import.meta.url), 'utf8')).replace(
      'registrationNumber: "34283678"',
      'registrationNumber: "34283679"',
    );
    const auditBefore = await api.db.prisma.auditEvent.count();
    const { data } = await api.gql(
      `mutation($m: String!) { organisationApplyManifest(manifest: $m, dryRun: true) { dryRun changes { entity key action fields } userErrors { code } } }`,
      { m: text.replace(`registrationNumber: '34283678'`, `registrationNumber: '34283679'`) },
      { authorization: writer.authorization },
    );
    const result = data!.organisationApplyManifest;
    expect(result.userErrors).toEqual([]);
    expect(result.dryRun).toBe(true);
    expect(result.changes).toContainEqual({
      entity: 'ControllerEntity',
      key: 'mailcamp-bv',
      action: 'UPDATE',
      fields: ['registrationNumber'],
    });
    const entity = await api.db.prisma.controllerEntity.findFirstOrThrow({ where: { key: 'mailcamp-bv' } });
    expect(entity.registrationNumber).toBe('34283678');
    expect(await api.db.prisma.auditEvent.count()).toBe(auditBefore);
  });

  it('refuses an invalid manifest with paths', async () => {
    const { data } = await api.gql(
      `mutation($m: String!) { organisationApplyManifest(manifest: $m) { userErrors { field code } } }`,
      {
        m: 'organisation: { slug: mailcamp, name: MailCamp, defaultLocale: nl }\ncontacts:\n  - { key: a, kind: DPO, email: nope }\n',
      },
      { authorization: writer.authorization },
    );
    expect(data!.organisationApplyManifest.userErrors).toEqual([
      { field: ['manifest', 'contacts', '0', 'email'], code: 'INVALID_EMAIL' },
    ]);
  });
});

describe('history', () => {
  it('shows a processor’s changes to writers, and to readers null with a FORBIDDEN error on its path', async () => {
    const query = `{ processors(name: "Zendesk") { edges { node { history { totalCount edges { node { action changedFields } } } } } } }`;
    const asWriter = await api.gql(query, undefined, { authorization: writer.authorization });
    const history = asWriter.data!.processors.edges[0].node.history;
    expect(history.edges[0].node).toEqual({ action: 'UPDATE', changedFields: expect.arrayContaining(['name']) });
    const asReader = await api.gql(query);
    expect(asReader.errors).toEqual([
      expect.objectContaining({
        path: ['processors', 'edges', 0, 'node', 'history'],
        extensions: { code: 'FORBIDDEN' },
      }),
    ]);
    expect(asReader.data!.processors.edges[0].node.history).toBeNull();
  });

  it('refuses the audit trail to a key for another organisation', async () => {
    const other = await bearer(api.db, ['write:mamoru']);
    const body = await api.gql(`{ auditEvents(organisation: "mailcamp") { totalCount } }`, undefined, {
      authorization: other.authorization,
    });
    expect(body.errors?.[0]?.message).toBe('Forbidden: the API key lacks the scope for this.');
  });
});
