// Loading a manifest: the difference between what it describes and what is
// stored, sent through the writer record by record, so a change made the
// GitOps way is validated, authorised, audited and announced exactly as the
// same change made by a mutation. Only real differences are written; loading
// the same manifest twice changes nothing.
//
// The manifest is the organisation's whole truth: records missing from it are
// removed, except processors (retired, so their history stays) and notice
// versions that were ever published (history; they never change). A manifest
// that would change a published version is refused with the field's path.
//
// Notices come first: facts may hold from or until their versions
// ("validFrom: privacy@1.2"), and their bounds are checked against them. The
// privacy facts come before the retention rules, which may name one of their
// recipients as the one who keeps the data.
import { contact } from '../domain/contact.js';
import { controllerEntity } from '../domain/controller-entity.js';
import { refuse, type Path } from '../domain/errors.js';
import { notice, noticeTranslation, noticeVersion } from '../domain/notice.js';
import { keepingProvenance, organisation } from '../domain/organisation.js';
import { otherController } from '../domain/other-controller.js';
import { privacyProfile } from '../domain/privacy-profile.js';
import { processor, retired } from '../domain/processor.js';
import type { OrganisationParent } from '../domain/owned.js';
import {
  organisationOwner,
  type AnyRecordType,
  type ChangeAction,
  type RecordType,
  type StoredRow,
} from '../domain/record.js';
import { retentionRule } from '../domain/retention-rule.js';
import { supervisoryAuthority } from '../domain/supervisory-authority.js';
import type { RecordedChange, WriteSession } from '../domain/writer.js';
import type { Manifest } from './schema.js';

export interface ManifestChange {
  entity: string;
  /** The record's key in the manifest: "zendesk", "privacy@1.2", "privacy@1.2/nl". */
  key: string;
  action: ChangeAction;
  fields: string[];
}

export interface ApplyResult {
  organisationId: string | null;
  organisationSlug: string | null;
}

/**
 * Brings one collection to the manifest's state: creates what is new, writes
 * what differs, and hands what the manifest no longer lists to `missing`.
 */
async function sync<Row extends StoredRow, Item>(
  session: WriteSession,
  c: {
    type: AnyRecordType;
    stored: Row[];
    keyOfRow: (row: Row) => string;
    desired: Item[];
    keyOf: (item: Item) => string;
    parent: unknown;
    at: (index: number) => Path;
    missing?: (row: Row) => Promise<void>;
  },
): Promise<Map<string, Row>> {
  const byKey = new Map(c.stored.map((row) => [c.keyOfRow(row), row]));
  const result = new Map<string, Row>();
  for (const [index, item] of c.desired.entries()) {
    const key = c.keyOf(item);
    const row = byKey.get(key);
    const written: Row = row
      ? await session.update(c.type, row, { item }, c.at(index))
      : await session.create(c.type, c.parent, item, c.at(index));
    result.set(key, written);
  }
  for (const row of c.stored) if (!result.has(c.keyOfRow(row))) await c.missing?.(row);
  return result;
}

async function syncAuthorities(session: WriteSession, m: Manifest): Promise<string[]> {
  const { tx } = session;
  const slugs = m.supervisoryAuthorities.map((a) => (typeof a === 'string' ? a : a.slug));
  const stored = await tx.supervisoryAuthority.findMany({ where: { slug: { in: slugs } } });
  for (const [i, entry] of m.supervisoryAuthorities.entries()) {
    const at = ['supervisoryAuthorities', i];
    const row = stored.find((a) => a.slug === (typeof entry === 'string' ? entry : entry.slug));
    if (typeof entry === 'string') {
      if (!row) refuse('NOT_FOUND', `no supervisory authority has the slug "${entry}"`, at);
    } else if (row) await session.update(supervisoryAuthority, row, { item: entry }, at);
    else await session.create(supervisoryAuthority, null, entry, at);
  }
  return slugs;
}

