// Authoring notices: create a notice, add a draft version, write its
// translations (Markdown, or an imported document), publish, archive.
// Published versions never change; a new version must take effect after every
// published one, so the versions of a notice never overlap in time.
import { z } from 'zod';
import type { Tx } from '../../db/client.js';
import { importDocument, type ImportReport, type SourceFormat } from '../../notice/import.js';
import { sectionRecord } from '../../notice/sections.js';
import { calendarDate, locale as localeSchema, noticeKinds } from '../../manifest/schema.js';
import { toDate } from '../../manifest/records.js';
import { builder } from '../builder.js';
import type { Context } from '../context.js';
import { NoticeKindEnum } from '../common/enums.js';
import { forbiddenFor, refuse, UserError, type UserErrorShape } from '../common/user-errors.js';
import { assertClaimed, idOf, localId, runWrite, snapshot, validate } from '../common/write.js';
import { servedStatuses } from './document.js';
import { NoticeRef, NoticeTranslationRef, NoticeVersionRef } from './types.js';

const MAX_DOCUMENT = 2_000_000;

// ---------------------------------------------------------------------------
// Rules, callable from the CLI and tests.

/** The organisation a notice object belongs to, for authorisation. */
export async function organisationOfNoticeObject(ctx: Context, typename: 'Notice' | 'NoticeVersion', globalId: string) {
  const id = idOf(globalId, typename);
  if (!id) return null;
  const notice =
    typename === 'Notice'
      ? await ctx.prisma.notice.findUnique({ where: { id }, select: { organisation: { select: { slug: true } } } })
      : (
          await ctx.prisma.noticeVersion.findUnique({
            where: { id },
            select: { notice: { select: { organisation: { select: { slug: true } } } } },
          })
        )?.notice;
  return notice?.organisation.slug ?? null;
}

async function loadVersion(tx: Tx, id: string) {
  const version = await tx.noticeVersion.findUnique({
    where: { id },
    include: { notice: { include: { organisation: { select: { id: true, slug: true } } } } },
  });
  if (!version) refuse('NOT_FOUND', 'no NoticeVersion has this id', ['input', 'id']);
  return version;
}

function requireDraft(version: { status: string }, field: string[]) {
  if (version.status !== 'DRAFT') {
    refuse(
      'CONFLICT',
      `this version is ${version.status.toLowerCase()}: published versions never change; create a new version`,
      field,
    );
  }
}

/** Replaces the content of one locale of a draft version with the given sections. */
export async function writeTranslation(
  tx: Tx,
  versionId: string,
  locale: string,
  title: string,
  sections: { anchor: string; heading: string; level: number; body: string }[],
) {
  const records = sections.map((s, position) => ({ ...sectionRecord(s, locale), position }));
  const existing = await tx.noticeTranslation.findUnique({ where: { versionId_locale: { versionId, locale } } });
  if (existing) {
    return tx.noticeTranslation.update({
      where: { id: existing.id },
      data: { title, sections: { deleteMany: {}, create: records } },
    });
  }
  return tx.noticeTranslation.create({ data: { versionId, locale, title, sections: { create: records } } });
}

/** A version may be published when it has content and takes effect after every published version. */
async function checkPublishable(tx: Tx, version: { id: string; noticeId: string; effectiveDate: Date }) {
  const translations = await tx.noticeTranslation.count({ where: { versionId: version.id } });
  if (translations === 0)
    refuse('INVALID', 'a version needs at least one translation before it is published', ['input', 'id']);
  const latest = await tx.noticeVersion.findFirst({
    where: { noticeId: version.noticeId, status: { in: servedStatuses }, id: { not: version.id } },
    orderBy: { effectiveDate: 'desc' },
  });
  if (latest && latest.effectiveDate >= version.effectiveDate) {
    refuse(
      'CONFLICT',
      `version ${latest.version} takes effect on ${latest.effectiveDate.toISOString().slice(0, 10)}; a new version must take effect after it`,
      ['input', 'id'],
    );
  }
}

// ---------------------------------------------------------------------------
// GraphQL

type Payload<K extends string> = { userErrors: UserErrorShape[] } & { [key in K]?: unknown };

function payload<K extends string>(name: string, field: K, ref: object) {
  return builder.objectRef<Payload<K>>(name).implement({
    fields: (t) => ({
      [field]: t.field({ type: ref as never, nullable: true, resolve: (p: Payload<K>) => (p[field] ?? null) as never }),
      userErrors: t.field({ type: [UserError], resolve: (p: Payload<K>) => p.userErrors }),
    }),
  });
}

