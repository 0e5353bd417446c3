// Importing a TCF Global Vendor List: the difference between the list and what
// is stored, sent through the writer record by record in the caller's one
// unit of work, so every vendor added, changed or deleted is validated,
// audited (before and after) and announced like any other change.
//
//   - the list version itself (TcfVendorList), once;
//   - its definitions (TcfDefinition), in English;
//   - per vendor an organisation (source TCF, slug tcf-<id>) and its
//     declarations (TcfVendor); a vendor the list marks deleted, or that a
//     newer list no longer names, is kept and marked deleted (RETIRE) with the
//     list's date.
//
// Lists are imported in order: one older than the latest imported is refused
// (its changes would be read backwards). The same version twice writes
// nothing. A translation file sets one language's texts of the definitions.
import { describeProblem } from '../auth/actor.js';
import { comparable } from '../domain/compare.js';
import { refuse } from '../domain/errors.js';
import { organisation, organisationRows, type OrganisationItem } from '../domain/organisation.js';
import { tcfDefinition, type TcfDefinitionItem } from '../domain/tcf-definition.js';
import { factsOf, tcfVendor, tcfVendorRows, type TcfVendorItem } from '../domain/tcf-vendor.js';
import { listLabel, tcfVendorList, type TcfVendorListItem } from '../domain/tcf-vendor-list.js';
import { validate } from '../domain/validate.js';
import { mayWrite, type WriteSession } from '../domain/writer.js';
import { definitionSections, type GvlList, type GvlTranslation } from './format.js';
import {
  definitionTexts,
  instantOf,
  LIST_LOCALE,
  languageOf,
  vendorRecords,
  vendorSlug,
  withTexts,
  type ImportWarning,
} from './map.js';

export type VendorChangeAction = 'CREATE' | 'UPDATE' | 'RETIRE';

export interface VendorChange {
  action: VendorChangeAction;
  gvlId: number;
  name: string;
  /** The vendor's fields that changed (name, purposes, deletedDate, …). */
  fields: string[];
}

export interface VendorListImportReport {
  list: { specVersion: number; version: number; policyVersion: number; lastUpdated: string; vendorCount: number };
  /** False when this version had been imported before. */
  newVersion: boolean;
  vendors: { added: number; changed: number; deleted: number; unchanged: number };
  definitions: { added: number; changed: number };
  changes: VendorChange[];
  warnings: ImportWarning[];
}

export interface TranslationImportReport {
  locale: string;
  definitions: { changed: number; unknown: number };
  warnings: ImportWarning[];
}

type Progress = (done: number, total: number) => void;
type VendorRecords = ReturnType<typeof vendorRecords>;

/** New vendors written together: a few statements per batch, and progress between them. */
const BATCH = 100;

/** The list and its definitions are shared reference data: only admin keys import them. */
function requireAdmin(session: WriteSession, at: string[]) {
  if (!mayWrite(session.caller, { kind: 'shared' })) {
    refuse(
      'FORBIDDEN',
      session.caller.actor
        ? 'Forbidden: the API key lacks the scope for this; it needs admin: the TCF vendor list is shared reference data.'
        : `Forbidden: ${describeProblem(session.caller)}.`,
      at,
    );
  }
}

const isOlder = (a: { specVersion: number; version: number }, b: { specVersion: number; version: number }) =>
  a.specVersion < b.specVersion || (a.specVersion === b.specVersion && a.version < b.version);

/** The list version's record, created on its first import; refuses a version older than the latest imported. */
async function listRecord(session: WriteSession, list: GvlList): Promise<{ item: TcfVendorListItem; isNew: boolean }> {
  const { tx } = session;
  const wanted = { specVersion: list.gvlSpecificationVersion, version: list.vendorListVersion };
  const latest = await tx.tcfVendorList.findFirst({ orderBy: { ordinal: 'desc' } });
  const same = await tx.tcfVendorList.findUnique({ where: { specVersion_version: wanted } });
  if (latest && (same ? same.id !== latest.id : isOlder(wanted, latest))) {
    refuse(
      'CONFLICT',
      `list ${listLabel(wanted)} is older than ${listLabel(latest)}, the latest imported: lists are imported in order, oldest first`,
      ['list', 'vendorListVersion'],
    );
  }
  const item: TcfVendorListItem = {
    ...wanted,
    policyVersion: list.tcfPolicyVersion,
    lastUpdated: instantOf(list.lastUpdated),
    ordinal: same?.ordinal ?? (latest?.ordinal ?? 0) + 1,
    vendorCount: Object.keys(list.vendors).length,
    standardTexts: list.standardTexts
      ? Object.fromEntries(Object.entries(list.standardTexts).map(([k, v]) => [k, { [LIST_LOCALE]: v }]))
      : undefined,
  };
  if (same) await session.update(tcfVendorList, same, { item }, ['list']);
  else await session.create(tcfVendorList, null, item, ['list']);
  return { item, isNew: !same };
}

