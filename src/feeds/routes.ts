// The feed routes, served by the HTTP layer (src/http/server.ts) under the
// same policy as every route (rate limits, the request log, metrics, no
// public caching of errors), with conditional GET: each answer carries an
// ETag (a hash of its bytes) and Last-Modified (its newest change); a request
// with If-None-Match (or, without it, If-Modified-Since) that still holds is
// answered 304 with no body.
//   GET /organisations/<slug>/processors.atom
//   GET /organisations/<slug>/processors.json
//   GET /organisations/<slug>/sub-processors.json
import { createHash } from 'node:crypto';
import type { PrismaClient } from '../db/client.js';
import { originOf, refusedDocumentRequest, type DocumentRequest } from '../exports/routes.js';
import type { Reply } from '../http/reply.js';
import { atomFeed, currentList, feedLinks, jsonFeed, loadFeedModel } from './processors.js';

export const FEED_ROUTE =
  /^\/organisations\/([a-z0-9-]{1,80})\/(processors\.atom|processors\.json|sub-processors\.json)$/;

const etagOf = (body: string) => `"${createHash('sha256').update(body).digest('base64url').slice(0, 32)}"`;

/** Whether the client's copy is still current (RFC 9110 §13.1: If-None-Match wins over If-Modified-Since). */
export function notModified(
  headers: Record<string, string | string[] | undefined>,
  etag: string,
  lastModified: Date | null,
): boolean {
  const match = headers['if-none-match'];
  if (typeof match === 'string') {
    return match.trim() === '*' || match.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
  }
  const since = headers['if-modified-since'];
  if (typeof since === 'string' && lastModified) {
    const at = Date.parse(since);
    return Number.isFinite(at) && Math.floor(lastModified.getTime() / 1000) <= Math.floor(at / 1000);
  }
  return false;
}

export async function feedReply(prisma: PrismaClient, request: DocumentRequest): Promise<Reply> {
  const [, slug, file] = FEED_ROUTE.exec(request.url.pathname)!;
  const refused = refusedDocumentRequest(request, 'feeds');
  if (refused) return refused;
  const links = feedLinks(originOf(request.headers, request.trustProxy), slug!);
  let body: string;
  let type: string;
  let updated: Date | null;
  if (file === 'sub-processors.json') {
    const list = await currentList(prisma, slug!, links);
    if (!list) return { status: 404, json: { error: `no organisation has the slug "${slug}"` } };
    ({ body, updated } = list);
    type = 'application/json; charset=utf-8';
  } else {
    const model = await loadFeedModel(prisma, slug!);
    if (!model) return { status: 404, json: { error: `no organisation has the slug "${slug}"` } };
    updated = model.updated;
    [body, type] =
      file === 'processors.atom'
        ? [atomFeed(model, links), 'application/atom+xml; charset=utf-8']
        : [jsonFeed(model, links), 'application/feed+json; charset=utf-8'];
  }
  const etag = etagOf(body);
  const headers: Record<string, string> = { etag, vary: 'Accept-Encoding' };
  if (updated) headers['last-modified'] = updated.toUTCString();
  const publicAnswer = !request.requireAuthForReads;
  if (notModified(request.headers, etag, updated)) return { status: 304, body: '', type, headers, publicAnswer };
  return { status: 200, body, type, headers, publicAnswer };
}
