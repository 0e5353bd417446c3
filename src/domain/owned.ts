// What the records an organisation owns share: their parent is the
// organisation, their key is unique within it, and their owner is found
// through it.
import GithubSlugger from 'github-slugger';
import type { Tx } from '../db/client.js';
import { organisationOwner, type Owner, type Typename } from './record.js';

/** A new record's place: the organisation it belongs to. */
export interface OrganisationParent {
  organisationId: string;
}

/** What every owned row loads of its organisation. */
export const withOrganisation = { organisation: { select: { id: true, slug: true } } } as const;

export async function ownerOfOrganisation(tx: Tx, organisationId: string): Promise<Owner | null> {
  const organisation = await tx.organisation.findUnique({
    where: { id: organisationId },
    select: { id: true, slug: true },
  });
  return organisation ? organisationOwner(organisation) : null;
}

/** The owners of many new records at once, in the order of their parents. */
export async function ownersOfOrganisations(tx: Tx, parents: OrganisationParent[]): Promise<(Owner | null)[]> {
  const found = await tx.organisation.findMany({
    where: { id: { in: [...new Set(parents.map((p) => p.organisationId))] } },
    select: { id: true, slug: true },
  });
  const byId = new Map(found.map((o) => [o.id, organisationOwner(o)]));
  return parents.map((p) => byId.get(p.organisationId) ?? null);
}

/** Rows loaded by id, back in the order of the ids. */
export function inOrderOf<R extends { id: string }>(ids: string[], rows: R[]): R[] {
  const byId = new Map(rows.map((r) => [r.id, r]));
  return ids.map((id) => {
    const row = byId.get(id);
    if (!row) throw new Error(`row ${id} was written but cannot be read back`);
    return row;
  });
}

export const ownedByOrganisation = {
  owner: (row: { organisation: { id: string; slug: string } }) => organisationOwner(row.organisation),
  ownerOfNew: (tx: Tx, parent: OrganisationParent) => ownerOfOrganisation(tx, parent.organisationId),
  ownersOfNew: ownersOfOrganisations,
  unique: { key: 'key' },
} as const;

/** A key from a name: "Zendesk Inc." → "zendesk-inc". */
export function keyFromName(name: string): string {
  return (
    new GithubSlugger()
      .slug(name)
      .replace(/[^a-z0-9-]/g, '')
      .replace(/-+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 70)
      .replace(/-$/, '') || 'record'
  );
}

/** The first of "zendesk", "zendesk-2", … that no key in `taken` has. */
export function freeKey(wanted: string, taken: ReadonlySet<string>): string {
  let key = wanted;
  for (let n = 2; taken.has(key); n++) key = `${wanted}-${n}`;
  return key;
}

/** A key for a new record of an organisation, made from a name and free among its siblings. */
export async function newKey(tx: Tx, typename: Typename, organisationId: string, name: string): Promise<string> {
  const base = keyFromName(name);
  const where = { organisationId, key: { startsWith: base } };
  const select = { key: true } as const;
  const siblings = {
    ControllerEntity: () => tx.controllerEntity.findMany({ where, select }),
    Contact: () => tx.contact.findMany({ where, select }),
    Processor: () => tx.processor.findMany({ where, select }),
    RetentionRule: () => tx.retentionRule.findMany({ where, select }),
    OtherController: () => tx.otherController.findMany({ where, select }),
  }[typename as string];
  if (!siblings) throw new Error(`${typename} records have no organisation-wide key`);
  return freeKey(base, new Set((await siblings()).map((r) => r.key)));
}
