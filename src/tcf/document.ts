// One vendor-list document (a list, or a translation of its definitions) read
// and imported as one unit of work through the writer: what the command line
// (npm run vendors:import) and the admin mutation (tcfVendorListImport) share.
import type { Caller } from '../auth/actor.js';
import { under, type UserErrorShape } from '../domain/errors.js';
import type { Writer } from '../domain/writer.js';
import { parseVendorDocument } from './format.js';
import {
  importTranslationIn,
  importVendorListIn,
  type TranslationImportReport,
  type VendorListImportReport,
} from './import.js';

export type VendorDocumentReport =
  ({ kind: 'list' } & VendorListImportReport) | ({ kind: 'translation' } & TranslationImportReport);

export type VendorDocumentOutcome =
  | { ok: true; report: VendorDocumentReport; dryRun: boolean; changedRecords: number }
  | { ok: false; userErrors: UserErrorShape[] };

export interface VendorDocumentOptions {
  /** The language of a translation file (purposes-de.json: "de"); a list is in English. */
  language?: string | null;
  dryRun?: boolean;
  progress?: (done: number, total: number) => void;
  /** Where problems are reported: ["input"] for the mutation (the document's own paths start with "list"). */
  base?: string[];
}

export async function importVendorDocument(
  writer: Writer,
  request: { caller: Caller; requestId: string; now?: Date },
  text: string,
  options: VendorDocumentOptions = {},
): Promise<VendorDocumentOutcome> {
  const base = options.base ?? [];
  const parsed = parseVendorDocument(text);
  if (!parsed.ok) return { ok: false, userErrors: under([...base, 'list'], parsed.problems) };
  if (parsed.kind === 'translation' && !options.language) {
    return {
      ok: false,
      userErrors: [
        {
          field: [...base, 'language'],
          code: 'REQUIRED',
          message: 'this is a translation of the list’s definitions (it has no vendors): say its language',
        },
      ],
    };
  }
  if (parsed.kind === 'list' && options.language && options.language.toLowerCase() !== 'en') {
    return {
      ok: false,
      userErrors: [
        {
          field: [...base, 'language'],
          code: 'INVALID',
          message: 'a vendor list is in English; a language is given for translations only',
        },
      ],
    };
  }
  const outcome = await writer.run(
    request,
    async (session): Promise<VendorDocumentReport> =>
      parsed.kind === 'list'
        ? { kind: 'list', ...(await importVendorListIn(session, parsed.list, options.progress)) }
        : { kind: 'translation', ...(await importTranslationIn(session, parsed.translation, options.language!)) },
    { dryRun: options.dryRun },
  );
  if (!outcome.ok) return { ok: false, userErrors: under(base, outcome.userErrors) };
  return { ok: true, report: outcome.value, dryRun: outcome.dryRun, changedRecords: outcome.changes.length };
}
