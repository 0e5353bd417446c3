// Machine-readable exports over plain HTTP:
//   GET /organisations/<slug>/tilt.json[?locale=nl]   TILT
//   GET /organisations/<slug>/dpv.jsonld              W3C DPV as JSON-LD
// Served by the HTTP layer (src/http/server.ts) under the same policy as
// GraphQL: rate limits, the request log, metrics, authorisation, caching.
import { describeProblem, type Caller } from '../auth/actor.js';
import type { PrismaClient } from '../db/client.js';
import type { Reply } from '../http/reply.js';
import { canonicalLocale } from '../validation/fields.js';
import { dpvDocument } from './dpv.js';
import { loadExportModel } from './model.js';
import { tiltDocument } from './tilt.js';

export const EXPORT_ROUTE = /^\/organisations\/([a-z0-9-]{1,80})\/(tilt\.json|dpv\.jsonld)$/;

const HOST = /^[a-z0-9.-]{1,253}(:\d{1,5})?$/i;

/** The origin of the request as a client sees it: forwarded headers count only behind a trusted proxy. */
export function originOf(headers: Record<string, string | string[] | undefined>, trustProxy: boolean): string {
  const forwarded = trustProxy
    ? String(headers['x-forwarded-proto'] ?? '')
        .split(',')[0]!
        .trim()
    : '';
  const proto = forwarded === 'https' || forwarded === 'http' ? forwarded : 'http';
  const host = String(headers.host ?? '');
  return `${proto}://${HOST.test(host) ? host : 'localhost'}`;
}

/** A GET of an organisation's document (an export, a feed), as the HTTP layer hands it over. */
export interface DocumentRequest {
  method: string;
  url: URL;
  headers: Record<string, string | string[] | undefined>;
  caller: Caller;
  requireAuthForReads: boolean;
  trustProxy: boolean;
}

/** The answer refusing a document request before anything is read, or null: only GET and HEAD, and these are reads. */
export function refusedDocumentRequest(request: DocumentRequest, what: string): Reply | null {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return { status: 405, headers: { allow: 'GET, HEAD' }, json: { error: `${what} are read with GET` } };
  }
  // Closed to anonymous callers when reads are.
  if (request.requireAuthForReads && !request.caller.actor) {
    return {
      status: 401,
      headers: { 'www-authenticate': 'Bearer' },
      json: { error: `Forbidden: ${describeProblem(request.caller)}.` },
    };
  }
  return null;
}

export async function exportReply(prisma: PrismaClient, request: DocumentRequest): Promise<Reply> {
  const match = EXPORT_ROUTE.exec(request.url.pathname)!;
  const refused = refusedDocumentRequest(request, 'exports');
  if (refused) return refused;
  const [, slug, file] = match;
  const model = await loadExportModel(prisma, slug!);
  if (!model) return { status: 404, json: { error: `no organisation has the slug "${slug}"` } };
  const publicAnswer = !request.requireAuthForReads;
  if (file === 'tilt.json') {
    const wanted = request.url.searchParams.get('locale');
    const locale = wanted ? canonicalLocale(wanted) : model.defaultLocale;
    if (!locale) return { status: 400, json: { error: `"locale" is not a BCP 47 language tag` } };
    return { status: 200, json: tiltDocument(model, locale), type: 'application/json; charset=utf-8', publicAnswer };
  }
  return {
    status: 200,
    json: dpvDocument(model, originOf(request.headers, request.trustProxy)),
    type: 'application/ld+json; charset=utf-8',
    publicAnswer,
  };
}
