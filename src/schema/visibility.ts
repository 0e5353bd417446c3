// One visibility rule for every read path. Drafts (a version not yet
// published, its translations and sections) and the audit trail are for
// callers who may write the organisation they belong to; to anyone else they
// are indistinguishable from records that do not exist: node(id) answers a
// plain null, comparisons and events leave them out, and lists never show them.
import type { Caller } from '../auth/actor.js';
import type { PrismaClient } from '../db/client.js';
import { organisationOwner, type Owner } from '../domain/record.js';
import { ownerOf } from '../domain/registry.js';
import { mayWrite } from '../domain/writer.js';

/** Whether the caller may see what only the owner's writers see. */
export const maySeeWritersOnly = (caller: Caller, owner: Owner | null) => owner !== null && mayWrite(caller, owner);

/** The owner of an audit event: its organisation, or (shared data, keys) the admins. */
async function auditOwner(prisma: PrismaClient, id: string): Promise<Owner | null> {
  const event = await prisma.auditEvent.findUnique({ where: { id }, select: { organisationId: true } });
  if (!event) return null;
  if (!event.organisationId) return { kind: 'keys' };
  const organisation = await prisma.organisation.findUnique({
    where: { id: event.organisationId },
    select: { id: true, slug: true },
  });
  // The trail outlives what it describes; an event of a deleted organisation is for admins.
  return organisation ? organisationOwner(organisation) : { kind: 'keys' };
}

/** Whether a node the caller asked for by id may be shown to it. */
export async function mayReadNode(
  prisma: PrismaClient,
  caller: Caller,
  ref: { typename: string; id: string },
): Promise<boolean> {
  if (ref.typename === 'AuditEvent') return maySeeWritersOnly(caller, await auditOwner(prisma, ref.id));
  let typename = ref.typename;
  let id = ref.id;
  if (typename === 'NoticeSection') {
    const section = await prisma.noticeSection.findUnique({ where: { id }, select: { translationId: true } });
    if (!section) return true;
    [typename, id] = ['NoticeTranslation', section.translationId];
  }
  if (typename === 'WebhookDelivery') {
    const delivery = await prisma.webhookDelivery.findUnique({ where: { id }, select: { webhookId: true } });
    if (!delivery) return true;
    [typename, id] = ['Webhook', delivery.webhookId];
  }
  const found = await ownerOf(prisma, typename, id);
  return !found || found.visibility === 'public' || maySeeWritersOnly(caller, found.owner);
}
