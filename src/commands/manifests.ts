// Loading organisation manifests (and the seed set, which is the same thing on
// the files in manifests/), through the writer like every other change.
import { z } from 'zod';
import path from 'node:path';
import { systemCaller } from '../auth/actor.js';
import { loadManifestFiles, ManifestError } from '../db/seed.js';
import { CommandError, type CommandServices } from './types.js';

export const loadManifestsInput = z.object({
  /** Absolute paths: the command may run in another process with another working directory. */
  files: z.array(z.string().refine((f) => path.isAbsolute(f), 'must be an absolute path')).min(1),
  dryRun: z.boolean().default(false),
});

export interface LoadedManifest {
  file: string;
  changes: { action: string; entity: string; key: string; fields: string[] }[];
}

/**
 * Validates every file, then applies each in its own transaction (or, with
 * dryRun, reports what would change and writes nothing).
 */
export async function loadManifests(
  services: CommandServices,
  input: z.infer<typeof loadManifestsInput>,
): Promise<{ dryRun: boolean; files: LoadedManifest[] }> {
  try {
    const loaded = await loadManifestFiles(services.db.prisma, input.files, {
      dryRun: input.dryRun,
      writer: services.writer,
      caller: systemCaller(`command line (${services.user ?? 'unknown user'})`),
    });
    return {
      dryRun: input.dryRun,
      files: loaded.map(({ file, result }) => ({
        file,
        changes: result.changes.map((c) => ({ action: c.action, entity: c.entity, key: c.key, fields: c.fields })),
      })),
    };
  } catch (error) {
    throw describeLoadError(error);
  }
}

function describeLoadError(error: unknown): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'EACCES' || code === 'EISDIR') {
    const file = (error as NodeJS.ErrnoException).path ?? '?';
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory, not a file' : 'permission denied';
    return new CommandError('NOT_FOUND', `cannot read ${file}: ${why}`);
  }
  if (error instanceof AggregateError && error.errors.every((e) => e instanceof ManifestError)) {
    const details = (error.errors as ManifestError[]).flatMap((e) => e.message.split('\n'));
    return new CommandError(
      'INVALID_INPUT',
      'the manifests were refused; nothing was written from the refused file on',
      details,
    );
  }
  if (error instanceof ManifestError) return new CommandError('INVALID_INPUT', error.message);
  return error;
}
