// One write path: the same change made by a mutation or by a manifest yields
// the same audit events and notifications; a manifest can do nothing a
// mutation may not (shared authorities, published versions); and every
// duplicate is a CONFLICT naming its field, also when twenty writers race.
import { readFile } from 'node:fs/promises';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually } from './support/http.js';
import { bearer } from './support/keys.js';
import { startTestServer, type TestServer } from './support/server.js';
import { subscribeOverSse } from './support/sse.js';

let api: TestServer;
let mailcampWriter: string;
let admin: string;
let mailcampSource: string;

beforeAll(async () => {
  api = await startTestServer();
  mailcampWriter = (await bearer(api.db, ['write:mailcamp'], { label: 'mailcamp tool' })).authorization;
  admin = (await bearer(api.db, ['admin'], { label: 'admin tool' })).authorization;
  mailcampSource = await readFile(new URL('../manifests/mailcamp.yaml', import.meta.url), 'utf8');
});
afterAll(() => api.close());

const apply = `mutation($m: String!, $dry: Boolean) {
  organisationApplyManifest(manifest: $m, dryRun: $dry) {
    changes { entity key action fields }
    userErrors { field code message }
  }
}`;

/** MailCamp's manifest with an edit. */
function mailcamp(edit: (m: any) => void): string {
  const m = parse(mailcampSource);
  edit(m);
  return stringify(m);
}

async function processorHistory(name: string) {
  const { data } = await api.gql(
    `query($name: String) { processors(name: $name) { nodes { id history { nodes { action changedFields before after actor { label } } } } } }`,
    { name },
    { authorization: admin },
  );
  return data!.processors.nodes[0];
}

async function zendesk() {
  const { data } = await api.gql(`{ processors(name: "Zendesk") { nodes { id name revision } } }`);
  return data!.processors.nodes[0];
}

describe('the same change on every path', () => {
  it('renaming a processor by mutation and by manifest: one audit event with before/after and one processorChanged each', async () => {
    const events = await subscribeOverSse(
      api.url,
      `subscription { processorChanged(organisation: "mailcamp") { action changedFields processor { name } } }`,
    );
    try {
      const before = await zendesk();
      const byMutation = await api.gql(
        `mutation($input: ProcessorUpdateInput!) { processorUpdate(input: $input) { userErrors { code message } } }`,
        { input: { id: before.id, expectedRevision: before.revision, name: 'Zendesk Inc.' } },
        { authorization: mailcampWriter },
      );
      expect(byMutation.data!.processorUpdate.userErrors).toEqual([]);
      await eventually(async () => events.events.length === 1, 'the mutation’s processorChanged');

      // The manifest still says "Zendesk": loading it renames the processor back.
      const byManifest = await api.gql(apply, { m: mailcampSource }, { authorization: mailcampWriter });
      expect(byManifest.data!.organisationApplyManifest.userErrors).toEqual([]);
      expect(byManifest.data!.organisationApplyManifest.changes).toEqual([
        { entity: 'Processor', key: 'zendesk', action: 'UPDATE', fields: ['name'] },
      ]);
      await eventually(async () => events.events.length === 2, 'the manifest’s processorChanged');

      expect(events.events.map((e) => e.data.processorChanged)).toEqual([
        { action: 'UPDATE', changedFields: ['name'], processor: { name: 'Zendesk Inc.' } },
        { action: 'UPDATE', changedFields: ['name'], processor: { name: 'Zendesk' } },
      ]);
      // Newest first: the two renames, then its creation by the seed.
      const history = (await processorHistory('Zendesk')).history.nodes;
      expect(history.map((e: any) => [e.action, e.actor.label])).toEqual([
        ['UPDATE', 'mailcamp tool'],
        ['UPDATE', 'mailcamp tool'],
        ['CREATE', 'seed'],
      ]);
      for (const [event, from, to] of [
        [history[0], 'Zendesk Inc.', 'Zendesk'],
        [history[1], 'Zendesk', 'Zendesk Inc.'],
      ]) {
        expect(event).toMatchObject({ action: 'UPDATE', changedFields: ['name'], actor: { label: 'mailcamp tool' } });
        expect(event.before.name).toBe(from);
        expect(event.after.name).toBe(to);
        // The whole record before and after, in the manifest's shape.
        expect(event.after).toMatchObject({
          key: 'zendesk',
          headquartersCountry: 'US',
          dataLocations: [{ country: 'IE' }],
        });
      }
    } finally {
      events.close();
    }
  });

  it('a manifest that changes nothing writes no audit event and announces nothing', async () => {
    const count = await api.db.prisma.auditEvent.count();
    const again = await api.gql(apply, { m: mailcampSource }, { authorization: mailcampWriter });
    expect(again.data!.organisationApplyManifest).toEqual({ changes: [], userErrors: [] });
    expect(await api.db.prisma.auditEvent.count()).toBe(count);
  });

  it('a dry run reports the same change and writes nothing, not even an audit event', async () => {
    const count = await api.db.prisma.auditEvent.count();
    const dry = await api.gql(
      apply,
      { m: mailcamp((m) => (m.processors[0].name = 'Renamed')), dry: true },
      { authorization: mailcampWriter },
    );
    expect(dry.data!.organisationApplyManifest.changes).toEqual([
      { entity: 'Processor', key: expect.any(String), action: 'UPDATE', fields: ['name'] },
    ]);
    expect(await api.db.prisma.auditEvent.count()).toBe(count);
  });
});

