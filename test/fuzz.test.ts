// Property-based fuzzing of mutation variables: processorCreate, contactCreate
// and retentionRuleCreate get inputs whose fields are mostly plausible and
// sometimes anything at all (strings of every kind, very long or empty ones,
// numbers, booleans, nulls, lists, objects, near-miss enum values). Whatever
// arrives, the answer is a 200 or a 4xx with a JSON body that either carries
// top-level errors (the variables failed GraphQL's type checks) or the
// mutation's `userErrors` list; never an unexpected fault. A refused mutation
// writes nothing; an accepted one writes exactly one row.
//
// The seed is fixed so a failure reproduces; FUZZ_SEED=<n> tries another one.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearer } from './support/keys.js';
import { startTestServer, type TestServer } from './support/server.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20_260_101);
const RUNS = 60;

let api: TestServer;
let writer: Awaited<ReturnType<typeof bearer>>;
beforeAll(async () => {
  api = await startTestServer();
  writer = await bearer(api.db, ['write:mailcamp'], { label: 'fuzz' });
});
afterAll(() => api?.close());

// ---- Arbitraries -------------------------------------------------------------

const awkwardStrings = fc.constantFrom(
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800',
  '\uDFFF\uD800',
  '\u202Eevil',
  'Z\u0351\u0360\u0341a\u0353\u0335lgo',
  '💩'.repeat(50),
  "'; DROP TABLE processor; --",
  '{"$ne": null}',
  '<script>alert(1)</script>',
  'javascript:alert(1)',
  '../../etc/passwd',
  '%00%0d%0a',
  'null',
  'undefined',
  'NaN',
);

/** Strings of every kind: they pass GraphQL's type checks and reach the API's own validation. */
const anyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string() },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
  { weight: 3, arbitrary: awkwardStrings },
  { weight: 1, arbitrary: fc.string({ minLength: 5_000, maxLength: 20_000, unit: 'grapheme-ascii' }) },
);

/** Values of the wrong type: GraphQL refuses them before any resolver runs. */
const wrongType: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.array(fc.string({ maxLength: 10 }), { maxLength: 3 }),
  fc.jsonValue({ maxDepth: 2 }),
);

/** Anything a client could put where a field goes. */
const junk: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: anyString },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 1, arbitrary: wrongType },
);

/** A string field: mostly plausible, else a string of any kind, now and then null or a value of the wrong type. */
const field = <T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 24, arbitrary: valid },
    { weight: 8, arbitrary: anyString },
    { weight: 2, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: wrongType },
  );

/** A field of another type (boolean, list, object): mostly plausible, now and then null or anything. */
const typed = <T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 30, arbitrary: valid },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: junk },
  );

/** Mostly a real enum value, sometimes one that looks like it. */
const enumish = (...values: string[]) =>
  fc.oneof(
    { weight: 40, arbitrary: fc.constantFrom(...values) },
    { weight: 1, arbitrary: fc.constantFrom(...values.map((v) => v.toLowerCase()), ...values.map((v) => ` ${v}`)) },
    { weight: 1, arbitrary: fc.stringMatching(/^[A-Z][A-Z_]{0,24}$/) },
    { weight: 1, arbitrary: junk },
  );

