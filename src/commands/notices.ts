// Importing a document as one locale of a draft notice version, with the same
// rules as the noticeImport mutation (src/domain/notice-authoring.ts).
import { z } from 'zod';
import { importNotice } from '../domain/notice-authoring.js';
import type { ImportReport, SourceFormat } from '../notice/import.js';
import { type CommandServices, writeAsCommand } from './types.js';

export const importNoticeInput = z.object({
  organisation: z.string().min(1),
  notice: z.string().min(1).default('privacy'),
  locale: z.string().min(1),
  version: z.string().min(1),
  /** When omitted, the date the document states. */
  effectiveDate: z.string().min(1).nullable().default(null),
  content: z.string(),
  format: z.enum(['MARKDOWN', 'HTML', 'TEXT']).nullable().default(null),
  title: z.string().nullable().default(null),
  filename: z.string().optional(),
});

export interface ImportNoticeOutput {
  userErrors: { field: string[] | null; code: string; message: string }[];
  report: ImportReport | null;
  version: { id: string; version: string; effectiveDate: string; status: string } | null;
}

export async function importNoticeDocument(
  services: CommandServices,
  input: z.infer<typeof importNoticeInput>,
): Promise<ImportNoticeOutput> {
  const outcome = await writeAsCommand(services, (session) =>
    importNotice(session, { ...input, format: input.format as SourceFormat | null }, services.progress),
  );
  if (!outcome.ok) return { userErrors: outcome.userErrors, report: null, version: null };
  const { version, report } = outcome.value;
  return {
    userErrors: [],
    report,
    version: version
      ? {
          id: version.id,
          version: version.version,
          effectiveDate: version.effectiveDate.toISOString().slice(0, 10),
          status: version.status,
        }
      : null,
  };
}
