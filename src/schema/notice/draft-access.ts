// Draft content stays with those who may write it. Lists never show drafts;
// NoticeVersion guards itself; this closes the last door, node(id) on a
// draft's translation or section.
import { canWrite } from '../../auth/keys.js';
import type { Context } from '../context.js';

export async function visibleNode<T>(ctx: Context, ref: { typename: string; id: string }, node: T): Promise<T | null> {
  if (node == null) return node;
  let version: { status: string; notice: { organisation: { slug: string } } } | null;
  const include = { notice: { select: { organisation: { select: { slug: true } } } } } as const;
  if (ref.typename === 'NoticeTranslation') {
    version =
      (await ctx.prisma.noticeTranslation.findUnique({ where: { id: ref.id }, select: { version: { include } } }))
        ?.version ?? null;
  } else if (ref.typename === 'NoticeSection') {
    version =
      (
        await ctx.prisma.noticeSection.findUnique({
          where: { id: ref.id },
          select: { translation: { select: { version: { include } } } },
        })
      )?.translation.version ?? null;
  } else {
    return node;
  }
  if (!version || version.status !== 'DRAFT') return node;
  return canWrite(ctx.caller.actor?.scopes ?? [], version.notice.organisation.slug) ? node : null;
}