/** The list's definitions, in English; other languages stay while the specification does. */
async function importDefinitions(session: WriteSession, list: GvlList) {
  const stored = await session.tx.tcfDefinition.findMany();
  const counts = { added: 0, changed: 0 };
  for (const texts of definitionTexts(list)) {
    const row = stored.find((d) => d.kind === texts.kind && d.tcfId === texts.tcfId);
    const before = row ? tcfDefinition.toItem(row) : null;
    const item = withTexts(before, texts, LIST_LOCALE, list.gvlSpecificationVersion);
    const at = ['list', texts.kind, texts.tcfId];
    if (!row) {
      await session.create(tcfDefinition, null, item, at);
      counts.added++;
    } else if (comparable(before) !== comparable(validate(tcfDefinition.schema, item, at))) {
      await session.update(tcfDefinition, row, { item }, at);
      counts.changed++;
    }
  }
  return counts;
}

/**
 * Imports one vendor list in the session's unit of work and reports what
 * changed. Needs admin: the list's definitions are shared reference data.
 */
export async function importVendorListIn(
  session: WriteSession,
  list: GvlList,
  progress?: Progress,
): Promise<VendorListImportReport> {
  requireAdmin(session, ['list']);
  const { tx } = session;
  const warnings: ImportWarning[] = [];
  const { item: listItem, isNew } = await listRecord(session, list);
  const since = { specVersion: listItem.specVersion, version: listItem.version };
  const definitions = await importDefinitions(session, list);

  const organisations = new Map((await organisationRows(tx, { gvlId: { not: null } })).map((row) => [row.gvlId!, row]));
  const vendors = new Map((await tcfVendorRows(tx)).map((row) => [row.gvlId, row]));
  const listed = Object.values(list.vendors).sort((a, b) => a.id - b.id);
  const total = listed.length;
  const counts = { added: 0, changed: 0, deleted: 0, unchanged: 0 };
  const changes: VendorChange[] = [];
  let done = 0;
  const atVendor = (gvlId: number) => ['list', 'vendors', String(gvlId)];

  // New vendors, the bulk of a first import, in batches: each batch a few statements.
  const fresh: VendorRecords[] = [];
  const known: VendorRecords[] = [];
  for (const v of listed) {
    const records = vendorRecords(list, v, warnings);
    (organisations.has(v.id) || vendors.has(v.id) ? known : fresh).push(records);
  }
  const taken = await tx.organisation.findMany({
    where: { slug: { in: fresh.map((r) => r.organisation.slug) } },
    select: { slug: true },
  });
  if (taken.length > 0) {
    const slug = taken[0]!.slug;
    const gvlId = fresh.find((r) => r.organisation.slug === slug)!.facts.gvlId;
    refuse('CONFLICT', `the slug ${slug} is taken by an organisation that is not vendor ${gvlId}`, atVendor(gvlId));
  }
  for (let i = 0; i < fresh.length; i += BATCH) {
    const batch = fresh.slice(i, i + BATCH);
    const orgs = await session.createMany(
      organisation,
      batch.map((r) => ({
        parent: null,
        input: { ...r.organisation, defaultLocale: LIST_LOCALE, supervisoryAuthorities: [] },
        at: atVendor(r.facts.gvlId),
      })),
      ['list', 'vendors'],
    );
    await session.createMany(
      tcfVendor,
      batch.map((r, j) => ({
        parent: { organisationId: orgs[j]!.id },
        input: { ...r.facts, since },
        at: atVendor(r.facts.gvlId),
      })),
      ['list', 'vendors'],
    );
    for (const r of batch) changes.push({ action: 'CREATE', gvlId: r.facts.gvlId, name: r.facts.name, fields: [] });
    counts.added += batch.length;
    done += batch.length;
    progress?.(done, total);
  }

  // Vendors seen before: only what differs is written.
  const update = async (r: VendorRecords, facts: TcfVendorItem) => {
    const gvlId = r.facts.gvlId;
    const at = atVendor(gvlId);
    const orgRow = organisations.get(gvlId);
    let organisationId: string;
    if (orgRow) {
      const storedOrg = organisation.toItem(orgRow);
      // The list says who the vendor is; what people added (website, authorities) stays.
      const item: OrganisationItem = { ...storedOrg, ...r.organisation, slug: storedOrg.slug };
      const action = actionOf(storedOrg.deletedAt, item.deletedAt);
      organisationId = (await session.update(organisation, orgRow, { item, action }, at)).id;
    } else {
      const input = { ...r.organisation, defaultLocale: LIST_LOCALE, supervisoryAuthorities: [] };
      organisationId = (await session.create(organisation, null, input, at)).id;
    }
    const vendorRow = vendors.get(gvlId);
    if (!vendorRow) {
      await session.create(tcfVendor, { organisationId }, facts, at);
      counts.added++;
      changes.push({ action: 'CREATE', gvlId, name: facts.name, fields: [] });
      return;
    }
    const stored = tcfVendor.toItem(vendorRow);
    // Unchanged declarations keep the list they were first declared in.
    const desired = validate(tcfVendor.schema, { ...facts, since: stored.since }, at);
    if (comparable(factsOf(stored)) === comparable(factsOf(desired))) {
      counts.unchanged++;
      return;
    }
    const action = actionOf(stored.deletedDate, desired.deletedDate);
    await session.update(tcfVendor, vendorRow, { item: { ...desired, since }, action }, at);
    if (action === 'RETIRE') counts.deleted++;
    else counts.changed++;
    changes.push({ action, gvlId, name: desired.name, fields: changedFieldsOf(stored, desired) });
  };
  for (const r of known) {
    await update(r, { ...r.facts, since });
    progress?.(++done, total);
  }
  // A vendor a newer list no longer names is gone from it: kept, marked deleted on the list's date.
  for (const [gvlId, row] of vendors) {
    if (list.vendors[String(gvlId)]) continue;
    const stored = tcfVendor.toItem(row);
    if (stored.deletedDate) continue;
    const deletedDate = listItem.lastUpdated;
    const org = organisations.get(gvlId);
    const facts = { ...stored, deletedDate };
    await update(
      {
        organisation: {
          slug: org?.slug ?? vendorSlug(gvlId),
          name: org?.name ?? stored.name,
          source: 'TCF',
          gvlId,
          deletedAt: deletedDate,
        },
        facts,
      },
      facts,
    );
  }

  return {
    list: {
      specVersion: listItem.specVersion,
      version: listItem.version,
      policyVersion: listItem.policyVersion,
      lastUpdated: listItem.lastUpdated,
      vendorCount: listItem.vendorCount,
    },
    newVersion: isNew,
    vendors: counts,
    definitions,
    changes,
    warnings,
  };
}