export async function applyManifestIn(session: WriteSession, m: Manifest): Promise<ApplyResult> {
  const authorities = await syncAuthorities(session, m);
  if (!m.organisation) return { organisationId: null, organisationSlug: null };
  const { tx } = session;
  const desired = { ...m.organisation, supervisoryAuthorities: authorities };
  // Whether a manifest would change anything is itself news about the organisation: only its writers may ask.
  session.requireWrite(organisationOwner({ id: null, slug: desired.slug }), ['organisation']);
  const storedOrganisation = await tx.organisation.findUnique({ where: { slug: desired.slug } });
  const storedRow = storedOrganisation && (await organisation.load(tx, storedOrganisation.id))!;
  // Where the organisation comes from (a vendor list) is not the manifest's to say.
  const org = storedRow
    ? await session.update(
        organisation,
        storedRow,
        { item: keepingProvenance(organisation.toItem(storedRow), desired) },
        ['organisation'],
      )
    : await session.create(organisation, null, desired, ['organisation']);
  const parent = { organisationId: org.id };
  const owned = { organisationId: org.id };
  const load = async <Item extends object, Row extends StoredRow>(
    type: RecordType<Item, Row, OrganisationParent>,
    ids: { id: string }[],
  ) => {
    const rows = await Promise.all(ids.map((r) => type.load(tx, r.id)));
    return rows.filter((row) => row !== null) as Row[];
  };
  const idsOf = { select: { id: true }, where: owned } as const;

  await syncNotices(session, m, org.id);

  // Entities before the contacts that name them; removals after, once no contact names them.
  const entities = await load(controllerEntity, await tx.controllerEntity.findMany(idsOf));
  await sync(session, {
    type: controllerEntity,
    stored: entities,
    keyOfRow: (r) => r.key,
    desired: m.controllerEntities,
    keyOf: (e) => e.key,
    parent,
    at: (i) => ['controllerEntities', i],
  });
  await sync(session, {
    type: contact,
    stored: await load(contact, await tx.contact.findMany(idsOf)),
    keyOfRow: (r) => r.key,
    desired: m.contacts,
    keyOf: (c) => c.key,
    parent,
    at: (i) => ['contacts', i],
    missing: async (row) => void (await session.remove(contact, row, null, ['contacts'])),
  });
  const wantedEntities = new Set(m.controllerEntities.map((e) => e.key));
  for (const row of entities) {
    if (!wantedEntities.has(row.key)) await session.remove(controllerEntity, row, null, ['controllerEntities']);
  }

  await sync(session, {
    type: otherController,
    stored: await load(otherController, await tx.otherController.findMany(idsOf)),
    keyOfRow: (r) => r.key,
    desired: m.otherControllers,
    keyOf: (c) => c.key,
    parent,
    at: (i) => ['otherControllers', i],
    missing: async (row) => void (await session.remove(otherController, row, null, ['otherControllers'])),
  });

  await sync(session, {
    type: processor,
    stored: await load(processor, await tx.processor.findMany(idsOf)),
    keyOfRow: (r) => r.key,
    desired: m.processors,
    keyOf: (p) => p.key,
    parent,
    at: (i) => ['processors', i],
    missing: async (row) => {
      if (row.status === 'RETIRED') return;
      const item = retired(processor.toItem(row), session.today);
      await session.update(processor, row, { item, action: 'RETIRE' }, ['processors']);
    },
  });

  const profile = await tx.privacyProfile.findUnique({ where: { organisationId: org.id }, select: { id: true } });
  const storedProfile = profile ? await privacyProfile.load(tx, profile.id) : null;
  if (m.privacy && storedProfile) await session.update(privacyProfile, storedProfile, { item: m.privacy }, ['privacy']);
  else if (m.privacy) await session.create(privacyProfile, parent, m.privacy, ['privacy']);
  else if (storedProfile) await session.remove(privacyProfile, storedProfile, null, ['privacy']);

  await sync(session, {
    type: retentionRule,
    stored: await load(retentionRule, await tx.retentionRule.findMany(idsOf)),
    keyOfRow: (r) => r.key,
    desired: m.retentionRules.map((rule, position) => ({ ...rule, position })),
    keyOf: (r) => r.key,
    parent,
    at: (i) => ['retentionRules', i],
    missing: async (row) => void (await session.remove(retentionRule, row, null, ['retentionRules'])),
  });

  return { organisationId: org.id, organisationSlug: org.slug };
}