describe('shared supervisory authorities', () => {
  const icoRenamed = (m: any) => {
    m.supervisoryAuthorities = [
      'nl-ap',
      { slug: 'gb-ico', name: 'Renamed authority', country: 'GB', website: 'https://example.org' },
    ];
  };

  it('a write:<organisation> key cannot change one through a manifest, dry run or not', async () => {
    for (const dry of [false, true]) {
      const result = await api.gql(apply, { m: mailcamp(icoRenamed), dry }, { authorization: mailcampWriter });
      expect(result.data!.organisationApplyManifest.userErrors).toEqual([
        {
          field: ['manifest', 'supervisoryAuthorities', '1'],
          code: 'FORBIDDEN',
          message: expect.stringContaining('admin: supervisory authorities are shared reference data'),
        },
      ]);
    }
    const { data } = await api.gql(`{ supervisoryAuthorities(country: "GB") { name } }`);
    expect(data!.supervisoryAuthorities).toEqual([{ name: "Information Commissioner's Office" }]);
  });

  it('nor create one, by manifest or by mutation', async () => {
    const created = await api.gql(
      apply,
      { m: mailcamp((m) => m.supervisoryAuthorities.push({ slug: 'be-apd', name: 'APD', country: 'BE' })) },
      { authorization: mailcampWriter },
    );
    expect(created.data!.organisationApplyManifest.userErrors[0]).toMatchObject({ code: 'FORBIDDEN' });
    const mutation = await api.gql(
      `mutation { supervisoryAuthorityCreate(input: { slug: "be-apd", name: "APD", country: "BE" }) { userErrors { code } } }`,
      undefined,
      { authorization: mailcampWriter },
    );
    expect(mutation.data!.supervisoryAuthorityCreate.userErrors).toEqual([{ code: 'FORBIDDEN' }]);
    expect(await api.db.prisma.supervisoryAuthority.count({ where: { slug: 'be-apd' } })).toBe(0);
  });

  it('naming one by slug, or repeating it exactly as stored, is fine; an unknown slug is NOT_FOUND with its path', async () => {
    const same = await api.gql(
      apply,
      {
        m: mailcamp(
          (m) =>
            (m.supervisoryAuthorities = [
              {
                slug: 'nl-ap',
                name: 'Autoriteit Persoonsgegevens',
                country: 'NL',
                website: 'https://www.autoriteitpersoonsgegevens.nl',
                fieldSources: { website: 'PROJECT' },
              },
            ]),
        ),
      },
      { authorization: mailcampWriter },
    );
    expect(same.data!.organisationApplyManifest).toEqual({ changes: [], userErrors: [] });
    const unknown = await api.gql(
      apply,
      { m: mailcamp((m) => (m.supervisoryAuthorities = ['xx-nobody'])) },
      { authorization: mailcampWriter },
    );
    expect(unknown.data!.organisationApplyManifest.userErrors).toEqual([
      {
        field: ['manifest', 'supervisoryAuthorities', '0'],
        code: 'NOT_FOUND',
        message: expect.stringContaining('xx-nobody'),
      },
    ]);
  });

  it('an admin key may change one, audited without an organisation and announced to none', async () => {
    const result = await api.gql(
      apply,
      {
        m: stringify({
          supervisoryAuthorities: [{ slug: 'be-apd', name: 'Autorité de protection des données', country: 'BE' }],
        }),
      },
      { authorization: admin },
    );
    expect(result.data!.organisationApplyManifest.changes).toEqual([
      { entity: 'SupervisoryAuthority', key: 'be-apd', action: 'CREATE', fields: ['country', 'name', 'slug'] },
    ]);
    const audit = await api.db.prisma.auditEvent.findFirstOrThrow({
      where: { entityType: 'SupervisoryAuthority' },
      orderBy: { at: 'desc' },
    });
    expect(audit).toMatchObject({ organisationId: null, actorLabel: 'admin tool', action: 'CREATE' });
  });
});

