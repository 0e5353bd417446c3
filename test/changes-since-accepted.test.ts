// "What changed since the version I accepted": on a notice, in one query, the
// section changes between the accepted version and the one in force and the
// fact changes (processors, retention, purposes, rights) since the accepted
// one was published; nothing when nothing changed; a change undone is none.
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

const QUERY = `query($accepted: ID!) { organisation(slug: "mailcamp") { notices { changesSince(accepted: $accepted, locale: "nl") {
  accepted { version } inForce { version } upToDate locale
  sections { kind anchor heading before { heading } after { heading } }
  facts { fact change key label changedFields before after }
} } } }`;

async function changesSince(accepted: string) {
  const answer = await api.gql(QUERY, { accepted });
  expect(answer.errors).toBeUndefined();
  return answer.data!.organisation.notices[0].changesSince;
}

it('the section and fact changes between the accepted version and the one in force, in one query', async () => {
  const { data } = await api.gql(`{ organisation(slug: "mailcamp") { notices { versions { id version } } } }`);
  const accepted = data!.organisation.notices[0].versions[0].id as string;

  expect(await changesSince(accepted)).toMatchObject({
    accepted: { version: '1.2' },
    inForce: { version: '1.2' },
    upToDate: true,
    sections: [],
    facts: [],
  });

  // The facts change: a new sub-processor, a changed one, a processor renamed and renamed back, a purpose.
  const created = await api.gql(
    `mutation { processorCreate(input: { organisation: "mailcamp", name: "Mollie", role: SUB_PROCESSOR,
      service: [{ locale: "nl", text: "Betalingen" }], transferSafeguard: NOT_REQUIRED }) { userErrors { message } } }`,
    {},
    { authorization: writer },
  );
  expect(created.data!.processorCreate.userErrors).toEqual([]);
  const zendesk = (await api.gql(`{ processors(name: "Zendesk") { nodes { id revision } } }`)).data!.processors
    .nodes[0];
  const update = `mutation($input: ProcessorUpdateInput!) { processorUpdate(input: $input) { processor { revision } userErrors { message } } }`;
  let revision = zendesk.revision;
  for (const change of [{ name: 'Zendesk Inc.' }, { name: 'Zendesk' }, { legalName: 'Zendesk, Inc. (changed)' }]) {
    const done = await api.gql(
      update,
      { input: { id: zendesk.id, expectedRevision: revision, ...change } },
      { authorization: writer },
    );
    revision = done.data!.processorUpdate.processor.revision;
  }
  const profile = await api.db.prisma.privacyProfile.findFirstOrThrow({
    where: { organisation: { slug: 'mailcamp' } },
  });
  const facts = profile.facts as { purposes: { key: string }[] };
  const privacy = await api.gql(
    `mutation($input: OrganisationPrivacyUpdateInput!) { organisationPrivacyUpdate(input: $input) { userErrors { message } } }`,
    {
      input: {
        organisation: 'mailcamp',
        expectedRevision: profile.revision,
        privacy: {
          ...facts,
          purposes: [
            ...facts.purposes,
            { key: 'newsletter-research', description: { nl: 'Onderzoek naar nieuwsbrieven' }, legalBasis: 'A6-1-a' },
          ],
        },
      },
    },
    { authorization: writer },
  );
  expect(privacy.data!.organisationPrivacyUpdate.userErrors).toEqual([]);

  // A new version takes effect, with one section changed and one added.
  const imported = await api.gql(
    `mutation($input: NoticeImportInput!) { noticeImport(input: $input) { noticeVersion { id revision } userErrors { message } } }`,
    {
      input: {
        organisation: 'mailcamp',
        locale: 'nl',
        version: '1.3',
        effectiveDate: '2026-01-01',
        format: 'MARKDOWN',
        content: [
          '# Privacyverklaring',
          '## Over dit document',
          'MailCamp B.V. verwerkt persoonsgegevens onder de AVG, ook voor betalingen.',
          '## Betalingen',
          'Betalingen lopen via Mollie.',
        ].join('\n\n'),
      },
    },
    { authorization: writer },
  );
  expect(imported.data!.noticeImport.userErrors).toEqual([]);
  const version = imported.data!.noticeImport.noticeVersion;
  const published = await api.gql(
    `mutation($input: NoticeVersionPublishInput!) { noticeVersionPublish(input: $input) { userErrors { message } } }`,
    { input: { id: version.id, expectedRevision: version.revision } },
    { authorization: writer },
  );
  expect(published.data!.noticeVersionPublish.userErrors).toEqual([]);

  const since = await changesSince(accepted);
  expect(since).toMatchObject({
    accepted: { version: '1.2' },
    inForce: { version: '1.3' },
    upToDate: false,
    locale: 'nl',
  });
  const kinds = since.sections.map((s: any) => `${s.kind} ${s.anchor}`);
  expect(kinds).toContain('ADDED betalingen');
  expect(kinds).toContain('CHANGED over-dit-document');
  expect(kinds).toContain('REMOVED wie-zijn-wij');
  const summary = since.facts.map((f: any) => `${f.fact} ${f.change} ${f.key}`);
  expect(summary).toEqual(['PROCESSOR ADDED mollie', 'PROCESSOR CHANGED zendesk', 'PURPOSE ADDED newsletter-research']);
  expect(since.facts[1].changedFields).toEqual(['legalName']);
  expect(since.facts[1].label).toBe('Zendesk');
  expect(since.facts[2].label).toBe('Onderzoek naar nieuwsbrieven');

  // The same by the accepted version's label, as a page shows it.
  expect(await changesSince('1.2')).toEqual(since);

  // Accepting the version in force: nothing since.
  expect(await changesSince(version.id)).toMatchObject({
    inForce: { version: '1.3' },
    upToDate: true,
    sections: [],
    facts: [],
  });
});

it('an empty or overlong value is BAD_USER_INPUT; an id or label of nothing on this notice is null', async () => {
  for (const accepted of ['', 'x'.repeat(101)]) {
    const bad = await api.gql(QUERY, { accepted });
    expect(bad.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'accepted' });
  }
  const other = await api.gql(`{ organisation(slug: "mimecast") { notices { versions { id } } } }`);
  const foreign = other.data!.organisation.notices[0].versions[0].id;
  for (const accepted of [foreign, '9.9']) {
    expect((await api.gql(QUERY, { accepted })).data!.organisation.notices[0].changesSince).toBeNull();
  }
});
