// The seed data set: the organisation manifests shipped in manifests/.
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PrismaClient } from './client.js';
import { applyManifest, type ApplyResult } from '../manifest/apply.js';
import { parseManifest } from '../manifest/parse.js';

export const SEED_DIR = fileURLToPath(new URL('../../manifests', import.meta.url));

export class ManifestError extends Error {
  constructor(
    readonly file: string,
    readonly problems: { path: string; code: string; message: string }[],
  ) {
    super(problems.map((p) => `${file}: ${p.path}: ${p.message}`).join('\n'));
  }
}

/** Validates every file first, then applies each in its own transaction. */
export async function loadManifestFiles(
  prisma: PrismaClient,
  files: string[],
  options: { dryRun?: boolean } = {},
): Promise<{ file: string; result: ApplyResult }[]> {
  const parsed = [];
  const errors: ManifestError[] = [];
  for (const file of files) {
    const result = parseManifest(await readFile(file, 'utf8'));
    if (result.ok) parsed.push({ file, manifest: result.manifest });
    else errors.push(new ManifestError(file, result.problems));
  }
  if (errors.length > 0) throw new AggregateError(errors, errors.map((e) => e.message).join('\n'));
  const out = [];
  for (const { file, manifest } of parsed) out.push({ file, result: await applyManifest(prisma, manifest, options) });
  return out;
}

export async function seedFiles(dir = SEED_DIR): Promise<string[]> {
  const names = (await readdir(dir)).filter((n) => /\.(ya?ml|json)$/.test(n)).sort();
  return names.map((n) => path.join(dir, n));
}

/** Seeds an empty database; a database that already holds organisations is left alone. */
export async function seedIfEmpty(prisma: PrismaClient): Promise<boolean> {
  if ((await prisma.organisation.count()) > 0) return false;
  await loadManifestFiles(prisma, await seedFiles());
  return true;
}
