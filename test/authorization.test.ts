// Who may change what: every mutation against every kind of caller. A refused
// call gets a FORBIDDEN user error, changes nothing and leaves no audit event;
// an allowed one succeeds and leaves exactly one.
import { readFile } from 'node:fs/promises';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../src/changes/log.js';
import type { Database } from '../src/db/client.js';
import { bearer } from './support/keys.js';
import { startTestServer, type TestServer } from './support/server.js';

let api: TestServer;
let mailcampId: string;
let n = 0;
const unique = () => `${Date.now().toString(36)}${(n++).toString(36)}`;

type Actor =
  'anonymous' | 'read' | 'other organisation' | 'revoked' | 'expired' | 'write:mailcamp' | 'write:*' | 'admin';
const actors: Actor[] = [
  'anonymous',
  'read',
  'other organisation',
  'revoked',
  'expired',
  'write:mailcamp',
  'write:*',
  'admin',
];
const headers: Partial<Record<Actor, Record<string, string>>> = {};

const ORG_WRITERS: Actor[] = ['write:mailcamp', 'write:*', 'admin'];
const ANY_WRITERS: Actor[] = ['write:*', 'admin'];
const ADMINS: Actor[] = ['admin'];

async function makeProcessor(db: Database) {
  const p = await db.prisma.processor.create({
    data: {
      organisationId: mailcampId,
      key: `p-${unique()}`,
      name: 'Matrix processor',
      role: 'PROCESSOR',
      service: { en: 'x' },
      transferSafeguard: 'NOT_REQUIRED',
    },
  });
  return encodeGlobalID('Processor', p.id);
}
async function makeEntity(db: Database) {
  const e = await db.prisma.controllerEntity.create({
    data: {
      organisationId: mailcampId,
      key: `e-${unique()}`,
      legalName: 'Matrix B.V.',
      role: 'AFFILIATE',
      country: 'NL',
    },
  });
  return encodeGlobalID('ControllerEntity', e.id);
}
async function makeContact(db: Database) {
  const c = await db.prisma.contact.create({
    data: { organisationId: mailcampId, key: `c-${unique()}`, kind: 'GENERAL', email: 'matrix@example.org' },
  });
  return encodeGlobalID('Contact', c.id);
}
async function makeRule(db: Database) {
  const r = await db.prisma.retentionRule.create({
    data: {
      organisationId: mailcampId,
      key: `r-${unique()}`,
      dataCategory: { en: 'Matrix' },
      period: 'P1Y',
      triggers: ['COLLECTION'],
      basis: 'CONSENT',
      action: 'DELETE',
    },
  });
  return encodeGlobalID('RetentionRule', r.id);
}

async function makeWebhook(db: Database) {
  const w = await db.prisma.webhook.create({
    data: {
      organisationId: mailcampId,
      url: 'http://127.0.0.1:9/never-reached',
      secretCiphertext: api.app.webhooks.box!.seal('whsec_dGVzdHRlc3R0ZXN0dGVzdHRlc3R0ZXN0dGVzdHRlc3Q='),
      secretCreatedAt: new Date(),
    },
  });
  return encodeGlobalID('Webhook', w.id);
}

async function makeOtherController(db: Database) {
  const c = await db.prisma.otherController.create({
    data: { organisationId: mailcampId, key: `o-${unique()}`, name: 'Matrix', role: 'UNKNOWN', service: { en: 'x' } },
  });
  return encodeGlobalID('OtherController', c.id);
}

let day = 0;
/** Ever later dates, so each new version takes effect after every earlier one. */
const nextDate = () => new Date(Date.UTC(2031, 0, 1) + day++ * 86_400_000).toISOString().slice(0, 10);

async function privacyNotice(db: Database) {
  return db.prisma.notice.findFirstOrThrow({ where: { organisationId: mailcampId, slug: 'privacy' } });
}
async function makeVersion(db: Database, status: 'DRAFT' | 'PUBLISHED', withTranslation = false) {
  const notice = await privacyNotice(db);
  const v = await db.prisma.noticeVersion.create({
    data: {
      noticeId: notice.id,
      version: `v-${unique()}`,
      effectiveDate: new Date(`${nextDate()}T00:00:00Z`),
      status,
      ...(withTranslation
        ? {
            translations: {
              create: {
                locale: 'nl',
                title: 'T',
                sections: { create: [{ position: 0, anchor: 'a', heading: 'A', body: 'x' }] },
              },
            },
          }
        : {}),
    },
  });
  return encodeGlobalID('NoticeVersion', v.id);
}

