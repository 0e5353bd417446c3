// The sub-processor feeds: what GDPR Art. 28(2) says a controller must be told
// of — every new or replaced (sub-)processor — as feeds any reader can follow:
//   processors.atom       Atom (RFC 4287), made by the `feed` package
//   processors.json       JSON Feed 1.1, written here (the `feed` package writes version 1)
//   sub-processors.json   the current list, with the date it last changed
// Entries come from the change log (public entries only): each creation,
// change, retirement or removal of a processor that processes for the
// organisation (role PROCESSOR or SUB_PROCESSOR; independent controllers are
// not sub-processors), newest first.
import { Feed } from 'feed';
import { encodeCursor, type ChangeLogRow } from '../changes/log.js';
import type { PrismaClient } from '../db/client.js';
import { processor } from '../domain/processor.js';

/** Entries in each feed. */
export const FEED_SIZE = 50;
const PROCESSING_ROLES = ['PROCESSOR', 'SUB_PROCESSOR'];

type Snapshot = Record<string, unknown> | null;

const isProcessing = (s: Snapshot) => PROCESSING_ROLES.includes(String(s?.role ?? ''));

export interface FeedModel {
  organisation: { slug: string; name: string; website: string | null; defaultLocale: string };
  entries: ChangeLogRow[];
  /** The newest entry's time (or the organisation's last change when there is none). */
  updated: Date;
}

export async function loadFeedModel(prisma: PrismaClient, slug: string): Promise<FeedModel | null> {
  const organisation = await prisma.organisation.findUnique({
    where: { slug },
    select: { slug: true, name: true, website: true, defaultLocale: true, updatedAt: true },
  });
  if (!organisation) return null;
  // A page of the newest processor entries; the ones about independent controllers are left out here.
  const recent = await prisma.changeLogEntry.findMany({
    where: { organisationSlug: slug, entityType: 'Processor', audience: 'public' },
    orderBy: { position: 'desc' },
    take: FEED_SIZE * 4,
  });
  const entries = recent
    .filter((e) => isProcessing(e.before as Snapshot) || isProcessing(e.after as Snapshot))
    .slice(0, FEED_SIZE);
  return { organisation, entries, updated: entries[0]?.at ?? organisation.updatedAt };
}

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function roleLabel(s: Snapshot): string {
  return s?.role === 'PROCESSOR' ? 'processor' : 'sub-processor';
}

function display(value: unknown): string {
  if (value === undefined || value === null) return '—';
  if (Array.isArray(value)) {
    return value.map((v) => (v && typeof v === 'object' ? Object.values(v).join(' ') : String(v))).join(', ') || '—';
  }
  if (typeof value === 'object') {
    return Object.entries(value)
      .map(([k, v]) => `${k}: ${String(v)}`)
      .join('; ');
  }
  return String(value);
}

/** What an entry says, in a title, a sentence and a small HTML list of the fields that changed. */
export function describeEntry(entry: ChangeLogRow) {
  const before = entry.before as Snapshot;
  const after = entry.after as Snapshot;
  const shown = after ?? before;
  const name = String(shown?.name ?? entry.key);
  const role = roleLabel(shown);
  const Role = role.charAt(0).toUpperCase() + role.slice(1);
  const title =
    entry.action === 'CREATE'
      ? `New ${role}: ${name}`
      : entry.action === 'RETIRE'
        ? `${Role} retired: ${name}`
        : entry.action === 'DELETE'
          ? `${Role} removed: ${name}`
          : `${Role} changed: ${name} (${entry.changedFields.join(', ')})`;
  const fields = entry.action === 'CREATE' ? Object.keys(after ?? {}) : entry.changedFields;
  const rows = fields.map((field) =>
    entry.action === 'CREATE'
      ? `<li><b>${escapeHtml(field)}</b>: ${escapeHtml(display(after?.[field]))}</li>`
      : `<li><b>${escapeHtml(field)}</b>: ${escapeHtml(display(before?.[field]))} → ${escapeHtml(display(after?.[field]))}</li>`,
  );
  const summary = `${title}, ${entry.at.toISOString().slice(0, 10)}.`;
  return { title, summary, html: `<p>${escapeHtml(summary)}</p><ul>${rows.join('')}</ul>` };
}

