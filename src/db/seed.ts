// The seed data set: the shared reference data in manifests/reference/, then
// the organisation manifests in manifests/, loaded through the writer like any
// other manifest (audited as the seed).
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { systemCaller, type Caller } from '../auth/actor.js';
import { Writer } from '../domain/writer.js';
import { loadManifest, type LoadResult } from '../manifest/load.js';
import { parseManifest } from '../manifest/parse.js';
import type { PrismaClient } from './client.js';

export const SEED_DIR = fileURLToPath(new URL('../../manifests', import.meta.url));

export class ManifestError extends Error {
  constructor(
    readonly file: string,
    readonly problems: { path: string; code: string; message: string }[],
  ) {
    super(problems.map((p) => `${file}: ${p.path}: ${p.message} [${p.code}]`).join('\n'));
  }
}

/**
 * Validates every file first, then loads each in its own unit of work, in
 * order; a file the writer refuses stops the load there (files before it stay
 * loaded). Refusals throw an AggregateError of ManifestErrors.
 */
export async function loadManifestFiles(
  prisma: PrismaClient,
  files: string[],
  options: { dryRun?: boolean; writer?: Writer; caller?: Caller } = {},
): Promise<{ file: string; result: LoadResult }[]> {
  const writer = options.writer ?? new Writer({ prisma });
  const caller = options.caller ?? systemCaller('manifest load');
  const parsed = [];
  const errors: ManifestError[] = [];
  for (const file of files) {
    const result = parseManifest(await readFile(file, 'utf8'));
    if (result.ok) parsed.push({ file, manifest: result.manifest });
    else errors.push(new ManifestError(file, result.problems));
  }
  if (errors.length > 0) throw new AggregateError(errors, errors.map((e) => e.message).join('\n'));
  const out = [];
  for (const { file, manifest } of parsed) {
    const outcome = await loadManifest(writer, { caller }, manifest, options);
    if (!outcome.ok) {
      const problems = outcome.userErrors.map((e) => ({
        path: e.field?.join('.') || '(root)',
        code: e.code,
        message: e.message,
      }));
      const error = new ManifestError(file, problems);
      throw new AggregateError([error], error.message);
    }
    out.push({ file, result: outcome.result });
  }
  return out;
}

async function manifestsIn(dir: string): Promise<string[]> {
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) => /\.(ya?ml|json)$/.test(n)).sort();
  return names.map((n) => path.join(dir, n));
}

/** The seed files in load order: reference data first, since organisations name it. */
export async function seedFiles(dir = SEED_DIR): Promise<string[]> {
  return [...(await manifestsIn(path.join(dir, 'reference'))), ...(await manifestsIn(dir))];
}

/** Seeds an empty database; a database that already holds organisations is left alone. */
export async function seedIfEmpty(prisma: PrismaClient, writer?: Writer): Promise<boolean> {
  if ((await prisma.organisation.count()) > 0) return false;
  await loadManifestFiles(prisma, await seedFiles(), { writer, caller: systemCaller('seed') });
  return true;
}
