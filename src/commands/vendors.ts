// Importing a TCF Global Vendor List (or a translation of its definitions)
// from a file, as the tcfVendorListImport mutation does (src/tcf/document.ts).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { systemCaller } from '../auth/actor.js';
import { importVendorDocument, type VendorDocumentReport } from '../tcf/document.js';
import { MAX_LIST_BYTES } from '../tcf/format.js';
import { CommandError, refused, type CommandServices } from './types.js';

export const importVendorsInput = z.object({
  /** Absolute: the command may run in another process with another working directory. */
  file: z.string().refine((f) => path.isAbsolute(f), 'must be an absolute path'),
  /** The language of a translation file (purposes-de.json); none for a list. */
  language: z.string().min(1).max(35).nullable().default(null),
  dryRun: z.boolean().default(false),
});

export type ImportVendorsOutput = VendorDocumentReport & { file: string; dryRun: boolean; ms: number };

export async function importVendors(
  services: CommandServices,
  input: z.infer<typeof importVendorsInput>,
): Promise<ImportVendorsOutput> {
  let text: string;
  try {
    text = await readFile(input.file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory, not a file' : String(code);
    throw new CommandError('NOT_FOUND', `cannot read ${input.file}: ${why}`);
  }
  if (Buffer.byteLength(text) > MAX_LIST_BYTES) {
    throw new CommandError('INVALID_INPUT', `${input.file} is larger than ${MAX_LIST_BYTES} bytes: not a vendor list`);
  }
  const started = performance.now();
  const outcome = await importVendorDocument(
    services.writer,
    { caller: systemCaller(`command line (${services.user ?? 'unknown user'})`), requestId: randomUUID() },
    text,
    { language: input.language, dryRun: input.dryRun, progress: services.progress },
  );
  if (!outcome.ok) throw refused(`${input.file} was not imported; nothing was written`, outcome.userErrors);
  const ms = Math.round(performance.now() - started);
  services.logger.info({ file: input.file, kind: outcome.report.kind, ms }, 'vendor list imported by a command');
  return { ...outcome.report, file: input.file, dryRun: outcome.dryRun, ms };
}
