// Importing a document as one locale of a draft notice version. A thin wrapper
// over the noticeImport mutation's own function, run as an admin "command line"
// caller so the audit trail says who did it.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { createEventBus } from '../events/bus.js';
import type { ImportReport, SourceFormat } from '../notice/import.js';
import type { Context } from '../schema/context.js';
import { importNotice } from '../schema/notice/mutations.js';
import type { CommandServices } from './types.js';

export const importNoticeInput = z.object({
  organisation: z.string().min(1),
  notice: z.string().min(1).default('privacy'),
  locale: z.string().min(1),
  version: z.string().min(1),
  effectiveDate: z.string().min(1),
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

/** The context a command's writes run in: an admin caller named after the user. */
export function commandContext(services: CommandServices): Context {
  return {
    prisma: services.db.prisma,
    caller: {
      actor: { keyId: null, label: `command line (${services.user ?? 'unknown user'})`, scopes: ['admin'] },
      problem: null,
    },
    requireAuthForReads: false,
    events: services.events ?? createEventBus(),
    requestId: randomUUID(),
    acceptLanguages: [],
    localeScopes: new Map(),
    now: () => new Date(),
    beforeCommit: services.beforeCommit ?? (async () => undefined),
    afterWrite: services.afterWrite ?? (async () => undefined),
    writesBlocked: () => null,
  };
}

export async function importNoticeDocument(
  services: CommandServices,
  input: z.infer<typeof importNoticeInput>,
): Promise<ImportNoticeOutput> {
  const result = await importNotice(
    commandContext(services),
    { ...input, format: input.format as SourceFormat | null },
    services.progress,
  );
  const version = ('noticeVersion' in result ? result.noticeVersion : null) as
    { id: string; version: string; effectiveDate: Date; status: string } | null | undefined;
  return {
    userErrors: result.userErrors.map((e) => ({
      field: (e.field as string[] | null | undefined) ?? null,
      code: String(e.code),
      message: e.message,
    })),
    report: result.report ?? null,
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