interface Case {
  mutation: string;
  allowed: Actor[];
  document: string;
  variables: (db: Database) => Promise<Record<string, unknown>>;
  /** Records one success changes (each gets its audit event); 1 unless said. */
  changes?: number;
  /** A draft (or a webhook) is invisible to those who may not write it: refused as if it did not exist. */
  refusal?: 'NOT_FOUND';
}

const payload = (name: string, field: string) =>
  `mutation($input: ${name.charAt(0).toUpperCase() + name.slice(1)}Input!) { ${name}(input: $input) { ${field} userErrors { code message } } }`;

const cases: Case[] = [
  {
    mutation: 'organisationCreate',
    allowed: ANY_WRITERS,
    document: payload('organisationCreate', 'organisation { slug }'),
    variables: async () => ({ input: { slug: `new-${unique()}`, name: 'New', defaultLocale: 'en' } }),
  },
  {
    mutation: 'organisationUpdate',
    allowed: ORG_WRITERS,
    document: payload('organisationUpdate', 'organisation { name }'),
    variables: async (db) => {
      const org = await db.prisma.organisation.findUniqueOrThrow({ where: { id: mailcampId } });
      return {
        input: {
          id: encodeGlobalID('Organisation', org.id),
          expectedRevision: org.revision,
          name: `MailCamp ${unique()}`,
        },
      };
    },
  },
  {
    mutation: 'organisationApplyManifest',
    allowed: ORG_WRITERS,
    document: `mutation($manifest: String!) { organisationApplyManifest(manifest: $manifest) { changes { action } userErrors { code message } } }`,
    variables: async () => {
      const text = await readFile(new URL('../manifests/mailcamp.yaml', import.meta.url), 'utf8');
      return { manifest: text.replace(/^(\s+name:) MailCamp$/m, `$1 MailCamp ${unique()}`) };
    },
  },
  {
    mutation: 'controllerEntityCreate',
    allowed: ORG_WRITERS,
    document: payload('controllerEntityCreate', 'controllerEntity { legalName }'),
    variables: async () => ({
      input: {
        organisation: 'mailcamp',
        legalName: `Matrix ${unique()} B.V.`,
        role: 'AFFILIATE',
        address: { country: 'NL' },
      },
    }),
  },
  {
    mutation: 'controllerEntityUpdate',
    allowed: ORG_WRITERS,
    document: payload('controllerEntityUpdate', 'controllerEntity { vatNumber }'),
    variables: async (db) => ({
      input: { id: await makeEntity(db), expectedRevision: 1, vatNumber: 'NL000099998B57' },
    }),
  },
  {
    mutation: 'controllerEntityDelete',
    allowed: ORG_WRITERS,
    document: payload('controllerEntityDelete', 'deletedId'),
    variables: async (db) => ({ input: { id: await makeEntity(db), expectedRevision: 1 } }),
  },
  {
    mutation: 'contactCreate',
    allowed: ORG_WRITERS,
    document: payload('contactCreate', 'contact { email }'),
    variables: async () => ({
      input: { organisation: 'mailcamp', kind: 'PRIVACY', email: `m${unique()}@example.org` },
    }),
  },
  {
    mutation: 'contactUpdate',
    allowed: ORG_WRITERS,
    document: payload('contactUpdate', 'contact { phone }'),
    variables: async (db) => ({ input: { id: await makeContact(db), expectedRevision: 1, phone: '+31207058500' } }),
  },
  {
    mutation: 'contactDelete',
    allowed: ORG_WRITERS,
    document: payload('contactDelete', 'deletedId'),
    variables: async (db) => ({ input: { id: await makeContact(db), expectedRevision: 1 } }),
  },
  {
    mutation: 'processorCreate',
    allowed: ORG_WRITERS,
    document: payload('processorCreate', 'processor { name }'),
    variables: async () => ({
      input: {
        organisation: 'mailcamp',
        name: `Matrix ${unique()}`,
        role: 'PROCESSOR',
        service: [{ locale: 'en', text: 'Testing' }],
        transferSafeguard: 'NOT_REQUIRED',
      },
    }),
  },
  {
    mutation: 'processorUpdate',
    allowed: ORG_WRITERS,
    document: payload('processorUpdate', 'processor { certifications }'),
    variables: async (db) => ({
      input: { id: await makeProcessor(db), expectedRevision: 1, certifications: ['ISO 27001'] },
    }),
  },
  {
    mutation: 'processorRetire',
    allowed: ORG_WRITERS,
    document: payload('processorRetire', 'processor { status }'),
    variables: async (db) => ({ input: { id: await makeProcessor(db), expectedRevision: 1 } }),
  },
  {
    mutation: 'retentionRuleCreate',
    allowed: ORG_WRITERS,
    document: payload('retentionRuleCreate', 'retentionRule { period }'),
    variables: async () => ({
      input: {
        organisation: 'mailcamp',
        dataCategory: [{ locale: 'en', text: `Matrix ${unique()}` }],
        period: 'P3M',
        trigger: 'COLLECTION',
        basis: 'CONSENT',
        action: 'DELETE',
      },
    }),
  },
  {
    mutation: 'retentionRuleUpdate',
    allowed: ORG_WRITERS,
    document: payload('retentionRuleUpdate', 'retentionRule { period }'),
    variables: async (db) => ({ input: { id: await makeRule(db), expectedRevision: 1, period: 'P2Y' } }),
  },
  {
    mutation: 'retentionRuleDelete',
    allowed: ORG_WRITERS,
    document: payload('retentionRuleDelete', 'deletedId'),
    variables: async (db) => ({ input: { id: await makeRule(db), expectedRevision: 1 } }),
  },
  {
    mutation: 'otherControllerCreate',
    allowed: ORG_WRITERS,
    document: payload('otherControllerCreate', 'otherController { name }'),
    variables: async () => ({
      input: {
        organisation: 'mailcamp',
        name: `Matrix ${unique()}`,
        role: 'INDEPENDENT',
        service: [{ locale: 'en', text: 'A connected service' }],
      },
    }),
  },
  {
    mutation: 'otherControllerUpdate',
    allowed: ORG_WRITERS,
    document: payload('otherControllerUpdate', 'otherController { role }'),
    variables: async (db) => ({ input: { id: await makeOtherController(db), expectedRevision: 1, role: 'JOINT' } }),
  },
  {
    mutation: 'otherControllerDelete',
    allowed: ORG_WRITERS,
    document: payload('otherControllerDelete', 'deletedId'),
    variables: async (db) => ({ input: { id: await makeOtherController(db), expectedRevision: 1 } }),
  },
  {
    mutation: 'supervisoryAuthorityCreate',
    allowed: ADMINS,
    document: payload('supervisoryAuthorityCreate', 'supervisoryAuthority { slug }'),
    variables: async () => ({ input: { slug: `sa-${unique()}`, name: 'Test authority', country: 'BE' } }),
  },
  {
    mutation: 'supervisoryAuthorityUpdate',
    allowed: ADMINS,
    document: payload('supervisoryAuthorityUpdate', 'supervisoryAuthority { website }'),
    variables: async (db) => {
      const a = await db.prisma.supervisoryAuthority.findUniqueOrThrow({ where: { slug: 'nl-ap' } });
      return {
        input: {
          id: encodeGlobalID('SupervisoryAuthority', a.id),
          expectedRevision: a.revision,
          website: `https://ap.example/${unique()}`,
        },
      };
    },
  },
  {
    mutation: 'noticeCreate',
    allowed: ORG_WRITERS,
    document: payload('noticeCreate', 'notice { slug }'),
    variables: async () => ({ input: { organisation: 'mailcamp', slug: `cookies-${unique()}`, kind: 'COOKIE' } }),
  },
  {
    mutation: 'noticeVersionCreate',
    allowed: ORG_WRITERS,
    document: payload('noticeVersionCreate', 'noticeVersion { status }'),
    variables: async (db) => ({
      input: {
        notice: encodeGlobalID('Notice', (await privacyNotice(db)).id),
        version: `v-${unique()}`,
        effectiveDate: nextDate(),
      },
    }),
  },
  {
    mutation: 'noticeTranslationUpsert',
    allowed: ORG_WRITERS,
    refusal: 'NOT_FOUND',
    document: payload('noticeTranslationUpsert', 'translation { locale }'),
    variables: async (db) => ({
      input: {
        version: await makeVersion(db, 'DRAFT'),
        locale: 'en',
        title: 'Privacy',
        markdown: '## Who we are\n\nA test.',
      },
    }),
  },
  {
    mutation: 'noticeVersionPublish',
    allowed: ORG_WRITERS,
    refusal: 'NOT_FOUND',
    document: payload('noticeVersionPublish', 'noticeVersion { status }'),
    variables: async (db) => ({ input: { id: await makeVersion(db, 'DRAFT', true), expectedRevision: 1 } }),
  },
  {
    mutation: 'noticeVersionArchive',
    allowed: ORG_WRITERS,
    document: payload('noticeVersionArchive', 'noticeVersion { status }'),
    variables: async (db) => ({ input: { id: await makeVersion(db, 'PUBLISHED', true), expectedRevision: 1 } }),
  },
  {
    mutation: 'noticeImport',
    allowed: ORG_WRITERS,
    // The new draft version and its translation.
    changes: 2,
    document: payload('noticeImport', 'report { sectionCount }'),
    variables: async () => ({
      input: {
        organisation: 'mailcamp',
        locale: 'nl',
        version: `v-${unique()}`,
        effectiveDate: nextDate(),
        content: 'Privacyverklaring\n\nWie zijn wij?\n\nEen test van de import.\n',
      },
    }),
  },
  {
    mutation: 'tcfVendorListImport',
    allowed: ADMINS,
    // The list version and the one purpose it defines.
    changes: 2,
    document: payload('tcfVendorListImport', 'newVersion'),
    variables: async () => ({
      input: {
        list: JSON.stringify({
          gvlSpecificationVersion: 3,
          vendorListVersion: 1000 + n++,
          tcfPolicyVersion: 5,
          lastUpdated: '2026-01-01T00:00:00Z',
          purposes: { '1': { id: 1, name: 'Store and/or access information on a device', description: 'A test.' } },
          vendors: {},
        }),
      },
    }),
  },
  {
    mutation: 'organisationPrivacyUpdate',
    allowed: ORG_WRITERS,
    document: payload('organisationPrivacyUpdate', 'organisation { slug }'),
    variables: async (db) => {
      const profile = await db.prisma.privacyProfile.findUniqueOrThrow({ where: { organisationId: mailcampId } });
      const facts = profile.facts as { minimumAge?: number };
      return {
        input: {
          organisation: 'mailcamp',
          expectedRevision: profile.revision,
          privacy: { ...facts, minimumAge: ((facts.minimumAge ?? 16) % 20) + 1 },
        },
      };
    },
  },
  {
    mutation: 'webhookCreate',
    allowed: ORG_WRITERS,
    document: payload('webhookCreate', 'webhook { url }'),
    variables: async () => ({ input: { organisation: 'mailcamp', url: `https://hooks.example.com/${unique()}` } }),
  },
  {
    mutation: 'webhookUpdate',
    allowed: ORG_WRITERS,
    refusal: 'NOT_FOUND',
    document: payload('webhookUpdate', 'webhook { description }'),
    variables: async (db) => ({ input: { id: await makeWebhook(db), expectedRevision: 1, description: unique() } }),
  },
  {
    mutation: 'webhookDelete',
    allowed: ORG_WRITERS,
    refusal: 'NOT_FOUND',
    document: payload('webhookDelete', 'deletedId'),
    variables: async (db) => ({ input: { id: await makeWebhook(db), expectedRevision: 1 } }),
  },
  {
    mutation: 'webhookTest',
    allowed: ORG_WRITERS,
    refusal: 'NOT_FOUND',
    // Nothing changes: a message is sent (here refused before connecting: loopback is private).
    changes: 0,
    document: payload('webhookTest', 'result { ok }'),
    variables: async (db) => ({ input: { id: await makeWebhook(db) } }),
  },
  {
    mutation: 'webhookRedeliver',
    allowed: ORG_WRITERS,
    refusal: 'NOT_FOUND',
    // Deliveries are queued again; no record changes.
    changes: 0,
    document: payload('webhookRedeliver', 'requeued'),
    variables: async (db) => ({ input: { id: await makeWebhook(db), since: encodeCursor(0n) } }),
  },
];