const keyString = fc.stringMatching(/^[a-z0-9]{1,12}(-[a-z0-9]{1,8}){0,2}$/);
const text = (max: number) => fc.string({ minLength: 1, maxLength: max });
const date = fc
  .date({ min: new Date('1990-01-01'), max: new Date('2040-12-31'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const country = fc.constantFrom('NL', 'DE', 'US', 'IE', 'GB', 'FR');
const locale = fc.constantFrom('nl', 'en', 'de', 'de-AT', 'en-GB');
const localised = fc.oneof(
  { weight: 20, arbitrary: fc.array(fc.record({ locale, text: text(60) }), { minLength: 1, maxLength: 3 }) },
  { weight: 6, arbitrary: fc.array(fc.record({ locale: field(locale), text: field(text(60)) }), { maxLength: 3 }) },
  { weight: 1, arbitrary: junk },
);
const organisation = fc.oneof(
  { weight: 16, arbitrary: fc.constant('mailcamp') },
  // Other organisations (the key may not write them) and ones that do not exist.
  { weight: 1, arbitrary: fc.constantFrom('mimecast', 'mamoru', 'MailCamp', 'nope') },
  { weight: 1, arbitrary: junk },
);

const processorInput = fc.record(
  {
    organisation,
    name: field(text(80)),
    role: enumish('PROCESSOR', 'SUB_PROCESSOR', 'INDEPENDENT_CONTROLLER'),
    service: localised,
    transferSafeguard: enumish(
      'ADEQUACY_DECISION',
      'BINDING_CORPORATE_RULES',
      'EU_US_DATA_PRIVACY_FRAMEWORK',
      'NOT_REQUIRED',
      'SAFE_HARBOR',
      'STANDARD_CONTRACTUAL_CLAUSES',
      'UNKNOWN',
    ),
    key: field(keyString),
    legalName: field(text(120)),
    headquartersCountry: field(country),
    dataLocations: typed(
      fc.array(fc.record({ country: field(country), locality: field(text(40)) }, { requiredKeys: ['country'] }), {
        maxLength: 4,
      }),
    ),
    certifications: typed(fc.array(field(text(40)), { maxLength: 5 })),
    agreementInPlace: typed(fc.boolean()),
    status: enumish('ACTIVE', 'PLANNED', 'RETIRED'),
    activeFrom: field(date),
    activeUntil: field(date),
    website: field(fc.webUrl()),
  },
  { requiredKeys: ['organisation', 'name', 'role', 'service', 'transferSafeguard'] },
);

const addressInput = fc.record(
  {
    country: field(country),
    street: field(text(60)),
    postalCode: field(text(12)),
    locality: field(text(40)),
    region: field(text(40)),
  },
  { requiredKeys: ['country'] },
);

const contactInput = fc.record(
  {
    organisation,
    kind: enumish(
      'DATA_SUBJECT_REQUESTS',
      'DISPUTE_RESOLUTION',
      'DPO',
      'GENERAL',
      'LEGAL',
      'PRIVACY',
      'SECURITY_OFFICER',
    ),
    key: field(keyString),
    name: field(text(80)),
    department: field(text(80)),
    email: field(fc.emailAddress()),
    phone: field(fc.constantFrom('+31207058500', '+442071234567', '+4930123456')),
    url: field(fc.webUrl()),
    address: typed(addressInput),
    note: localised,
    controllerEntity: fc.oneof({ weight: 4, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: anyString }),
    activeFrom: field(date),
    activeUntil: field(date),
  },
  { requiredKeys: ['organisation', 'kind'] },
);

const retentionRuleInput = fc.record(
  {
    organisation,
    dataCategory: localised,
    period: field(fc.constantFrom('P7Y', 'P1M', 'P30D', 'P2Y6M', 'PT12H')),
    criterion: localised,
    trigger: enumish(
      'ACCOUNT_CREATION',
      'CANCELLATION',
      'COLLECTION',
      'CONTRACT_END',
      'DELETION',
      'LAST_ACTIVITY',
      'PURPOSE_FULFILLED',
    ),
    basis: enumish('CONSENT', 'CONTRACTUAL', 'LEGITIMATE_INTEREST', 'STATUTORY'),
    action: enumish('ANONYMISE', 'ARCHIVE', 'DELETE'),
    key: field(keyString),
    legalReference: field(text(120)),
  },
  { requiredKeys: ['organisation', 'dataCategory', 'trigger', 'basis', 'action'] },
);

// ---- The property ------------------------------------------------------------

interface Target {
  mutation: 'processorCreate' | 'contactCreate' | 'retentionRuleCreate';
  inputType: string;
  object: string;
  input: fc.Arbitrary<unknown>;
  count: () => Promise<number>;
}

const targets: Target[] = [
  {
    mutation: 'processorCreate',
    inputType: 'ProcessorCreateInput',
    object: 'processor',
    input: processorInput,
    count: () => api.db.prisma.processor.count(),
  },
  {
    mutation: 'contactCreate',
    inputType: 'ContactCreateInput',
    object: 'contact',
    input: contactInput,
    count: () => api.db.prisma.contact.count(),
  },
  {
    mutation: 'retentionRuleCreate',
    inputType: 'RetentionRuleCreateInput',
    object: 'retentionRule',
    input: retentionRuleInput,
    count: () => api.db.prisma.retentionRule.count(),
  },
];

type Outcome = 'accepted' | 'userErrors' | 'topLevel';

async function check(target: Target, input: unknown): Promise<Outcome> {
  const before = await target.count();
  const response = await fetch(api.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: writer.authorization },
    body: JSON.stringify({
      query: `mutation($input: ${target.inputType}!) {
        ${target.mutation}(input: $input) { ${target.object} { id } userErrors { field code message } }
      }`,
      variables: { input },
    }),
    signal: AbortSignal.timeout(15_000),
  });
  const text = await response.text();
  const summary = `HTTP ${response.status}: ${text.slice(0, 500)}`;

  expect(response.status === 200 || (response.status >= 400 && response.status < 500), summary).toBe(true);
  let body: any;
  expect(() => (body = JSON.parse(text)), summary).not.toThrow();
  const after = await target.count();

  if (Array.isArray(body.errors) && body.errors.length > 0) {
    // Top-level errors are the variables failing GraphQL's type checks, never a fault.
    const faults = body.errors.filter(
      (e: any) => e?.extensions?.code === 'INTERNAL_SERVER_ERROR' || /unexpected error/i.test(String(e?.message)),
    );
    expect(faults, summary).toEqual([]);
    expect(after, `written despite errors — ${summary}`).toBe(before);
    return 'topLevel';
  }
  const payload = body.data?.[target.mutation];
  expect(Array.isArray(payload?.userErrors), summary).toBe(true);
  if (payload.userErrors.length > 0) {
    expect(payload[target.object], summary).toBeNull();
    expect(after, `written despite user errors — ${summary}`).toBe(before);
    return 'userErrors';
  }
  expect(payload[target.object]?.id, summary).toEqual(expect.any(String));
  expect(after, `accepted but not written once — ${summary}`).toBe(before + 1);
  return 'accepted';
}

describe('fuzzing mutation variables', () => {
  it.each(targets)(
    '$mutation answers every input with a refusal or exactly one write',
    async (target) => {
      const outcomes: Record<Outcome, number> = { accepted: 0, userErrors: 0, topLevel: 0 };
      const property = fc.asyncProperty(target.input, async (input) => {
        outcomes[await check(target, input)]++;
      });
      try {
        await fc.assert(property, { seed: SEED, numRuns: RUNS });
      } catch (error) {
        console.error(`fuzz ${target.mutation} failed with seed ${SEED} (rerun with FUZZ_SEED=${SEED})`);
        throw error;
      }
      console.info(`fuzz ${target.mutation} (seed ${SEED}): ${JSON.stringify(outcomes)}`);
      // The generators reach both kinds of refusal, not just one.
      expect(outcomes.topLevel).toBeGreaterThan(0);
      expect(outcomes.userErrors).toBeGreaterThan(0);
    },
    90_000,
  );

  it('still answers after the fuzzing', async () => {
    const { data, errors } = await api.gql(`{ organisation(slug: "mailcamp") { name } }`);
    expect(errors).toBeUndefined();
    expect(data!.organisation.name).toBe('MailCamp');
  });
});
