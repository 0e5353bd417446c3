// Loading manifests (files or text) through the writer, as one unit of work
// each: what a load changes is audited and announced like any other change.
import { randomUUID } from 'node:crypto';
import { systemCaller, type Caller } from '../auth/actor.js';
import type { PrismaClient } from '../db/client.js';
import { under, UserInputError, type UserErrorShape } from '../domain/errors.js';
import { Writer } from '../domain/writer.js';
import { applyManifestIn, manifestChanges, type ManifestChange } from './apply.js';
import { parseManifest } from './parse.js';
import type { Manifest } from './schema.js';

export interface LoadResult {
  organisationId: string | null;
  organisationSlug: string | null;
  changes: ManifestChange[];
  dryRun: boolean;
}

export type LoadOutcome = { ok: true; result: LoadResult } | { ok: false; userErrors: UserErrorShape[] };

/** Applies a validated manifest all-or-nothing; with `dryRun`, reports what would change and writes nothing. */
export async function loadManifest(
  writer: Writer,
  request: { caller: Caller; requestId?: string },
  manifest: Manifest,
  options: { dryRun?: boolean } = {},
): Promise<LoadOutcome> {
  const outcome = await writer.run(
    { caller: request.caller, requestId: request.requestId ?? randomUUID() },
    (session) => applyManifestIn(session, manifest),
    options,
  );
  if (!outcome.ok) return outcome;
  return {
    ok: true,
    result: { ...outcome.value, changes: manifestChanges(manifest, outcome.changes), dryRun: outcome.dryRun },
  };
}

/** Parses and loads manifest text; problems are user errors under `base` (e.g. ["manifest"]). */
export async function loadManifestText(
  writer: Writer,
  request: { caller: Caller; requestId?: string },
  text: string,
  options: { dryRun?: boolean; base?: string[] } = {},
): Promise<LoadOutcome> {
  const parsed = parseManifest(text);
  if (!parsed.ok) {
    return {
      ok: false,
      userErrors: under(
        options.base ?? [],
        parsed.problems.map((p) => ({
          field: p.path === '(root)' ? [] : p.path.split('.'),
          code: p.code,
          message: p.message,
        })),
      ),
    };
  }
  const outcome = await loadManifest(writer, request, parsed.manifest, options);
  return outcome.ok ? outcome : { ok: false, userErrors: under(options.base ?? [], outcome.userErrors) };
}

/** Loads a manifest as the system (admin) would, for data sets and tests; a refusal throws. */
export async function applyManifest(
  prisma: PrismaClient,
  manifest: Manifest,
  options: { dryRun?: boolean; caller?: Caller } = {},
): Promise<LoadResult> {
  const outcome = await loadManifest(
    new Writer({ prisma }),
    { caller: options.caller ?? systemCaller('seed') },
    manifest,
    options,
  );
  if (!outcome.ok) throw new UserInputError(outcome.userErrors);
  return outcome.result;
}