const NoticePayload = payload('NoticePayload', 'notice', NoticeRef);
const NoticeVersionPayload = payload('NoticeVersionPayload', 'noticeVersion', NoticeVersionRef);
const NoticeTranslationPayload = payload('NoticeTranslationPayload', 'translation', NoticeTranslationRef);

const ImportWarning = builder.objectRef<ImportReport['warnings'][number]>('ImportWarning').implement({
  fields: (t) => ({
    code: t.exposeString('code', { description: 'EMPTY_SECTION, LIST_NOT_GIVEN, OTHER_LANGUAGE or NO_HEADINGS.' }),
    anchor: t.exposeString('anchor', { nullable: true }),
    message: t.exposeString('message'),
  }),
});

const ImportReportRef = builder.objectRef<ImportReport>('ImportReport').implement({
  description: 'What an import found in the document.',
  fields: (t) => ({
    format: t.exposeString('format', { description: 'MARKDOWN, HTML or TEXT.' }),
    title: t.exposeString('title', { nullable: true }),
    sectionCount: t.int({ resolve: (r) => r.sections.length }),
    headings: t.stringList({ resolve: (r) => r.sections.map((s) => s.heading) }),
    warnings: t.field({ type: [ImportWarning], resolve: (r) => r.warnings }),
  }),
});

const NoticeImportPayload = builder
  .objectRef<{ noticeVersion?: unknown; report?: ImportReport; userErrors: UserErrorShape[] }>('NoticeImportPayload')
  .implement({
    fields: (t) => ({
      noticeVersion: t.field({
        type: NoticeVersionRef,
        nullable: true,
        resolve: (p) => (p.noticeVersion ?? null) as never,
      }),
      report: t.field({ type: ImportReportRef, nullable: true, resolve: (p) => p.report ?? null }),
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
    version: t.id({ required: true, description: 'A draft version.' }),
    locale: t.string({ required: true }),
    title: t.string({ required: true }),
    markdown: t.string({ required: true, description: 'The whole translation; headings start sections.' }),
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
    effectiveDate: t.string({ required: true, description: 'YYYY-MM-DD' }),
    content: t.string({ required: true, description: 'The document: Markdown, HTML or plain text.' }),
    format: t.field({ type: SourceFormatEnum, description: 'Detected from the content when omitted.' }),
    title: t.string({ description: 'The translation’s title; taken from the document when omitted.' }),
  }),
});

const slug = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case letters, digits and single hyphens');

async function versionSlug(ctx: Context, args: { input: { id?: string | number; version?: string | number } }) {
  return {
    writeOrganisation: await organisationOfNoticeObject(
      ctx,
      'NoticeVersion',
      String(args.input.id ?? args.input.version),
    ),
  };
}

/** Import rules shared by the mutation and `npm run notice:import`. */
export async function importNotice(
  ctx: Context,
  input: {
    organisation: string;
    notice?: string | null;
    kind?: (typeof noticeKinds)[number] | null;
    locale: string;
    version: string;
    effectiveDate: string;
    content: string;
    format?: SourceFormat | null;
    title?: string | null;
    filename?: string;
  },
  onProgress?: (done: number, total: number) => void,
) {
  let report: ImportReport | undefined;
  const result = await runWrite(ctx, async ({ tx, record }) => {
    const v = validate(
      z.object({
        locale: localeSchema,
        effectiveDate: calendarDate,
        notice: slug,
        version: z.string().trim().min(1).max(40),
      }),
      {
        locale: input.locale,
        effectiveDate: input.effectiveDate,
        notice: input.notice ?? 'privacy',
        version: input.version,
      },
    );
    if (input.content.length > MAX_DOCUMENT) refuse('TOO_LONG', 'a document may be at most 2 MB', ['input', 'content']);
    const organisation = await tx.organisation.findUnique({ where: { slug: input.organisation } });
    if (!organisation)
      refuse('NOT_FOUND', `no organisation has the slug "${input.organisation}"`, ['input', 'organisation']);
    report = importDocument({
      content: input.content,
      locale: v.locale,
      format: input.format ?? undefined,
      filename: input.filename,
      onProgress,
    });
    if (report.sections.length === 0) refuse('INVALID', 'the document has no text', ['input', 'content']);
    const notice =
      (await tx.notice.findUnique({
        where: { organisationId_slug: { organisationId: organisation.id, slug: v.notice } },
      })) ??
      (await tx.notice.create({
        data: { organisationId: organisation.id, slug: v.notice, kind: input.kind ?? 'PRIVACY' },
      }));
    let version = await tx.noticeVersion.findUnique({
      where: { noticeId_version: { noticeId: notice.id, version: v.version } },
    });
    if (version) {
      requireDraft(version, ['input', 'version']);
      if (version.effectiveDate.toISOString().slice(0, 10) !== v.effectiveDate) {
        refuse('CONFLICT', `draft ${v.version} takes effect on ${version.effectiveDate.toISOString().slice(0, 10)}`, [
          'input',
          'effectiveDate',
        ]);
      }
    } else {
      version = await tx.noticeVersion.create({
        data: { noticeId: notice.id, version: v.version, effectiveDate: toDate(v.effectiveDate)! },
      });
    }
    const title = input.title?.trim() || report.title || v.version;
    const translation = await writeTranslation(tx, version.id, v.locale, title, report.sections);
    version = await tx.noticeVersion.update({ where: { id: version.id }, data: { revision: { increment: 1 } } });
    await record({
      action: 'UPDATE',
      entityType: 'NoticeTranslation',
      entityId: translation.id,
      organisationId: organisation.id,
      organisationSlug: organisation.slug,
      before: null,
      after: { ...snapshot(translation), sections: report.sections.map((s) => s.heading) },
    });
    return { noticeVersion: version };
  });
  return { ...result, report: result.userErrors.length ? undefined : report };
}