/** Marking a vendor deleted keeps it, as retiring a processor does. */
function actionOf(before: string | undefined, after: string | undefined): 'UPDATE' | 'RETIRE' {
  return !before && after ? 'RETIRE' : 'UPDATE';
}

function changedFieldsOf(before: TcfVendorItem, after: TcfVendorItem): string[] {
  const a = factsOf(before) as Record<string, unknown>;
  const b = factsOf(after) as Record<string, unknown>;
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter((k) => comparable(a[k]) !== comparable(b[k]))
    .sort();
}

/**
 * Sets one language's texts of the stored definitions from a translation file
 * (purposes-de.json). The file must translate the specification the stored
 * definitions come from; definitions it names that are not stored are skipped.
 */
export async function importTranslationIn(
  session: WriteSession,
  translation: GvlTranslation,
  language: string,
): Promise<TranslationImportReport> {
  requireAdmin(session, ['list']);
  const locale = languageOf(language);
  if (!locale) refuse('INVALID_LOCALE', `"${language}" is not a language tag (e.g. "de")`, ['language']);
  if (locale.toLowerCase() === LIST_LOCALE) {
    refuse('INVALID', 'English is the list’s own language: import the vendor list itself', ['language']);
  }
  const stored = await session.tx.tcfDefinition.findMany();
  if (stored.length === 0) refuse('NOT_FOUND', 'no vendor list has been imported yet: import one first', ['list']);
  // Files of specification 2 do not say which they are.
  const specVersion = translation.gvlSpecificationVersion ?? 2;
  const storedSpec = Math.max(...stored.map((d) => d.specVersion));
  if (specVersion !== storedSpec) {
    refuse(
      'CONFLICT',
      `these translations are of Global Vendor List specification ${specVersion}; the stored definitions are of specification ${storedSpec}`,
      ['list', 'gvlSpecificationVersion'],
    );
  }
  const warnings: ImportWarning[] = [];
  const counts = { changed: 0, unknown: 0 };
  for (const texts of definitionTexts(translation)) {
    const row = stored.find((d) => d.kind === texts.kind && d.tcfId === texts.tcfId);
    const at = ['list', texts.kind, texts.tcfId];
    if (!row) {
      counts.unknown++;
      warnings.push({
        gvlId: null,
        field: at.map(String),
        message: `${texts.kind} ${texts.tcfId} is not defined in the stored list; skipped`,
      });
      continue;
    }
    const before = tcfDefinition.toItem(row);
    const item: TcfDefinitionItem = withTexts(before, texts, locale, row.specVersion);
    // A translation without a name or description keeps the English one rather than inventing it.
    if (!texts.name) item.name = before.name;
    if (!texts.description) item.description = before.description;
    const written = await session.update(tcfDefinition, row, { item }, at);
    if (written !== row) counts.changed++;
  }
  return { locale, definitions: counts, warnings };
}

export { definitionSections };
