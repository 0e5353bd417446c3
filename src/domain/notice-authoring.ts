// Authoring notices, as every path does it (GraphQL, `npm run notice:import`):
// a document becomes one locale of a draft version, creating the notice and
// the draft when missing; publishing and archiving move a version on.
import { z } from 'zod';
import { importDocument, type ImportReport, type SourceFormat } from '../notice/import.js';
import { refuse, type Path } from './errors.js';
import { fromDate } from './mapping.js';
import { notice, noticeTranslation, noticeVersion, requireDraft, type NoticeVersionItem } from './notice.js';
import { organisationBySlug } from './organisation.js';
import { calendarDate, key, locale, storable } from './primitives.js';
import { validate } from './validate.js';
import { firstDay } from './validity.js';
import type { WriteSession } from './writer.js';

export const MAX_DOCUMENT = 2_000_000;

/** Writes one locale of a draft version: a new translation, or the whole of an existing one. */
export async function writeTranslation(
  session: WriteSession,
  versionId: string,
  item: {
    locale: string;
    title: string;
    effectiveDate?: string;
    sections: { anchor?: string; heading: string; level: number; body: string }[];
  },
  at: Path,
) {
  const existing = await session.tx.noticeTranslation.findFirst({
    where: { versionId, locale: item.locale },
    select: { id: true },
  });
  if (!existing) return session.create(noticeTranslation, { versionId }, item, at);
  return session.update(noticeTranslation, existing.id, { item }, at);
}

/** Moves a version on: DRAFT → PUBLISHED → ARCHIVED (the version's own rules say what may). */
export async function setVersionStatus(
  session: WriteSession,
  versionId: string,
  expectedRevision: number,
  status: NoticeVersionItem['status'],
) {
  const row = await session.load(noticeVersion, versionId, ['input', 'id']);
  return session.update(noticeVersion, row, { patch: { status }, expectedRevision }, ['input', 'id']);
}

export interface NoticeImportInput {
  organisation: string;
  notice?: string | null;
  kind?: 'PRIVACY' | 'COOKIE' | null;
  locale: string;
  version: string;
  /** YYYY-MM-DD; when omitted, the date the document states ("Stand: November 2025"), its first day for a month. */
  effectiveDate?: string | null;
  content: string;
  format?: SourceFormat | null;
  title?: string | null;
  filename?: string;
}

const importArguments = z.object({
  locale,
  effectiveDate: calendarDate.optional(),
  notice: key,
  version: z.string().trim().min(1).max(40),
});

/** Imports a document as one locale of a draft version; returns the version and what the import found. */
export async function importNotice(
  session: WriteSession,
  input: NoticeImportInput,
  onProgress?: (done: number, total: number) => void,
): Promise<{ version: Awaited<ReturnType<typeof noticeVersion.load>>; report: ImportReport }> {
  const { tx } = session;
  const args = validate(
    importArguments,
    {
      locale: input.locale,
      effectiveDate: input.effectiveDate ?? undefined,
      notice: input.notice ?? 'privacy',
      version: input.version,
    },
    ['input'],
  );
  if (input.content.length > MAX_DOCUMENT) refuse('TOO_LONG', 'a document may be at most 2 MB', ['input', 'content']);
  if (!storable(input.content)) {
    refuse('INVALID', 'the document holds control characters (such as NUL) or unpaired surrogates', [
      'input',
      'content',
    ]);
  }
  const organisation = await organisationBySlug(tx, input.organisation);
  if (!organisation) {
    refuse('NOT_FOUND', `no organisation has the slug "${input.organisation}"`, ['input', 'organisation']);
  }
  const report = importDocument({
    content: input.content,
    locale: args.locale,
    format: input.format ?? undefined,
    filename: input.filename,
    onProgress,
  });
  if (report.sections.length === 0) refuse('INVALID', 'the document has no text', ['input', 'content']);
  // A document dated by its month ("Stand: November 2025") gives a version dated by its month.
  const stated = report.date && (report.date.precision === 'MONTH' ? report.date.date.slice(0, 7) : report.date.date);
  const effectiveDate = args.effectiveDate ?? stated;
  if (!effectiveDate) {
    refuse('REQUIRED', 'the document states no date ("Last updated: …"): give the effective date', [
      'input',
      'effectiveDate',
    ]);
  }
  const existingNotice = await tx.notice.findUnique({
    where: { organisationId_slug: { organisationId: organisation.id, slug: args.notice } },
    select: { id: true },
  });
  const noticeId =
    existingNotice?.id ??
    (
      await session.create(
        notice,
        { organisationId: organisation.id },
        { slug: args.notice, kind: input.kind ?? 'PRIVACY' },
        ['input', 'notice'],
      )
    ).id;
  const existing = await tx.noticeVersion.findUnique({
    where: { noticeId_version: { noticeId, version: args.version } },
    include: { notice: { select: { id: true } } },
  });
  if (existing) requireDraft(existing, ['input', 'version']);
  if (existing && fromDate(existing.effectiveDate) !== firstDay(effectiveDate)) {
    refuse('CONFLICT', `version ${args.version} takes effect on ${fromDate(existing.effectiveDate)}`, [
      'input',
      'effectiveDate',
    ]);
  }
  const versionId =
    existing?.id ??
    (
      await session.create(noticeVersion, { noticeId }, { version: args.version, effectiveDate, status: 'DRAFT' }, [
        'input',
        'version',
      ])
    ).id;
  const title = input.title?.trim() || report.title || args.version;
  await writeTranslation(session, versionId, { locale: args.locale, title, sections: report.sections }, [
    'input',
    'content',
  ]);
  return { version: await noticeVersion.load(tx, versionId), report };
}