describe('published versions never change', () => {
  const sections = (m: any) => m.notices[0].versions[0].translations[0].sections;

  it.each([
    ['a heading', (m: any) => (sections(m)[1].heading = 'Edited'), ['translations', '0', 'sections', '1', 'heading']],
    ['a body', (m: any) => (sections(m)[0].body = 'Other text.'), ['translations', '0', 'sections', '0', 'body']],
    ['the status, back to draft', (m: any) => (m.notices[0].versions[0].status = 'DRAFT'), ['status']],
    ['the effective date', (m: any) => (m.notices[0].versions[0].effectiveDate = '2023-07-01'), ['effectiveDate']],
  ])('refuses a manifest that changes %s, naming the field, dry run or not', async (_what, edit, field) => {
    const sectionsBefore = await api.db.prisma.noticeSection.findMany({ orderBy: { id: 'asc' } });
    for (const dry of [true, false]) {
      const result = await api.gql(apply, { m: mailcamp(edit), dry }, { authorization: mailcampWriter });
      expect(result.data!.organisationApplyManifest.userErrors).toEqual([
        {
          field: ['manifest', 'notices', '0', 'versions', '0', ...field],
          code: 'CONFLICT',
          message: expect.stringContaining('published versions never change'),
        },
      ]);
    }
    expect(await api.db.prisma.noticeSection.findMany({ orderBy: { id: 'asc' } })).toEqual(sectionsBefore);
  });
});

