// Per-request batching for reads that Pothos' Prisma plugin cannot plan in one
// query: the sections of the translations chosen for a request are read in one
// statement, however many notices the request renders.
import DataLoader from 'dataloader';
import type { NoticeSection } from '../db/generated/client.js';
import type { Context } from './context.js';

const sectionLoaders = new WeakMap<Context, DataLoader<string, NoticeSection[]>>();

/** The sections of a translation, in reading order. */
export function sectionsOf(ctx: Context, translationId: string): Promise<NoticeSection[]> {
  let loader = sectionLoaders.get(ctx);
  if (!loader) {
    loader = new DataLoader(async (ids: readonly string[]) => {
      const rows = await ctx.prisma.noticeSection.findMany({
        where: { translationId: { in: [...ids] } },
        orderBy: [{ translationId: 'asc' }, { position: 'asc' }],
      });
      return ids.map((id) => rows.filter((r) => r.translationId === id));
    });
    sectionLoaders.set(ctx, loader);
  }
  return loader.load(translationId);
}
