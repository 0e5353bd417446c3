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
    expect(processor).toMatchObject({ name: 'Mollie', revision: 1, dataLocations: ['NL'], service: 'Payment processing' });

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
