// Loading a manifest is an upsert of one organisation's whole state, in one
// transaction: every record is compared with what is stored and only real
// differences are written, so loading the same manifest twice changes nothing.
// The manifest is the organisation's full truth: records missing from it are
// removed, except processors (retired, so their history stays) and notice
// versions that were ever published (kept: published versions are history).
import type { PrismaClient, Tx } from '../db/client.js';
import type { Manifest } from './schema.js';
import {
  authorityColumns,
  contactColumns,
  decodeLocations,
  encodeLocations,
  entityColumns,
  processorColumns,
  retentionRuleColumns,
  toDate,
} from './records.js';
import { sectionAnchors } from '../schema/notice/anchors.js';
import { sectionRecord } from '../notice/sections.js';

export type ChangeAction = 'CREATE' | 'UPDATE' | 'DELETE' | 'RETIRE';
export interface ManifestChange {
  entity: string;
  key: string;
  action: ChangeAction;
  fields: string[];
}

export interface ApplyResult {
  organisationId: string;
  changes: ManifestChange[];
}

class DryRunRollback extends Error {
  constructor(readonly result: ApplyResult) {
    super('dry run');
  }
}

/** Keys sorted at every depth, so two equal JSON values print the same. */
function sortedDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedDeep);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, sortedDeep(v)]),
    );
  }
  return value;
}

/** Values as the database returns them and as the manifest gives them, made comparable. */
function comparable(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (value instanceof Date) return JSON.stringify(value.toISOString().slice(0, 10));
  return JSON.stringify(sortedDeep(value));
}

function changedFields(stored: Record<string, unknown> | undefined, desired: Record<string, unknown>): string[] {
  if (!stored) return Object.keys(desired);
  return Object.keys(desired).filter((field) => comparable(stored[field]) !== comparable(desired[field]));
}

interface Collection<Row extends { id: string; key: string }, Item> {
  entity: string;
  stored: Row[];
  desired: Item[];
  keyOf: (item: Item) => string;
  data: (item: Item) => Record<string, unknown>;
  create: (data: Record<string, unknown>) => Promise<{ id: string }>;
  update: (id: string, data: Record<string, unknown>) => Promise<unknown>;
  /** What to do with a stored row the manifest no longer has. */
  remove: (row: Row) => Promise<ChangeAction | null>;
  /** Rows with a `revision` column get it bumped on every update. */
  revisioned?: boolean;
}

/** Creates, updates and removes rows so that the stored collection matches the manifest. */
async function sync<Row extends { id: string; key: string }, Item>(
  c: Collection<Row, Item>,
  changes: ManifestChange[],
): Promise<Map<string, string>> {
  const byKey = new Map(c.stored.map((row) => [row.key, row]));
  const ids = new Map<string, string>();
  for (const item of c.desired) {
    const key = c.keyOf(item);
    const data = c.data(item);
    const row = byKey.get(key);
    if (!row) {
      const created = await c.create(data);
      ids.set(key, created.id);
      changes.push({
        entity: c.entity,
        key,
        action: 'CREATE',
        fields: Object.keys(data),
      });
      continue;
    }
    ids.set(key, row.id);
    const fields = changedFields(row as unknown as Record<string, unknown>, data);
    if (fields.length > 0) {
      const changed = Object.fromEntries(fields.map((f) => [f, data[f]]));
      await c.update(row.id, c.revisioned ? { ...changed, revision: { increment: 1 } } : changed);
      changes.push({ entity: c.entity, key, action: 'UPDATE', fields });
    }
  }
  const wanted = new Set(c.desired.map(c.keyOf));
  for (const row of c.stored) {
    if (wanted.has(row.key)) continue;
    const action = await c.remove(row);
    if (action) changes.push({ entity: c.entity, key: row.key, action, fields: [] });
  }
  return ids;
}