builder.mutationFields((t) => ({
  noticeCreate: t.field({
    type: NoticePayload,
    args: { input: t.arg({ type: NoticeCreateInput, required: true }) },
    authScopes: (_root, args) => ({ writeOrganisation: args.input.organisation }),
    unauthorizedResolver: (_root, _args, ctx) => forbiddenFor(ctx),
    resolve: (_root, args, ctx) =>
      runWrite(ctx, async ({ tx, record }) => {
        const { slug: noticeSlug } = validate(z.object({ slug }), { slug: args.input.slug });
        const organisation = await tx.organisation.findUnique({ where: { slug: args.input.organisation } });
        if (!organisation) refuse('NOT_FOUND', 'no organisation has this slug', ['input', 'organisation']);
        const notice = await tx.notice.create({
          data: { organisationId: organisation.id, slug: noticeSlug, kind: args.input.kind ?? 'PRIVACY' },
        });
        await record({
          action: 'CREATE',
          entityType: 'Notice',
          entityId: notice.id,
          organisationId: organisation.id,
          organisationSlug: organisation.slug,
          before: null,
          after: snapshot(notice),
        });
        return { notice };
      }),
  }),
  noticeVersionCreate: t.field({
    type: NoticeVersionPayload,
    description: 'Adds a draft version. Drafts are visible only to keys that may write the organisation.',
    args: { input: t.arg({ type: NoticeVersionCreateInput, required: true }) },
    authScopes: async (_root, args, ctx) => ({
      writeOrganisation: await organisationOfNoticeObject(ctx, 'Notice', String(args.input.notice)),
    }),
    unauthorizedResolver: (_root, _args, ctx) => forbiddenFor(ctx),
    resolve: (_root, args, ctx) =>
      runWrite(ctx, async ({ tx, record }) => {
        const noticeId = localId(String(args.input.notice), 'Notice', ['input', 'notice']);
        const v = validate(
          z.object({ version: z.string().trim().min(1).max(40), effectiveDate: calendarDate }),
          args.input,
        );
        const notice = await tx.notice.findUnique({ where: { id: noticeId }, include: { organisation: true } });
        if (!notice) refuse('NOT_FOUND', 'no Notice has this id', ['input', 'notice']);
        const noticeVersion = await tx.noticeVersion.create({
          data: { noticeId, version: v.version, effectiveDate: toDate(v.effectiveDate)! },
        });
        await record({
          action: 'CREATE',
          entityType: 'NoticeVersion',
          entityId: noticeVersion.id,
          organisationId: notice.organisationId,
          organisationSlug: notice.organisation.slug,
          before: null,
          after: snapshot(noticeVersion),
        });
        return { noticeVersion };
      }),
  }),
  noticeTranslationUpsert: t.field({
    type: NoticeTranslationPayload,
    description: 'Writes one locale of a draft version from Markdown; its headings start the sections.',
    args: { input: t.arg({ type: NoticeTranslationUpsertInput, required: true }) },
    authScopes: (_root, args, ctx) => versionSlug(ctx, args as never),
    unauthorizedResolver: (_root, _args, ctx) => forbiddenFor(ctx),
    resolve: (_root, args, ctx) =>
      runWrite(ctx, async ({ tx, record }) => {
        const versionId = localId(String(args.input.version), 'NoticeVersion', ['input', 'version']);
        const version = await loadVersion(tx, versionId);
        requireDraft(version, ['input', 'version']);
        const v = validate(z.object({ locale: localeSchema, title: z.string().trim().min(1).max(300) }), args.input);
        if (args.input.markdown.length > MAX_DOCUMENT) refuse('TOO_LONG', 'at most 2 MB', ['input', 'markdown']);
        const report = importDocument({ content: args.input.markdown, locale: v.locale, format: 'MARKDOWN' });
        const translation = await writeTranslation(tx, versionId, v.locale, v.title, report.sections);
        await tx.noticeVersion.update({ where: { id: versionId }, data: { revision: { increment: 1 } } });
        await record({
          action: 'UPDATE',
          entityType: 'NoticeTranslation',
          entityId: translation.id,
          organisationId: version.notice.organisation.id,
          organisationSlug: version.notice.organisation.slug,
          before: null,
          after: { ...snapshot(translation), sections: report.sections.map((s) => s.heading) },
        });
        return { translation };
      }),
  }),
  noticeVersionPublish: t.field({
    type: NoticeVersionPayload,
    description: 'Publishes a draft. From then on it never changes; it must take effect after every published version.',
    args: { input: t.arg({ type: NoticeVersionPublishInput, required: true }) },
    authScopes: (_root, args, ctx) => versionSlug(ctx, args as never),
    unauthorizedResolver: (_root, _args, ctx) => forbiddenFor(ctx),
    resolve: (_root, args, ctx) => changeStatus(ctx, String(args.input.id), args.input.expectedRevision, 'PUBLISHED'),
  }),
  noticeVersionArchive: t.field({
    type: NoticeVersionPayload,
    description: 'Archives a published version: it stays readable for the dates it was in force.',
    args: { input: t.arg({ type: NoticeVersionArchiveInput, required: true }) },
    authScopes: (_root, args, ctx) => versionSlug(ctx, args as never),
    unauthorizedResolver: (_root, _args, ctx) => forbiddenFor(ctx),
    resolve: (_root, args, ctx) => changeStatus(ctx, String(args.input.id), args.input.expectedRevision, 'ARCHIVED'),
  }),
  noticeImport: t.field({
    type: NoticeImportPayload,
    description:
      'Imports a document (Markdown, HTML or plain text) as one locale of a draft version, creating the notice and the draft when missing, and reports the sections and warnings found.',
    args: { input: t.arg({ type: NoticeImportInput, required: true }) },
    authScopes: (_root, args) => ({ writeOrganisation: args.input.organisation }),
    unauthorizedResolver: (_root, _args, ctx) => forbiddenFor(ctx),
    resolve: (_root, args, ctx) => importNotice(ctx, args.input),
  }),
}));