describe('duplicates are CONFLICT, naming the field', () => {
  const cases: [string, () => Promise<{ userErrors: any[] }>][] = [
    [
      'processor key',
      async () =>
        (
          await api.gql(
            `mutation { processorCreate(input: { organisation: "mailcamp", key: "zendesk", name: "Z", role: PROCESSOR, service: [{ locale: "en", text: "x" }], transferSafeguard: NOT_REQUIRED }) { userErrors { field code message } } }`,
            undefined,
            { authorization: mailcampWriter },
          )
        ).data!.processorCreate,
    ],
    [
      'contact key',
      async () => {
        const key = (await api.db.prisma.contact.findFirstOrThrow({ where: { organisation: { slug: 'mailcamp' } } }))
          .key;
        return (
          await api.gql(
            `mutation($key: String) { contactCreate(input: { organisation: "mailcamp", key: $key, kind: GENERAL, email: "x@example.org" }) { userErrors { field code message } } }`,
            { key },
            { authorization: mailcampWriter },
          )
        ).data!.contactCreate;
      },
    ],
    [
      'notice slug',
      async () =>
        (
          await api.gql(
            `mutation { noticeCreate(input: { organisation: "mailcamp", slug: "privacy" }) { userErrors { field code message } } }`,
            undefined,
            { authorization: mailcampWriter },
          )
        ).data!.noticeCreate,
    ],
    [
      'version label',
      async () => {
        const notice = (await api.gql(`{ organisation(slug: "mailcamp") { notices { id } } }`)).data!.organisation
          .notices[0];
        return (
          await api.gql(
            `mutation($notice: ID!) { noticeVersionCreate(input: { notice: $notice, version: "1.2", effectiveDate: "2030-01-01" }) { userErrors { field code message } } }`,
            { notice: notice.id },
            { authorization: mailcampWriter },
          )
        ).data!.noticeVersionCreate;
      },
    ],
    [
      'organisation slug',
      async () =>
        (
          await api.gql(
            `mutation { organisationCreate(input: { slug: "mailcamp", name: "Again", defaultLocale: "nl" }) { userErrors { field code message } } }`,
            undefined,
            { authorization: admin },
          )
        ).data!.organisationCreate,
    ],
    [
      'authority slug',
      async () =>
        (
          await api.gql(
            `mutation { supervisoryAuthorityCreate(input: { slug: "nl-ap", name: "Again", country: "NL" }) { userErrors { field code message } } }`,
            undefined,
            { authorization: admin },
          )
        ).data!.supervisoryAuthorityCreate,
    ],
  ];
  const fields: Record<string, string> = {
    'processor key': 'key',
    'contact key': 'key',
    'notice slug': 'slug',
    'version label': 'version',
    'organisation slug': 'slug',
    'authority slug': 'slug',
  };

  it.each(cases)('%s', async (what, create) => {
    const result = await create();
    expect(result.userErrors).toEqual([
      { field: ['input', fields[what]], code: 'CONFLICT', message: expect.stringMatching(/already has this/) },
    ]);
  });

  it('twenty concurrent creates with one key: one is written, nineteen are CONFLICT, none is an unexpected error', async () => {
    const create = () =>
      api.gql(
        `mutation { processorCreate(input: { organisation: "mailcamp", key: "racing", name: "Racing", role: PROCESSOR, service: [{ locale: "en", text: "x" }], transferSafeguard: NOT_REQUIRED }) { processor { id } userErrors { field code } } }`,
        undefined,
        { authorization: mailcampWriter },
      );
    const answers = await Promise.all(Array.from({ length: 20 }, create));
    expect(answers.every((a) => a.errors === undefined)).toBe(true);
    const payloads = answers.map((a) => a.data!.processorCreate);
    expect(payloads.filter((p) => p.processor)).toHaveLength(1);
    const refused = payloads.filter((p) => !p.processor);
    expect(refused).toHaveLength(19);
    for (const p of refused) expect(p.userErrors).toEqual([{ field: ['input', 'key'], code: 'CONFLICT' }]);
    expect(await api.db.prisma.processor.count({ where: { key: 'racing' } })).toBe(1);
  });

  it('twenty concurrent creates without a key each get one of their own', async () => {
    const create = () =>
      api.gql(
        `mutation { processorCreate(input: { organisation: "mailcamp", name: "Twin", role: PROCESSOR, service: [{ locale: "en", text: "x" }], transferSafeguard: NOT_REQUIRED }) { processor { id } userErrors { code } } }`,
        undefined,
        { authorization: mailcampWriter },
      );
    const answers = await Promise.all(Array.from({ length: 20 }, create));
    expect(answers.map((a) => a.data!.processorCreate.userErrors)).toEqual(Array(20).fill([]));
    const keys = (await api.db.prisma.processor.findMany({ where: { name: 'Twin' } })).map((p) => p.key);
    expect(new Set(keys).size).toBe(20);
  });
});