async function syncAuthorities(tx: Tx, m: Manifest, changes: ManifestChange[]) {
  const stored = await tx.supervisoryAuthority.findMany({
    where: { slug: { in: m.supervisoryAuthorities.map((a) => a.slug) } },
  });
  return sync(
    {
      entity: 'SupervisoryAuthority',
      revisioned: true,
      stored: stored.map((a) => ({ ...a, key: a.slug })),
      desired: m.supervisoryAuthorities,
      keyOf: (a) => a.slug,
      data: authorityColumns,
      create: (data) => tx.supervisoryAuthority.create({ data: data as never }),
      update: (id, data) => tx.supervisoryAuthority.update({ where: { id }, data }),
      // Authorities are shared reference data: another organisation may point to them.
      remove: async () => null,
    },
    changes,
  );
}

async function syncOrganisation(tx: Tx, m: Manifest, authorityIds: string[], changes: ManifestChange[]) {
  const stored = await tx.organisation.findUnique({
    where: { slug: m.organisation.slug },
    include: { supervisoryAuthorities: { select: { id: true } } },
  });
  const data = {
    name: m.organisation.name,
    website: m.organisation.website ?? null,
    defaultLocale: m.organisation.defaultLocale,
  };
  const wantedAuthorities = [...authorityIds].sort();
  if (!stored) {
    const created = await tx.organisation.create({
      data: {
        slug: m.organisation.slug,
        ...data,
        supervisoryAuthorities: { connect: authorityIds.map((id) => ({ id })) },
      },
    });
    changes.push({
      entity: 'Organisation',
      key: m.organisation.slug,
      action: 'CREATE',
      fields: Object.keys(data),
    });
    return created.id;
  }
  const fields = changedFields(stored, data);
  const storedAuthorities = stored.supervisoryAuthorities.map((a) => a.id).sort();
  if (comparable(storedAuthorities) !== comparable(wantedAuthorities)) fields.push('supervisoryAuthorities');
  if (fields.length > 0) {
    await tx.organisation.update({
      where: { id: stored.id },
      data: {
        ...data,
        supervisoryAuthorities: { set: authorityIds.map((id) => ({ id })) },
      },
    });
    changes.push({
      entity: 'Organisation',
      key: m.organisation.slug,
      action: 'UPDATE',
      fields,
    });
  }
  return stored.id;
}

async function syncEntitiesAndContacts(tx: Tx, organisationId: string, m: Manifest, changes: ManifestChange[]) {
  const entityIds = await sync(
    {
      entity: 'ControllerEntity',
      revisioned: true,
      stored: await tx.controllerEntity.findMany({ where: { organisationId } }),
      desired: m.controllerEntities,
      keyOf: (e) => e.key,
      data: entityColumns,
      create: (data) =>
        tx.controllerEntity.create({
          data: { ...data, organisationId } as never,
        }),
      update: (id, data) => tx.controllerEntity.update({ where: { id }, data }),
      remove: async (row) => {
        await tx.controllerEntity.delete({ where: { id: row.id } });
        return 'DELETE';
      },
    },
    changes,
  );
  await sync(
    {
      entity: 'Contact',
      revisioned: true,
      stored: await tx.contact.findMany({ where: { organisationId } }),
      desired: m.contacts,
      keyOf: (c) => c.key,
      data: (c) => contactColumns(c, c.entity ? (entityIds.get(c.entity) ?? null) : null),
      create: (data) => tx.contact.create({ data: { ...data, organisationId } as never }),
      update: (id, data) => tx.contact.update({ where: { id }, data: data as never }),
      remove: async (row) => {
        await tx.contact.delete({ where: { id: row.id } });
        return 'DELETE';
      },
    },
    changes,
  );
}

