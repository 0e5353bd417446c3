// The benchmark's data set: the seed manifests, scaled up with synthetic
// organisations so that list queries cross many organisations and the
// database is not trivially small, and a real TCF Global Vendor List (692
// vendors, from the @cookiehub/iabtcf-testing devDependency), whose import is
// timed. Generated here, never committed.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import pg from 'pg';
import { systemCaller } from '../src/auth/actor.js';
import { openDatabase } from '../src/db/client.js';
import { Writer } from '../src/domain/writer.js';
import { applyManifest } from '../src/manifest/load.js';
import { importVendorDocument } from '../src/tcf/document.js';
import { validateManifest } from '../src/manifest/parse.js';
import type { Cluster } from './cluster.js';
import { runCommand } from './proc.js';

export const SYNTHETIC_ORGANISATIONS = 200;

const PROCESSORS = [
  ['Amazon Web Services', 'US', ['IE', 'DE']],
  ['Microsoft Azure', 'US', ['NL', 'IE']],
  ['Google Cloud', 'US', ['BE', 'NL']],
  ['Hetzner', 'DE', ['DE', 'FI']],
  ['OVHcloud', 'FR', ['FR']],
  ['Zendesk', 'US', ['IE', 'DE']],
  ['Mailchimp', 'US', ['US']],
  ['Stripe', 'IE', ['IE', 'US']],
  ['Mollie', 'NL', ['NL']],
  ['Twilio', 'US', ['US', 'IE']],
  ['Salesforce', 'US', ['DE', 'FR']],
  ['HubSpot', 'US', ['DE']],
  ['Exact Online', 'NL', ['NL']],
  ['TransIP', 'NL', ['NL']],
  ['Cloudflare', 'US', ['NL', 'DE', 'US']],
] as const;

const COUNTRIES = ['NL', 'DE', 'BE', 'FR', 'IE'] as const;
const TOPICS = [
  ['Wie wij zijn', 'Who we are'],
  ['Welke gegevens wij verwerken', 'What data we process'],
  ['Waarom wij gegevens verwerken', 'Why we process data'],
  ['Grondslagen', 'Legal bases'],
  ['Bewaartermijnen', 'Retention periods'],
  ['Verwerkers', 'Processors'],
  ['Doorgifte buiten de EER', 'Transfers outside the EEA'],
  ['Beveiliging', 'Security'],
  ['Cookies', 'Cookies'],
  ['Jouw rechten', 'Your rights'],
  ['Inzage en correctie', 'Access and rectification'],
  ['Bezwaar', 'Objection'],
  ['Klachten', 'Complaints'],
  ['Wijzigingen', 'Changes'],
  ['Contact', 'Contact'],
] as const;

function sections(org: number, lang: 0 | 1) {
  return TOPICS.map((topic, i) => ({
    heading: topic[lang],
    level: i % 4 === 3 ? 3 : 2,
    body:
      lang === 0
        ? `Organisatie ${org} beschrijft hier ${topic[0].toLowerCase()}. Wij verwerken persoonsgegevens zorgvuldig ` +
          `en alleen voor de doelen die in deze verklaring staan.\n\n- punt een\n- punt twee`
        : `Organisation ${org} describes ${topic[1].toLowerCase()} here. We process personal data with care ` +
          `and only for the purposes stated in this notice.\n\n- point one\n- point two`,
  }));
}

/** One synthetic organisation: an entity, contacts, five processors, retention rules, a notice in nl and en. */
export function syntheticManifest(n: number): unknown {
  const slug = `bench-org-${String(n).padStart(3, '0')}`;
  const country = COUNTRIES[n % COUNTRIES.length]!;
  const processors = [0, 1, 2, 3, 4].map((i) => {
    const [name, hq, locations] = PROCESSORS[(n * 5 + i * 7) % PROCESSORS.length]!;
    return {
      key: `p${i}`,
      name,
      role: 'SUB_PROCESSOR',
      service: { nl: `Dienst ${i} voor ${slug}`, en: `Service ${i} for ${slug}` },
      headquartersCountry: hq,
      dataLocations: locations.map((c, j) => (j === 0 ? c : { country: c, locality: `Region ${j}` })),
      transferSafeguard: hq === 'US' ? 'EU_US_DATA_PRIVACY_FRAMEWORK' : 'NOT_REQUIRED',
      agreementInPlace: true,
    };
  });
  return {
    organisation: { slug, name: `Bench Organisation ${n}`, website: `https://${slug}.example`, defaultLocale: 'nl' },
    // Shared reference data, loaded with the seed: referenced, not defined.
    supervisoryAuthorities: ['nl-ap'],
    controllerEntities: [
      {
        key: 'main',
        legalName: `Bench Organisation ${n} B.V.`,
        role: 'CONTROLLER',
        registry: 'Kamer van Koophandel',
        registrationNumber: String(10_000_000 + n),
        address: { street: `Benchstraat ${n}`, postalCode: '1234 AB', locality: 'Utrecht', country },
      },
    ],
    contacts: [
      { key: 'general', kind: 'GENERAL', entity: 'main', email: `info@${slug}.example` },
      { key: 'dpo', kind: 'DPO', entity: 'main', email: `dpo@${slug}.example`, note: { nl: 'FG', en: 'DPO' } },
      { key: 'privacy', kind: 'PRIVACY', url: `https://${slug}.example/privacy` },
    ],
    processors,
    retentionRules: [
      { key: 'invoices', dataCategory: { nl: 'Facturen', en: 'Invoices' }, period: 'P7Y' },
      { key: 'account', dataCategory: { nl: 'Account', en: 'Account' }, period: 'P1Y' },
      { key: 'logs', dataCategory: { nl: 'Logbestanden', en: 'Logs' }, period: 'P3M' },
    ].map((r) => ({ ...r, trigger: 'CONTRACT_END', basis: 'STATUTORY', action: 'DELETE' })),
    notices: [
      {
        slug: 'privacy',
        kind: 'PRIVACY',
        versions: [
          {
            version: '1.0',
            effectiveDate: '2024-01-01',
            status: 'PUBLISHED',
            translations: [
              { locale: 'nl', title: `Privacyverklaring ${n}`, sections: sections(n, 0) },
              { locale: 'en', title: `Privacy notice ${n}`, sections: sections(n, 1) },
            ],
          },
        ],
      },
    ],
  };
}

