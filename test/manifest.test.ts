// Manifests: validation with paths, all-or-nothing loading, idempotent upserts
// and the change report, against a real database.
import { readFile } from 'node:fs/promises';
import { parse, stringify } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyManifest } from '../src/manifest/load.js';
import { parseManifest, validateManifest } from '../src/manifest/parse.js';
import type { Manifest } from '../src/manifest/schema.js';
import { cloneTestDatabase } from './support/database.js';
import type { Database } from '../src/db/client.js';

const fixture = new URL('./fixtures/acme.yaml', import.meta.url);
let source: string;
let db: Database;

beforeAll(async () => {
  source = await readFile(fixture, 'utf8');
  db = await cloneTestDatabase();
});
afterAll(() => db.close());

function manifest(edit?: (m: any) => void): Manifest {
  const raw = parse(source);
  edit?.(raw);
  const result = validateManifest(raw);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.manifest;
}

async function rowCounts() {
  const p = db.prisma;
  return {
    organisations: await p.organisation.count(),
    processors: await p.processor.count(),
    contacts: await p.contact.count(),
    sections: await p.noticeSection.count(),
  };
}

describe('validation', () => {
  it('names the path, the reason and a stable code for each bad field', () => {
    const raw = parse(source);
    raw.contacts[0].email = 'dpo-at-acme';
    raw.controllerEntities[0].address.country = 'Netherlands';
    raw.retentionRules[0].period = '7 years';
    raw.processors[0].dataLocations[0] = 'XX';
    const result = validateManifest(raw);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual(
      expect.arrayContaining([
        { path: 'contacts.0.email', code: 'INVALID_EMAIL', message: 'not a valid e-mail address' },
        expect.objectContaining({ path: 'controllerEntities.0.address.country', code: 'INVALID_COUNTRY' }),
        expect.objectContaining({ path: 'retentionRules.0.period', code: 'INVALID_DURATION' }),
      ]),
    );
    expect(result.problems.some((p) => p.path.startsWith('processors.0.dataLocations.0'))).toBe(true);
  });

  it('refuses unknown fields, duplicate keys and dangling references', () => {
    const result = validateManifest(
      parse(
        source
          .replace('kind: DPO', 'kind: DPO\n    favouriteColour: blue')
          .replace('entity: acme-bv', 'entity: nobody'),
      ),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const paths = result.problems.map((p) => `${p.path} ${p.code}`);
    expect(paths).toContain('contacts.0 UNKNOWN_FIELD');
    expect(paths).toContain('contacts.0.entity NOT_FOUND');
    const anchors = validateManifest(
      parse(
        source
          .replace('{ heading: Who we are,', '{ heading: Who we are, anchor: x,')
          .replace('{ heading: Retention,', '{ heading: Retention, anchor: x,'),
      ),
    );
    expect(!anchors.ok && anchors.problems.map((p) => p.message)).toContainEqual(
      expect.stringMatching(/duplicate anchor "x"/),
    );
    const dup = validateManifest({
      ...parse(source),
      processors: [...parse(source).processors, ...parse(source).processors],
    });
    expect(!dup.ok && dup.problems.map((p) => p.code)).toContain('DUPLICATE');
  });

  it('reports YAML syntax errors with a line', () => {
    const result = parseManifest('organisation: [unclosed');
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.problems[0]).toMatchObject({ code: 'SYNTAX', path: expect.stringMatching(/^line \d+/) });
  });

  it('accepts every seed manifest', async () => {
    for (const slug of ['mailcamp', 'mamoru', 'mimecast']) {
      const text = await readFile(new URL(`../manifests/${slug}.yaml`, import.meta.url), 'utf8');
      const result = parseManifest(text);
      expect(result.ok ? 'valid' : result.problems).toBe('valid');
    }
  });
});

describe('loading', () => {
  it('creates everything on the first load and nothing on the second', async () => {
    const first = await applyManifest(db.prisma, manifest());
    expect(first.changes.filter((c) => c.action === 'CREATE').map((c) => c.entity)).toEqual(
      expect.arrayContaining([
        'Organisation',
        'ControllerEntity',
        'Contact',
        'Processor',
        'RetentionRule',
        'NoticeTranslation',
      ]),
    );
    const before = await db.prisma.organisation.findUniqueOrThrow({ where: { slug: 'acme' } });
    const second = await applyManifest(db.prisma, manifest());
    expect(second.changes).toEqual([]);
    const after = await db.prisma.organisation.findUniqueOrThrow({ where: { slug: 'acme' } });
    expect(after.updatedAt).toEqual(before.updatedAt);
  });

  it('reports and writes only what changed', async () => {
    const result = await applyManifest(
      db.prisma,
      manifest((m) => {
        m.processors[0].dataLocations = ['IE'];
        m.contacts[0].phone = '+31307654321';
      }),
    );
    expect(result.changes).toEqual([
      { entity: 'Contact', key: 'dpo', action: 'UPDATE', fields: ['phone'] },
      { entity: 'Processor', key: 'hosting', action: 'UPDATE', fields: ['dataLocations'] },
    ]);
    const processor = await db.prisma.processor.findFirstOrThrow({
      where: { key: 'hosting' },
      include: { dataLocations: true },
    });
    expect(processor.dataLocations.map((l) => l.country)).toEqual(['IE']);
  });

  it('retires a processor the manifest no longer lists instead of deleting it', async () => {
    const result = await applyManifest(
      db.prisma,
      manifest((m) => (m.processors = [])),
    );
    expect(result.changes).toContainEqual({
      entity: 'Processor',
      key: 'hosting',
      action: 'RETIRE',
      fields: ['status', 'validUntil'],
    });
    const processor = await db.prisma.processor.findFirstOrThrow({ where: { key: 'hosting' } });
    expect(processor.status).toBe('RETIRED');
    expect(processor.activeUntil).not.toBeNull();
  });

  it('changes nothing in a dry run but reports what would change', async () => {
    const before = await rowCounts();
    const result = await applyManifest(
      db.prisma,
      manifest((m) => (m.organisation.slug = 'acme-copy')),
      { dryRun: true },
    );
    expect(result.changes.some((c) => c.entity === 'Organisation' && c.action === 'CREATE')).toBe(true);
    expect(await rowCounts()).toEqual(before);
    expect(await db.prisma.organisation.findUnique({ where: { slug: 'acme-copy' } })).toBeNull();
  });

  it('writes nothing when a write fails half-way', async () => {
    const before = await rowCounts();
    // Validation would refuse duplicate anchors; edited after it, only the database's unique
    // index does, after the organisation and its other records were already written.
    const bad = manifest((m) => (m.organisation.slug = 'acme-broken'));
    bad.notices[0]!.versions[0]!.translations[0]!.sections = [
      { heading: 'A', anchor: 'same', level: 2, body: '' },
      { heading: 'B', anchor: 'same', level: 2, body: '' },
    ];
    await expect(applyManifest(db.prisma, bad)).rejects.toThrow();
    expect(await rowCounts()).toEqual(before);
    expect(await db.prisma.organisation.findUnique({ where: { slug: 'acme-broken' } })).toBeNull();
  });

  it('round-trips through YAML text', () => {
    expect(parseManifest(stringify(parse(source))).ok).toBe(true);
  });
});