async function syncProcessors(tx: Tx, organisationId: string, m: Manifest, changes: ManifestChange[]) {
  const stored = await tx.processor.findMany({
    where: { organisationId },
    include: { dataLocations: true },
  });
  await sync(
    {
      entity: 'Processor',
      revisioned: true,
      stored: stored.map((p) => ({
        ...p,
        dataLocations: encodeLocations(p.dataLocations),
      })),
      desired: m.processors,
      keyOf: (p) => p.key,
      data: processorColumns,
      create: ({ dataLocations, ...data }) =>
        tx.processor.create({
          data: {
            ...data,
            organisationId,
            dataLocations: { create: decodeLocations(dataLocations as string[]) },
          } as never,
        }),
      update: (id, { dataLocations, ...data }) =>
        tx.processor.update({
          where: { id },
          data: {
            ...data,
            ...(dataLocations
              ? {
                  dataLocations: {
                    deleteMany: {},
                    create: decodeLocations(dataLocations as string[]),
                  },
                }
              : {}),
          } as never,
        }),
      remove: async (row) => {
        if (row.status === 'RETIRED') return null;
        await tx.processor.update({
          where: { id: row.id },
          data: {
            status: 'RETIRED',
            activeUntil: row.activeUntil ?? new Date(),
          },
        });
        return 'RETIRE';
      },
    },
    changes,
  );
}

async function syncRetentionRules(tx: Tx, organisationId: string, m: Manifest, changes: ManifestChange[]) {
  await sync(
    {
      entity: 'RetentionRule',
      revisioned: true,
      stored: await tx.retentionRule.findMany({ where: { organisationId } }),
      desired: m.retentionRules.map((rule, position) => ({ rule, position })),
      keyOf: ({ rule }) => rule.key,
      data: ({ rule, position }) => ({ ...retentionRuleColumns(rule), position }),
      create: (data) => tx.retentionRule.create({ data: { ...data, organisationId } as never }),
      update: (id, data) => tx.retentionRule.update({ where: { id }, data: data as never }),
      remove: async (row) => {
        await tx.retentionRule.delete({ where: { id: row.id } });
        return 'DELETE';
      },
    },
    changes,
  );
}

async function syncNotices(tx: Tx, organisationId: string, m: Manifest, changes: ManifestChange[]) {
  const notices = await tx.notice.findMany({
    where: { organisationId },
    include: {
      versions: {
        include: {
          translations: {
            include: { sections: { orderBy: { position: 'asc' } } },
          },
        },
      },
    },
  });
  const noticeIds = await sync(
    {
      entity: 'Notice',
      stored: notices.map((n) => ({ ...n, key: n.slug })),
      desired: m.notices,
      keyOf: (n) => n.slug,
      data: (n) => ({ slug: n.slug, kind: n.kind }),
      create: (data) => tx.notice.create({ data: { ...data, organisationId } as never }),
      update: (id, data) => tx.notice.update({ where: { id }, data }),
      remove: async (row) => {
        if (row.versions.some((v) => v.status !== 'DRAFT')) return null;
        await tx.notice.delete({ where: { id: row.id } });
        return 'DELETE';
      },
    },
    changes,
  );
  for (const notice of m.notices) {
    const noticeId = noticeIds.get(notice.slug)!;
    const storedVersions = notices.find((n) => n.slug === notice.slug)?.versions ?? [];
    const versionIds = await sync(
      {
        entity: 'NoticeVersion',
        stored: storedVersions.map((v) => ({
          ...v,
          key: `${notice.slug}@${v.version}`,
        })),
        desired: notice.versions,
        keyOf: (v) => `${notice.slug}@${v.version}`,
        data: (v) => ({
          version: v.version,
          effectiveDate: toDate(v.effectiveDate),
          status: v.status,
        }),
        create: (data) => tx.noticeVersion.create({ data: { ...data, noticeId } as never }),
        update: (id, data) => tx.noticeVersion.update({ where: { id }, data }),
        remove: async (row) => {
          if (row.status !== 'DRAFT') return null;
          await tx.noticeVersion.delete({ where: { id: row.id } });
          return 'DELETE';
        },
      },
      changes,
    );
    for (const version of notice.versions) {
      const versionKey = `${notice.slug}@${version.version}`;
      const versionId = versionIds.get(versionKey)!;
      const storedTranslations = storedVersions.find((v) => v.version === version.version)?.translations ?? [];
      await sync(
        {
          entity: 'NoticeTranslation',
          stored: storedTranslations.map((t) => ({
            ...t,
            key: `${versionKey}/${t.locale}`,
            // Derived fields take part in the comparison, so a stale rendering is redone.
            sections: t.sections.map(({ anchor, heading, level, body, html, text, language, detectedLanguage }) => ({
              anchor,
              heading,
              level,
              body,
              html,
              text,
              language,
              detectedLanguage,
            })),
          })),
          desired: version.translations,
          keyOf: (t) => `${versionKey}/${t.locale}`,
          data: (t) => {
            const anchors = sectionAnchors(t.sections);
            return {
              locale: t.locale,
              title: t.title,
              sections: t.sections.map((s, i) => sectionRecord({ ...s, anchor: anchors[i]! }, t.locale)),
            };
          },
          create: ({ sections, ...data }) =>
            tx.noticeTranslation.create({
              data: {
                ...data,
                versionId,
                sections: { create: numbered(sections) },
              } as never,
            }),
          update: (id, { sections, ...data }) =>
            tx.noticeTranslation.update({
              where: { id },
              data: {
                ...data,
                ...(sections ? { sections: { deleteMany: {}, create: numbered(sections) } } : {}),
              } as never,
            }),
          remove: async (row) => {
            await tx.noticeTranslation.delete({ where: { id: row.id } });
            return 'DELETE';
          },
        },
        changes,
      );
    }
  }
}