/** Loads `count` synthetic organisations, a few transactions at a time. */
export async function loadSyntheticOrganisations(databaseUrl: string, count: number): Promise<void> {
  const db = await openDatabase({ kind: 'postgres', url: databaseUrl, poolSize: 8 });
  try {
    let next = 1;
    const worker = async () => {
      while (next <= count) {
        const n = next++;
        const parsed = validateManifest(syntheticManifest(n));
        if (!parsed.ok) throw new Error(`synthetic manifest ${n}: ${JSON.stringify(parsed.problems)}`);
        await applyManifest(db.prisma, parsed.manifest);
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
  } finally {
    await db.close();
  }
}

/** The vendor list of the benchmark: the package's v2.2 list, 692 vendors. */
export const VENDOR_LIST = '@cookiehub/iabtcf-testing/lib/vendorlist/v2.2/vendor-list-v17.json';

export interface VendorImport {
  vendors: number;
  ms: number;
}

/** Imports the vendor list as one unit of work through the writer, as npm run vendors:import does, and times it. */
export async function loadVendorList(databaseUrl: string): Promise<VendorImport> {
  const text = await readFile(createRequire(import.meta.url).resolve(VENDOR_LIST), 'utf8');
  const db = await openDatabase({ kind: 'postgres', url: databaseUrl, poolSize: 2 });
  try {
    const started = performance.now();
    const outcome = await importVendorDocument(
      new Writer({ prisma: db.prisma }),
      { caller: systemCaller('bench'), requestId: 'bench vendor list' },
      text,
    );
    const ms = performance.now() - started;
    if (!outcome.ok || outcome.report.kind !== 'list') throw new Error(`vendor list: ${JSON.stringify(outcome)}`);
    return { vendors: outcome.report.vendors.added, ms: Math.round(ms) };
  } finally {
    await db.close();
  }
}

async function sql(url: string, ...statements: string[]): Promise<void> {
  const client = new pg.Client(url);
  await client.connect();
  try {
    for (const statement of statements) await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Creates the `bench` database: migrations as deployed, the seed, the synthetic organisations, the vendor list. */
export async function prepareBenchDatabase(
  cluster: Cluster,
  root: string,
  log: (line: string) => void,
): Promise<{ url: string; vendorImport: VendorImport }> {
  await sql(cluster.adminUrl, 'CREATE DATABASE bench');
  const url = cluster.urlFor('bench');
  await sql(url, 'CREATE EXTENSION pg_stat_statements');
  const env = { ...process.env, DATABASE_URL: url };
  let t = Date.now();
  runCommand(['npm', 'run', 'db:migrate'], env, root);
  log(`migrated (${Date.now() - t} ms)`);
  t = Date.now();
  runCommand(['npm', 'run', 'db:seed'], env, root);
  log(`seeded (${Date.now() - t} ms)`);
  t = Date.now();
  await loadSyntheticOrganisations(url, SYNTHETIC_ORGANISATIONS);
  log(`loaded ${SYNTHETIC_ORGANISATIONS} synthetic organisations (${Date.now() - t} ms)`);
  const vendorImport = await loadVendorList(url);
  log(`imported the vendor list: ${vendorImport.vendors} vendors in ${vendorImport.ms} ms`);
  // Fresh statistics, so every server gets the same plans from the start.
  await sql(url, 'VACUUM ANALYZE');
  return { url, vendorImport };
}
