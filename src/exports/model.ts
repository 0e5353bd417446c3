// Everything an export needs about one organisation, loaded in one query, and
// localised text read in one locale.
import type { PrismaClient } from '../db/client.js';
import { contactActiveOn } from '../domain/contact.js';
import { takenEffectWhere } from '../domain/notice.js';
import { inUseOn } from '../domain/processor.js';
import { pickLocalized } from '../locale.js';
import { factsHoldingOn, type PrivacyFacts } from '../domain/privacy-facts.js';
import { dayOf, organisationTimeline, rowActiveOn } from '../domain/validity.js';

export async function loadExportModel(prisma: PrismaClient, slug: string, now = new Date()) {
  const org = await prisma.organisation.findUnique({
    where: { slug },
    include: {
      privacyProfile: true,
      controllerEntities: { orderBy: { key: 'asc' } },
      contacts: { orderBy: { key: 'asc' } },
      processors: { include: { dataLocations: true }, orderBy: { key: 'asc' } },
      otherControllers: { orderBy: { key: 'asc' } },
      retentionRules: { orderBy: { position: 'asc' } },
      supervisoryAuthorities: { orderBy: { slug: 'asc' } },
      notices: {
        where: { kind: 'PRIVACY' },
        include: {
          versions: {
            where: takenEffectWhere(now),
            orderBy: { effectiveDate: 'desc' },
            take: 1,
          },
        },
      },
    },
  });
  if (!org) return null;
  // An export describes what holds today: facts scoped to older notice versions are left out.
  const timeline = await organisationTimeline(prisma, org.id);
  const facts = (org.privacyProfile?.facts as unknown as PrivacyFacts | undefined) ?? null;
  return {
    ...org,
    controllerEntities: org.controllerEntities.filter((e) => rowActiveOn(e, now)),
    contacts: org.contacts.filter((c) => contactActiveOn(c, now)),
    processors: org.processors.filter((p) => inUseOn(p, now)),
    otherControllers: org.otherControllers.filter((c) => rowActiveOn(c, now)),
    retentionRules: org.retentionRules.filter((r) => rowActiveOn(r, now)),
    facts: facts ? factsHoldingOn(facts, timeline, dayOf(now)) : null,
    noticeInForce: org.notices.flatMap((n) => n.versions)[0] ?? null,
  };
}

export type ExportModel = NonNullable<Awaited<ReturnType<typeof loadExportModel>>>;

/** A reader of localised text in one locale, falling back as the API does. */
export function reader(model: ExportModel, locale = model.defaultLocale) {
  return (value: unknown): string => pickLocalized(value, [locale], model.defaultLocale)?.text ?? '';
}

export function postalAddress(a: { street: string | null; postalCode: string | null; locality: string | null }) {
  return [a.street, [a.postalCode, a.locality].filter(Boolean).join(' ')].filter(Boolean).join(', ');
}
