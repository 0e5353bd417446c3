// tcfVendorListImport: a vendor list (or a translation file) as JSON text,
// imported as `npm run vendors:import` does (src/tcf/document.ts), by admin
// keys. The request body limit (MAX_BODY_BYTES, 1 MB by default) bounds the
// list: today's lists of about 700 vendors fit; for larger ones use the
// command line, which reads the file itself.
import { describeProblem } from '../../auth/actor.js';
import { refuse } from '../../domain/errors.js';
import { WritesUnavailableError } from '../../domain/writer.js';
import { importVendorDocument, type VendorDocumentReport } from '../../tcf/document.js';
import type { ImportWarning } from '../../tcf/map.js';
import type { VendorChange } from '../../tcf/import.js';
import { builder } from '../builder.js';
import { ChangeActionEnum } from '../changes/subscriptions.js';
import { UserError, type UserErrorShape } from '../common/user-errors.js';
import { mutate, unavailable } from '../common/write.js';
import { TcfVendorListRef } from './types.js';

const Input = builder.inputType('TcfVendorListImportInput', {
  fields: (t) => ({
    list: t.string({
      required: true,
      description:
        'The vendor list as published (vendor-list.json, GVL v2 or v3), or a translation file (purposes-de.json) as JSON text.',
    }),
    language: t.field({
      type: 'Locale',
      required: false,
      description: 'The language of a translation file; none for a vendor list (it is in English).',
    }),
    dryRun: t.boolean({
      required: false,
      defaultValue: false,
      description: 'Report what would change; write nothing.',
    }),
  }),
});

const Change = builder.objectRef<VendorChange>('TcfVendorListChange').implement({
  description: 'A vendor the import created, changed, or marked deleted (RETIRE: kept, with the list’s date).',
  fields: (t) => ({
    action: t.field({ type: ChangeActionEnum, resolve: (c) => c.action }),
    gvlId: t.exposeInt('gvlId'),
    name: t.exposeString('name'),
    fields: t.exposeStringList('fields'),
    vendor: t.prismaField({
      type: 'TcfVendor',
      nullable: true,
      resolve: (query, c, _args, ctx) => ctx.prisma.tcfVendor.findUnique({ ...query, where: { gvlId: c.gvlId } }),
    }),
  }),
});

const Warning = builder.objectRef<ImportWarning>('TcfImportWarning').implement({
  description: 'A value of the list that was read in another form (a URL without a scheme) or left out.',
  fields: (t) => ({
    gvlId: t.exposeInt('gvlId', { nullable: true }),
    field: t.exposeStringList('field'),
    message: t.exposeString('message'),
  }),
});

const Counts = builder
  .objectRef<{ added: number; changed: number; deleted: number; unchanged: number }>('TcfVendorCounts')
  .implement({
    fields: (t) => ({
      added: t.exposeInt('added'),
      changed: t.exposeInt('changed'),
      deleted: t.exposeInt('deleted', { description: 'Newly marked deleted (kept, with the date).' }),
      unchanged: t.exposeInt('unchanged'),
    }),
  });

type PayloadShape = { report?: VendorDocumentReport; dryRun?: boolean; userErrors: UserErrorShape[] };

const Payload = builder.objectRef<PayloadShape>('TcfVendorListImportPayload').implement({
  fields: (t) => ({
    vendorList: t.prismaField({
      type: TcfVendorListRef,
      nullable: true,
      description: 'The imported list version (null for a translation, a dry run or a refusal).',
      resolve: async (query, p, _args, ctx) =>
        p.report?.kind === 'list' && !p.dryRun
          ? await ctx.prisma.tcfVendorList.findUnique({
              ...query,
              where: {
                specVersion_version: { specVersion: p.report.list.specVersion, version: p.report.list.version },
              },
            })
          : null,
    }),
    newVersion: t.boolean({
      nullable: true,
      resolve: (p) => (p.report?.kind === 'list' ? p.report.newVersion : null),
    }),
    vendors: t.field({
      type: Counts,
      nullable: true,
      resolve: (p) => (p.report?.kind === 'list' ? p.report.vendors : null),
    }),
    changes: t.field({
      type: [Change],
      resolve: (p) => (p.report?.kind === 'list' ? p.report.changes : []),
    }),
    definitionsChanged: t.int({
      description: 'Definitions (purposes, features, …) added or changed.',
      resolve: (p) =>
        p.report?.kind === 'list'
          ? p.report.definitions.added + p.report.definitions.changed
          : (p.report?.definitions.changed ?? 0),
    }),
    locale: t.field({
      type: 'Locale',
      nullable: true,
      description: 'For a translation file: the language its texts were stored under.',
      resolve: (p) => (p.report?.kind === 'translation' ? p.report.locale : null),
    }),
    warnings: t.field({ type: [Warning], resolve: (p) => p.report?.warnings ?? [] }),
    dryRun: t.boolean({ resolve: (p) => p.dryRun ?? false }),
    userErrors: t.field({ type: [UserError], resolve: (p) => p.userErrors }),
  }),
});

builder.mutationField('tcfVendorListImport', (t) =>
  t.field({
    type: Payload,
    description:
      'Imports an IAB TCF Global Vendor List (or a translation of its definitions) as `npm run vendors:import` does: one transaction, an audit event and a notification for every vendor added, changed or marked deleted; the same version twice changes nothing. Admin keys only. The body limit (MAX_BODY_BYTES) bounds the list: larger lists go through the command line.',
    args: { input: t.arg({ type: Input, required: true }) },
    resolve: async (_root, args, ctx): Promise<PayloadShape> => {
      // Reading a list is work: a caller without a key is told so first.
      if (!ctx.caller.actor) {
        return mutate(ctx, 'report', async () => refuse('FORBIDDEN', `Forbidden: ${describeProblem(ctx.caller)}.`));
      }
      try {
        const outcome = await importVendorDocument(
          ctx.writer,
          { caller: ctx.caller, requestId: ctx.requestId, now: ctx.now() },
          args.input.list,
          { language: args.input.language, dryRun: args.input.dryRun ?? false, base: ['input'] },
        );
        if (!outcome.ok) return { userErrors: outcome.userErrors };
        return { report: outcome.report, dryRun: outcome.dryRun, userErrors: [] };
      } catch (error) {
        if (error instanceof WritesUnavailableError) throw unavailable(error.message);
        throw error;
      }
    },
  }),
);
