// Authoring notices: create a notice, add a draft version, write its
// translations (Markdown, or an imported document), publish, archive. The
// rules (src/domain/notice.ts, src/domain/notice-authoring.ts) hold on every path.
import { refuse } from '../../domain/errors.js';
import { notice, noticeVersion, requireDraft } from '../../domain/notice.js';
import { importNotice, MAX_DOCUMENT, setVersionStatus, writeTranslation } from '../../domain/notice-authoring.js';
import { organisationBySlug } from '../../domain/organisation.js';
import { importDocument, type ImportReport } from '../../notice/import.js';
import { builder } from '../builder.js';
import { DatePrecisionEnum, NoticeKindEnum } from '../common/enums.js';
import { localId } from '../common/ids.js';
import { payloadType, UserError, type UserErrorShape } from '../common/user-errors.js';
import { mutate } from '../common/write.js';
import { NoticeRef, NoticeTranslationRef, NoticeVersionRef } from './types.js';

const NoticePayload = payloadType('NoticePayload', 'notice', NoticeRef);
const NoticeVersionPayload = payloadType('NoticeVersionPayload', 'noticeVersion', NoticeVersionRef);
const NoticeTranslationPayload = payloadType('NoticeTranslationPayload', 'translation', NoticeTranslationRef);

const ImportWarning = builder.objectRef<ImportReport['warnings'][number]>('ImportWarning').implement({
  fields: (t) => ({
    code: t.exposeString('code', { description: 'EMPTY_SECTION, LIST_NOT_GIVEN, OTHER_LANGUAGE or NO_HEADINGS.' }),
    anchor: t.exposeString('anchor', { nullable: true }),
    message: t.exposeString('message'),
  }),
});

const ImportedDate = builder.objectRef<NonNullable<ImportReport['date']>>('ImportedDate').implement({
  description: 'The date a document states, as in "Stand: November 2025" or "Last updated: 3 March 2026".',
  fields: (t) => ({
    date: t.expose('date', {
      type: 'Date',
      description: 'The day; the first of the month when only the month is given.',
    }),
    precision: t.field({ type: DatePrecisionEnum, resolve: (d) => d.precision }),
    text: t.exposeString('text', { description: 'The line as written.' }),
  }),
});

const ImportReportRef = builder.objectRef<ImportReport>('ImportReport').implement({
  description: 'What an import found in the document.',
  fields: (t) => ({
    format: t.exposeString('format', { description: 'MARKDOWN, HTML or TEXT.' }),
    title: t.exposeString('title', {
      nullable: true,
      description: 'The document’s own title: its only level-1 heading, else the HTML <title>.',
    }),
    date: t.field({
      type: ImportedDate,
      nullable: true,
      description: 'The date the document states; used as the effective date when none is given.',
      resolve: (r) => r.date,
    }),
    levels: t.intList({
      description: 'The level of each section, in the order of headings (2 is the top level; 1 is the title).',
      resolve: (r) => r.sections.map((s) => s.level),
    }),
    sectionCount: t.int({ resolve: (r) => r.sections.length }),
    headings: t.stringList({ resolve: (r) => r.sections.map((s) => s.heading) }),
    warnings: t.field({ type: [ImportWarning], resolve: (r) => r.warnings }),
  }),
});

type ImportShape = { imported?: { version: unknown; report: ImportReport }; userErrors: UserErrorShape[] };
const NoticeImportPayload = builder.objectRef<ImportShape>('NoticeImportPayload').implement({
  fields: (t) => ({
    noticeVersion: t.field({
      type: NoticeVersionRef,
      nullable: true,
      resolve: (p) => (p.imported?.version ?? null) as never,
    }),
    report: t.field({ type: ImportReportRef, nullable: true, resolve: (p) => p.imported?.report ?? null }),
    userErrors: t.field({ type: [UserError], resolve: (p) => p.userErrors }),
  }),
});

const SourceFormatEnum = builder.enumType('SourceFormat', { values: ['MARKDOWN', 'HTML', 'TEXT'] as const });

const NoticeCreateInput = builder.inputType('NoticeCreateInput', {
  fields: (t) => ({
    organisation: t.string({ required: true }),
    slug: t.string({ required: true, description: 'e.g. "privacy"; unique within the organisation.' }),
    kind: t.field({ type: NoticeKindEnum, defaultValue: 'PRIVACY' }),
  }),
});
const NoticeVersionCreateInput = builder.inputType('NoticeVersionCreateInput', {
  fields: (t) => ({
    notice: t.id({ required: true }),
    version: t.string({ required: true, description: 'The label, e.g. "1.3".' }),
    effectiveDate: t.string({ required: true, description: 'YYYY-MM-DD' }),
  }),
});
const NoticeTranslationUpsertInput = builder.inputType('NoticeTranslationUpsertInput', {
  fields: (t) => ({
    version: t.id({
      required: true,
      description: 'A draft version; or a published one, to add a locale it does not have yet.',
    }),
    locale: t.string({ required: true }),
    title: t.string({ required: true }),
    markdown: t.string({ required: true, description: 'The whole translation; headings start sections.' }),
    effectiveDate: t.string({
      description:
        'YYYY-MM-DD: when this translation takes effect, if later than its version. A locale added to a published version takes effect today unless given.',
    }),
  }),
});
const versionStateInput = (name: string) =>
  builder.inputType(name, {
    fields: (t) => ({ id: t.id({ required: true }), expectedRevision: t.int({ required: true }) }),
  });