function changeStatus(ctx: Context, globalId: string, expectedRevision: number, to: 'PUBLISHED' | 'ARCHIVED') {
  return runWrite(ctx, async ({ tx, record }) => {
    const id = localId(globalId, 'NoticeVersion');
    const before = await loadVersion(tx, id);
    if (to === 'PUBLISHED') {
      requireDraft(before, ['input', 'id']);
      await checkPublishable(tx, before);
    } else if (before.status !== 'PUBLISHED') {
      refuse('CONFLICT', `only a published version can be archived; this one is ${before.status.toLowerCase()}`, [
        'input',
        'id',
      ]);
    }
    const { count } = await tx.noticeVersion.updateMany({
      where: { id, revision: expectedRevision },
      data: { status: to, revision: { increment: 1 }, ...(to === 'PUBLISHED' ? { publishedAt: new Date() } : {}) },
    });
    await assertClaimed(count, () => tx.noticeVersion.findUnique({ where: { id } }), expectedRevision, 'NoticeVersion');
    const noticeVersion = (await tx.noticeVersion.findUnique({ where: { id } }))!;
    const { notice, ...plainBefore } = before;
    await record({
      action: 'UPDATE',
      entityType: 'NoticeVersion',
      entityId: id,
      organisationId: notice.organisation.id,
      organisationSlug: notice.organisation.slug,
      before: snapshot(plainBefore),
      after: snapshot(noticeVersion),
    });
    return { noticeVersion };
  });
}