beforeAll(async () => {
  api = await startTestServer();
  mailcampId = (await api.db.prisma.organisation.findUniqueOrThrow({ where: { slug: 'mailcamp' } })).id;
  headers.anonymous = {};
  headers.read = { authorization: (await bearer(api.db, ['read'])).authorization };
  headers['other organisation'] = { authorization: (await bearer(api.db, ['write:mamoru'])).authorization };
  const revoked = await bearer(api.db, ['write:mailcamp']);
  await api.db.prisma.apiKey.update({ where: { id: revoked.id }, data: { revokedAt: new Date(Date.now() - 1000) } });
  headers.revoked = { authorization: revoked.authorization };
  headers.expired = {
    authorization: (await bearer(api.db, ['write:mailcamp'], { expiresAt: new Date(Date.now() - 1000) })).authorization,
  };
  headers['write:mailcamp'] = { authorization: (await bearer(api.db, ['write:mailcamp'])).authorization };
  headers['write:*'] = { authorization: (await bearer(api.db, ['write:*'])).authorization };
  headers.admin = { authorization: (await bearer(api.db, ['admin'])).authorization };
});
afterAll(() => api.close());

it('covers every mutation in the schema', async () => {
  const { data } = await api.gql(`{ __schema { mutationType { fields { name } } } }`);
  const names = data!.__schema.mutationType.fields.map((f: any) => f.name).sort();
  expect(cases.map((c) => c.mutation).sort()).toEqual(names);
});