const NoticeVersionPublishInput = versionStateInput('NoticeVersionPublishInput');
const NoticeVersionArchiveInput = versionStateInput('NoticeVersionArchiveInput');
const NoticeImportInput = builder.inputType('NoticeImportInput', {
  fields: (t) => ({
    organisation: t.string({ required: true }),
    notice: t.string({ defaultValue: 'privacy', description: 'The notice’s slug; created when missing.' }),
    kind: t.field({ type: NoticeKindEnum, defaultValue: 'PRIVACY' }),
    locale: t.string({ required: true }),
    version: t.string({ required: true }),
    effectiveDate: t.string({
      description:
        'YYYY-MM-DD. When omitted, the date the document states ("Stand: November 2025", "Last updated: 3 March 2026"); the first day for a month.',
    }),
    content: t.string({ required: true, description: 'The document: Markdown, HTML or plain text.' }),
    format: t.field({ type: SourceFormatEnum, description: 'Detected from the content when omitted.' }),
    title: t.string({ description: 'The translation’s title; taken from the document when omitted.' }),
  }),
});

builder.mutationFields((t) => ({
  noticeCreate: t.field({
    type: NoticePayload,
    args: { input: t.arg({ type: NoticeCreateInput, required: true }) },
    resolve: (_root, args, ctx) =>
      mutate(ctx, 'notice', async (s) => {
        const organisation = await organisationBySlug(s.tx, args.input.organisation);
        if (!organisation) refuse('NOT_FOUND', 'no organisation has this slug', ['input', 'organisation']);
        const { slug, kind } = args.input;
        return s.create(notice, { organisationId: organisation.id }, { slug, kind: kind ?? undefined }, ['input']);
      }),
  }),
  noticeVersionCreate: t.field({
    type: NoticeVersionPayload,
    description: 'Adds a draft version. Drafts are visible only to keys that may write the organisation.',
    args: { input: t.arg({ type: NoticeVersionCreateInput, required: true }) },
    resolve: (_root, args, ctx) =>
      mutate(ctx, 'noticeVersion', async (s) => {
        const noticeId = localId(String(args.input.notice), 'Notice', ['input', 'notice']);
        const { version, effectiveDate } = args.input;
        return s.create(noticeVersion, { noticeId }, { version, effectiveDate, status: 'DRAFT' }, ['input']);
      }),
  }),
  noticeTranslationUpsert: t.field({
    type: NoticeTranslationPayload,
    description:
      'Writes one locale of a draft version from Markdown (its headings start the sections), or adds a locale to a published version, taking effect on its own date. Published translations never change.',
    args: { input: t.arg({ type: NoticeTranslationUpsertInput, required: true }) },
    resolve: (_root, args, ctx) =>
      mutate(ctx, 'translation', async (s) => {
        const version = await s.load(
          noticeVersion,
          localId(String(args.input.version), 'NoticeVersion', ['input', 'version']),
          ['input', 'version'],
        );
        const { locale, title, markdown } = args.input;
        const published = version.status !== 'DRAFT';
        if (published) {
          const existing = await s.tx.noticeTranslation.count({ where: { versionId: version.id, locale } });
          if (existing > 0) requireDraft(version, ['input', 'version']);
        }
        if (markdown.length > MAX_DOCUMENT) refuse('TOO_LONG', 'at most 2 MB', ['input', 'markdown']);
        const { sections } = importDocument({ content: markdown, locale, format: 'MARKDOWN', keepDateLine: true });
        const effectiveDate = args.input.effectiveDate ?? (published ? s.today : undefined);
        return writeTranslation(s, version.id, { locale, title, effectiveDate, sections }, ['input']);
      }),
  }),
  noticeVersionPublish: t.field({
    type: NoticeVersionPayload,
    description: 'Publishes a draft. From then on it never changes; it must take effect after every published version.',
    args: { input: t.arg({ type: NoticeVersionPublishInput, required: true }) },
    resolve: (_root, args, ctx) =>
      mutate(ctx, 'noticeVersion', (s) =>
        setVersionStatus(s, localId(String(args.input.id), 'NoticeVersion'), args.input.expectedRevision, 'PUBLISHED'),
      ),
  }),
  noticeVersionArchive: t.field({
    type: NoticeVersionPayload,
    description: 'Archives a published version: it stays readable for the dates it was in force.',
    args: { input: t.arg({ type: NoticeVersionArchiveInput, required: true }) },
    resolve: (_root, args, ctx) =>
      mutate(ctx, 'noticeVersion', (s) =>
        setVersionStatus(s, localId(String(args.input.id), 'NoticeVersion'), args.input.expectedRevision, 'ARCHIVED'),
      ),
  }),
  noticeImport: t.field({
    type: NoticeImportPayload,
    description:
      'Imports a document (Markdown, HTML or plain text) as one locale of a draft version, creating the notice and the draft when missing, and reports the sections and warnings found.',
    args: { input: t.arg({ type: NoticeImportInput, required: true }) },
    resolve: (_root, args, ctx) => mutate(ctx, 'imported', (s) => importNotice(s, args.input)),
  }),
}));
