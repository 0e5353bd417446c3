// What a plain-HTTP route answers, for the HTTP layer to send under its one
// policy (src/http/server.ts): error answers are never publicly cacheable.
import type { ServerResponse } from 'node:http';

export interface Reply {
  status: number;
  /** A JSON body (pretty-printed for reading). */
  json?: unknown;
  /** Or a body as it is. */
  body?: string;
  type?: string;
  headers?: Record<string, string>;
  /** A successful answer anyone may cache (a CDN) for the cache's TTL. */
  publicAnswer?: boolean;
}

export function send(res: ServerResponse, reply: Reply, maxAgeSeconds: number, head = false) {
  const body = reply.body ?? `${JSON.stringify(reply.json ?? null, null, 2)}\n`;
  // A success anyone may keep; a success for this caller only; an error nobody keeps.
  const cacheControl =
    reply.status >= 400 ? 'no-store' : reply.publicAnswer ? `public, max-age=${maxAgeSeconds}` : 'private, no-store';
  res.writeHead(reply.status, {
    'content-type': reply.type ?? 'application/json; charset=utf-8',
    'cache-control': cacheControl,
    ...reply.headers,
  });
  res.end(head ? undefined : body);
}
