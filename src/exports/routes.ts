// Machine-readable exports over plain HTTP:
//   GET /organisations/<slug>/tilt.json[?locale=nl]   TILT
//   GET /organisations/<slug>/dpv.jsonld              W3C DPV as JSON-LD
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describeProblem, identifyCaller } from '../auth/actor.js';
import type { PrismaClient } from '../db/client.js';
import { canonicalLocale } from '../validation/fields.js';
import { dpvDocument } from './dpv.js';
import { loadExportModel } from './model.js';
import { tiltDocument } from './tilt.js';

const ROUTE = /^\/organisations\/([a-z0-9-]{1,80})\/(tilt\.json|dpv\.jsonld)$/;

/** Answers an export request; returns false when the path is not an export. */
export async function handleExport(
  prisma: PrismaClient,
  req: IncomingMessage,
  res: ServerResponse,
  options: { requireAuthForReads: boolean },
): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const match = ROUTE.exec(url.pathname);
  if (!match) return false;
  const send = (status: number, type: string, body: unknown, headers: Record<string, string> = {}) => {
    const caching = options.requireAuthForReads ? 'private, no-store' : 'public, max-age=60';
    res.writeHead(status, { 'content-type': type, 'cache-control': caching, ...headers });
    res.end(JSON.stringify(body, null, 2));
  };
  // Exports are reads: closed to anonymous callers when reads are.
  if (options.requireAuthForReads) {
    const caller = await identifyCaller(prisma, req.headers.authorization ?? null);
    if (!caller.actor) {
      send(
        401,
        'application/json',
        { error: `Forbidden: ${describeProblem(caller)}.` },
        { 'www-authenticate': 'Bearer' },
      );
      return true;
    }
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return true;
  }
  const [, slug, file] = match;
  const model = await loadExportModel(prisma, slug!);
  if (!model) {
    send(404, 'application/json', { error: `no organisation has the slug "${slug}"` });
    return true;
  }
  if (file === 'tilt.json') {
    const wanted = url.searchParams.get('locale');
    const locale = wanted ? canonicalLocale(wanted) : model.defaultLocale;
    if (!locale) {
      send(400, 'application/json', { error: `"${wanted}" is not a BCP 47 language tag` });
      return true;
    }
    send(200, 'application/json; charset=utf-8', tiltDocument(model, locale));
  } else {
    const origin = `${req.headers['x-forwarded-proto'] ?? 'http'}://${req.headers.host ?? 'localhost'}`;
    send(200, 'application/ld+json; charset=utf-8', dpvDocument(model, origin));
  }
  return true;
}