export interface FeedLinks {
  atom: string;
  json: string;
  list: string;
}

export function feedLinks(origin: string, slug: string): FeedLinks {
  const base = `${origin}/organisations/${slug}`;
  return { atom: `${base}/processors.atom`, json: `${base}/processors.json`, list: `${base}/sub-processors.json` };
}

const entryId = (slug: string, entry: ChangeLogRow) =>
  `urn:privacy-facts:${slug}:change:${encodeCursor(entry.position)}`;

export function atomFeed(model: FeedModel, links: FeedLinks): string {
  const { organisation: org } = model;
  const feed = new Feed({
    id: links.atom,
    title: `${org.name}: sub-processor changes`,
    description: `Every new, changed, retired or removed (sub-)processor of ${org.name}.`,
    link: links.list,
    language: org.defaultLocale,
    updated: model.updated,
    generator: 'privacy-facts',
    feedLinks: { atom: links.atom, json: links.json },
    author: { name: org.name, ...(org.website ? { link: org.website } : {}) },
  });
  for (const entry of model.entries) {
    const { title, summary, html } = describeEntry(entry);
    feed.addItem({
      id: entryId(org.slug, entry),
      title,
      link: links.list,
      date: entry.at,
      published: entry.at,
      description: summary,
      content: html,
      category: [{ name: entry.action.toLowerCase(), term: entry.action.toLowerCase() }],
    });
  }
  return feed.atom1();
}

export function jsonFeed(model: FeedModel, links: FeedLinks): string {
  const { organisation: org } = model;
  return `${JSON.stringify(
    {
      version: 'https://jsonfeed.org/version/1.1',
      title: `${org.name}: sub-processor changes`,
      home_page_url: links.list,
      feed_url: links.json,
      description: `Every new, changed, retired or removed (sub-)processor of ${org.name}.`,
      language: org.defaultLocale,
      authors: [{ name: org.name, ...(org.website ? { url: org.website } : {}) }],
      items: model.entries.map((entry) => {
        const { title, summary, html } = describeEntry(entry);
        return {
          id: entryId(org.slug, entry),
          url: links.list,
          title,
          summary,
          content_html: html,
          date_published: entry.at.toISOString(),
          tags: [entry.action.toLowerCase()],
          // The change itself, as in changes(since:) and webhook deliveries.
          _privacy_facts: {
            cursor: encodeCursor(entry.position),
            action: entry.action,
            recordId: entry.entityId,
            changedFields: entry.changedFields,
            before: entry.before,
            after: entry.after,
          },
        };
      }),
    },
    null,
    2,
  )}\n`;
}

/** The processors in use or planned now, with the time the list last changed. */
export async function currentList(prisma: PrismaClient, slug: string, links: FeedLinks) {
  const organisation = await prisma.organisation.findUnique({
    where: { slug },
    select: { id: true, slug: true, name: true },
  });
  if (!organisation) return null;
  const [rows, last] = await Promise.all([
    prisma.processor.findMany({
      where: {
        organisationId: organisation.id,
        status: { not: 'RETIRED' },
        role: { in: ['PROCESSOR', 'SUB_PROCESSOR'] },
      },
      include: {
        organisation: { select: { id: true, slug: true } },
        dataLocations: { orderBy: [{ country: 'asc' }, { locality: 'asc' }] },
      },
      orderBy: [{ name: 'asc' }, { key: 'asc' }],
    }),
    prisma.changeLogEntry.findFirst({
      where: { organisationSlug: slug, entityType: 'Processor', audience: 'public' },
      orderBy: { position: 'desc' },
    }),
  ]);
  const body = {
    organisation: { slug: organisation.slug, name: organisation.name },
    updatedAt: last?.at.toISOString() ?? null,
    cursor: last ? encodeCursor(last.position) : null,
    feeds: { atom: links.atom, json: links.json },
    processors: rows.map((row) => processor.toItem(row)),
  };
  return { body: `${JSON.stringify(body, null, 2)}\n`, updated: last?.at ?? null };
}