describe.each(cases)('$mutation', (c) => {
  it.each(actors)('as %s', async (actor) => {
    const variables = await c.variables(api.db);
    const auditBefore = await api.db.prisma.auditEvent.count();
    const body = await api.gql(c.document, variables, headers[actor]);
    expect(body.errors).toBeUndefined();
    const result = body.data![c.mutation];
    const auditAfter = await api.db.prisma.auditEvent.count();
    if (c.allowed.includes(actor)) {
      expect(result.userErrors).toEqual([]);
      expect(auditAfter).toBe(auditBefore + (c.changes ?? 1));
    } else if (c.refusal === 'NOT_FOUND') {
      expect(result.userErrors).toEqual([
        { code: 'NOT_FOUND', message: expect.stringMatching(/^no (NoticeVersion|Webhook) has this id/) },
      ]);
      expect(auditAfter).toBe(auditBefore);
    } else {
      expect(result.userErrors).toEqual([{ code: 'FORBIDDEN', message: expect.stringMatching(/^Forbidden: /) }]);
      expect(auditAfter).toBe(auditBefore);
    }
  });
});

it('says why a key was refused', async () => {
  const document = cases.find((c) => c.mutation === 'contactCreate')!.document;
  const variables = await cases.find((c) => c.mutation === 'contactCreate')!.variables(api.db);
  const messages: Record<string, string> = {};
  for (const actor of ['anonymous', 'read', 'revoked', 'expired'] as Actor[]) {
    messages[actor] = (await api.gql(document, variables, headers[actor])).data!.contactCreate.userErrors[0].message;
  }
  expect(messages).toEqual({
    anonymous: 'Forbidden: an API key is required.',
    read: 'Forbidden: the API key lacks the scope for this; it needs write:mailcamp (or write:*, admin).',
    revoked: 'Forbidden: the API key has been revoked.',
    expired: 'Forbidden: the API key has expired.',
  });
});
