// What changed between two imported versions of the vendor list: vendors
// added, removed (deleted or gone), and changed — with, for the changed, the
// purposes, special purposes, features and data categories that came, went
// or changed legal basis, flexibility or retention. Read from the revisions
// the import keeps (one per vendor and list version that changed it): the
// state of a vendor at a list is its latest revision at or before that list.
import type { PrismaClient, Tx } from '../db/client.js';
import type { TcfDefinitionKind, TcfLegalBasis } from '../db/generated/enums.js';
import { changedFields, comparable } from '../domain/compare.js';
import type { TcfVendorFacts } from '../domain/tcf-vendor.js';

export type DeclarationChangeKind = 'ADDED' | 'REMOVED' | 'CHANGED';

export interface DeclarationState {
  legalBasis: TcfLegalBasis | null;
  flexible: boolean;
  /** Days the vendor keeps data for it: its own retention, else its standard retention. */
  retentionDays: number | null;
}

export interface DeclarationChange {
  kind: TcfDefinitionKind;
  tcfId: number;
  change: DeclarationChangeKind;
  before: DeclarationState | null;
  after: DeclarationState | null;
}

export interface VendorDelta {
  gvlId: number;
  name: string;
  vendorId: string;
  changedFields: string[];
  declarations: DeclarationChange[];
  before: TcfVendorFacts | null;
  after: TcfVendorFacts | null;
}

export interface ListDiff {
  added: VendorDelta[];
  removed: VendorDelta[];
  changed: VendorDelta[];
}

/** Each declaration of a vendor, by kind and id, with its basis and retention. */
function declarationsOf(
  f: TcfVendorFacts | null,
): Map<string, { kind: TcfDefinitionKind; tcfId: number; state: DeclarationState }> {
  const out = new Map<string, { kind: TcfDefinitionKind; tcfId: number; state: DeclarationState }>();
  if (!f) return out;
  const std = f.standardRetentionDays ?? null;
  const put = (kind: TcfDefinitionKind, tcfId: number, state: DeclarationState) =>
    out.set(`${kind}:${tcfId}`, { kind, tcfId, state });
  for (const p of f.purposes ?? [])
    put('PURPOSE', p.id, { legalBasis: p.legalBasis, flexible: p.flexible, retentionDays: p.retentionDays ?? std });
  for (const p of f.specialPurposes ?? [])
    put('SPECIAL_PURPOSE', p.id, {
      legalBasis: 'LEGITIMATE_INTEREST',
      flexible: false,
      retentionDays: p.retentionDays ?? std,
    });
  const plain = { legalBasis: null, flexible: false, retentionDays: null };
  for (const id of f.features ?? []) put('FEATURE', id, plain);
  for (const id of f.specialFeatures ?? []) put('SPECIAL_FEATURE', id, plain);
  for (const id of f.dataCategories ?? []) put('DATA_CATEGORY', id, plain);
  return out;
}

const ORDER: TcfDefinitionKind[] = ['PURPOSE', 'SPECIAL_PURPOSE', 'FEATURE', 'SPECIAL_FEATURE', 'DATA_CATEGORY'];

/** The declarations that came, went or changed between two states of a vendor. */
export function declarationChanges(before: TcfVendorFacts | null, after: TcfVendorFacts | null): DeclarationChange[] {
  const a = declarationsOf(before);
  const b = declarationsOf(after);
  const changes: DeclarationChange[] = [];
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(key);
    const y = b.get(key);
    const { kind, tcfId } = (x ?? y)!;
    if (x && y && comparable(x.state) === comparable(y.state)) continue;
    changes.push({
      kind,
      tcfId,
      change: !x ? 'ADDED' : !y ? 'REMOVED' : 'CHANGED',
      before: x?.state ?? null,
      after: y?.state ?? null,
    });
  }
  return changes.sort((p, q) => ORDER.indexOf(p.kind) - ORDER.indexOf(q.kind) || p.tcfId - q.tcfId);
}

const active = (f: TcfVendorFacts | null) => Boolean(f && !f.deletedDate);

/** The difference from list `fromId` to list `toId` (either may be the older). */
export async function diffLists(prisma: PrismaClient | Tx, fromId: string, toId: string): Promise<ListDiff> {
  const lists = await prisma.tcfVendorList.findMany({
    where: { id: { in: [fromId, toId] } },
    select: { id: true, ordinal: true },
  });
  const ordinal = (id: string) => lists.find((l) => l.id === id)?.ordinal;
  const from = ordinal(fromId);
  const to = ordinal(toId);
  if (from === undefined || to === undefined) return { added: [], removed: [], changed: [] };
  const revisions = await prisma.tcfVendorRevision.findMany({
    where: { list: { ordinal: { lte: Math.max(from, to) } } },
    select: { vendorId: true, facts: true, list: { select: { ordinal: true } } },
  });
  // Per vendor, its state at each of the two lists.
  const states = new Map<string, { from: [number, TcfVendorFacts] | null; to: [number, TcfVendorFacts] | null }>();
  for (const r of revisions) {
    const s = states.get(r.vendorId) ?? { from: null, to: null };
    const facts = r.facts as unknown as TcfVendorFacts;
    const at = r.list.ordinal;
    if (at <= from && (!s.from || s.from[0] < at)) s.from = [at, facts];
    if (at <= to && (!s.to || s.to[0] < at)) s.to = [at, facts];
    states.set(r.vendorId, s);
  }
  const diff: ListDiff = { added: [], removed: [], changed: [] };
  for (const [vendorId, s] of states) {
    const before = s.from?.[1] ?? null;
    const after = s.to?.[1] ?? null;
    const was = active(before);
    const is = active(after);
    if (!was && !is) continue;
    const delta = (): VendorDelta => ({
      gvlId: (after ?? before)!.gvlId,
      name: (after ?? before)!.name,
      vendorId,
      changedFields: changedFields(
        before as unknown as Record<string, unknown> | null,
        after as unknown as Record<string, unknown> | null,
      ),
      declarations: declarationChanges(was ? before : null, is ? after : null),
      before,
      after,
    });
    if (!was) diff.added.push(delta());
    else if (!is) diff.removed.push(delta());
    else if (comparable(before) !== comparable(after)) diff.changed.push(delta());
  }
  for (const list of [diff.added, diff.removed, diff.changed]) list.sort((a, b) => a.gvlId - b.gvlId);
  return diff;
}