async function syncNotices(session: WriteSession, m: Manifest, organisationId: string) {
  const { tx } = session;
  const stored = await tx.notice.findMany({
    where: { organisationId },
    include: { versions: { include: { translations: { select: { id: true, locale: true } } } } },
  });
  for (const [ni, wanted] of m.notices.entries()) {
    const at: Path = ['notices', ni];
    const { versions, ...item } = wanted;
    const found = stored.find((n) => n.slug === wanted.slug);
    const row = found
      ? await session.update(notice, (await notice.load(tx, found.id))!, { item }, at)
      : await session.create(notice, { organisationId }, item, at);
    for (const [vi, wantedVersion] of versions.entries()) {
      const vat = [...at, 'versions', vi];
      const { translations, ...versionItem } = wantedVersion;
      const storedVersion = found?.versions.find((v) => v.version === wantedVersion.version);
      const version = storedVersion
        ? await session.update(
            noticeVersion,
            (await noticeVersion.load(tx, storedVersion.id))!,
            { item: versionItem },
            vat,
          )
        : await session.create(noticeVersion, { noticeId: row.id }, versionItem, vat);
      const storedTranslations = await Promise.all(
        (storedVersion?.translations ?? []).map(async (t) => (await noticeTranslation.load(tx, t.id))!),
      );
      await sync(session, {
        type: noticeTranslation,
        stored: storedTranslations,
        keyOfRow: (t) => t.locale,
        desired: translations,
        keyOf: (t) => t.locale,
        parent: { versionId: version.id },
        at: (i) => [...vat, 'translations', i],
        missing: async (t) => void (await session.remove(noticeTranslation, t, null, [...vat, 'translations'])),
      });
    }
    // Drafts the manifest no longer lists go; published versions are history and stay.
    for (const v of found?.versions ?? []) {
      if (v.status === 'DRAFT' && !versions.some((w) => w.version === v.version)) {
        await session.remove(noticeVersion, (await noticeVersion.load(tx, v.id))!, null, [...at, 'versions']);
      }
    }
  }
  for (const n of stored) {
    const onlyDrafts = n.versions.every((v) => v.status === 'DRAFT');
    if (onlyDrafts && !m.notices.some((w) => w.slug === n.slug)) {
      await session.remove(notice, (await notice.load(tx, n.id))!, null, ['notices']);
    }
  }
}

/** The changes of a load, as a manifest's author reads them: each record by its key in the manifest. */
export function manifestChanges(m: Manifest, changes: RecordedChange[]): ManifestChange[] {
  return changes.map((c) => ({
    entity: c.typename,
    key: keyInManifest(m, c),
    action: c.action,
    fields: c.changedFields,
  }));
}

function keyInManifest(m: Manifest, change: RecordedChange): string {
  const [list, ni, , vi, , ti] = change.path;
  if (list !== 'notices' || ni === undefined) return change.key;
  const n = m.notices[Number(ni)];
  const v = vi === undefined ? undefined : n?.versions[Number(vi)];
  if (change.typename === 'Notice') return change.key;
  if (change.typename === 'NoticeVersion') return `${n?.slug}@${change.key}`;
  return `${n?.slug}@${v?.version}/${ti === undefined ? change.key : (v?.translations[Number(ti)]?.locale ?? change.key)}`;
}