function numbered(sections: unknown) {
  return (sections as ReturnType<typeof sectionRecord>[]).map((section, position) => ({ ...section, position }));
}

async function syncPrivacy(tx: Tx, organisationId: string, m: Manifest, changes: ManifestChange[]) {
  const stored = await tx.privacyProfile.findUnique({ where: { organisationId } });
  const key = m.organisation.slug;
  if (!m.privacy) {
    if (stored) {
      await tx.privacyProfile.delete({ where: { id: stored.id } });
      changes.push({ entity: 'PrivacyProfile', key, action: 'DELETE', fields: [] });
    }
    return;
  }
  const facts = sortedDeep(m.privacy) as object;
  if (!stored) {
    await tx.privacyProfile.create({ data: { organisationId, facts } });
    changes.push({ entity: 'PrivacyProfile', key, action: 'CREATE', fields: Object.keys(m.privacy) });
    return;
  }
  const before = stored.facts as Record<string, unknown>;
  const fields = Object.keys({ ...before, ...m.privacy }).filter(
    (f) => comparable(before[f]) !== comparable((m.privacy as Record<string, unknown>)[f]),
  );
  if (fields.length > 0) {
    await tx.privacyProfile.update({ where: { id: stored.id }, data: { facts, revision: { increment: 1 } } });
    changes.push({ entity: 'PrivacyProfile', key, action: 'UPDATE', fields });
  }
}

/** The whole upsert inside a transaction the caller owns (a mutation adds its audit event to it). */
export async function applyManifestInTransaction(tx: Tx, m: Manifest): Promise<ApplyResult> {
  const changes: ManifestChange[] = [];
  const authorityIds = await syncAuthorities(tx, m, changes);
  const organisationId = await syncOrganisation(tx, m, [...authorityIds.values()], changes);
  await syncEntitiesAndContacts(tx, organisationId, m, changes);
  await syncProcessors(tx, organisationId, m, changes);
  await syncRetentionRules(tx, organisationId, m, changes);
  await syncNotices(tx, organisationId, m, changes);
  await syncPrivacy(tx, organisationId, m, changes);
  return { organisationId, changes };
}

/**
 * Applies a validated manifest all-or-nothing. With `dryRun` the same writes run
 * and are rolled back, so the reported changes are exactly what a real run does.
 */
export async function applyManifest(
  prisma: PrismaClient,
  manifest: Manifest,
  options: { dryRun?: boolean } = {},
): Promise<ApplyResult> {
  try {
    return await prisma.$transaction(
      async (tx) => {
        const result = await applyManifestInTransaction(tx, manifest);
        if (options.dryRun) throw new DryRunRollback(result);
        return result;
      },
      { timeout: 60_000, maxWait: 10_000 },
    );
  } catch (error) {
    if (error instanceof DryRunRollback) return error.result;
    throw error;
  }
}
