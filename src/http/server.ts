// The HTTP layer: one policy for every route. Each request gets a request id,
// is logged once with its route and status, counted in the metrics, and —
// except the health checks a load balancer polls — passes the rate limit for
// its caller before anything else. Request bodies are read here, bounded
// whatever the transfer encoding. Error answers are never publicly cacheable.
// Then the route: the health checks, the machine-readable exports and feeds, or GraphQL,
// where a public read whose answer is cached is served from here without
// entering the GraphQL pipeline (src/http/answers.ts).
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { sendNodeResponse } from '@whatwg-node/server';
import { identifyCaller, type Caller } from '../auth/actor.js';
import type { App } from '../app.js';
import { isDatabaseUnavailable } from '../db/availability.js';
import { EXPORT_ROUTE, exportReply } from '../exports/routes.js';
import { FEED_ROUTE, feedReply } from '../feeds/routes.js';
import { fallbackChain, parseAcceptLanguage } from '../locale.js';
import { answerKey } from './answers.js';
import { healthReply } from './health.js';
import { clientAddress } from './rate-limit.js';
import { send, type Reply } from './reply.js';

export type HttpServer = Server & {
  /**
   * Closes every open event stream (subscriptions). They never finish by
   * themselves, so a stopping server would otherwise wait for its deadline;
   * clients reconnect, through a load balancer to another instance.
   */
  closeEventStreams(): void;
};

const ANONYMOUS: Caller = { actor: null, problem: null };
const SANE_REQUEST_ID = /^[\w.:-]{1,100}$/;
const CACHEABLE_MEDIA = /^application\/(graphql-response\+)?json\b/;
const JSON_BODY = /^application\/(graphql-response\+)?json\b/i;

/** The route a path belongs to, as a bounded label for logs and metrics. */
function routeOf(path: string): string {
  if (path === '/graphql' || path === '/health' || path === '/ready' || path === '/metrics') return path;
  const exported = EXPORT_ROUTE.exec(path) ?? FEED_ROUTE.exec(path);
  if (exported) return `/organisations/:slug/${exported[2]}`;
  return 'other';
}

class BodyTooLarge extends Error {}

/** The request body, refused once it passes `max` bytes (declared or streamed). */
function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  if (Number(req.headers['content-length'] ?? 0) > max) return Promise.reject(new BodyTooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        req.removeAllListeners('data');
        reject(new BodyTooLarge());
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

const errorReply = (status: number, code: string, message: string, headers: Record<string, string> = {}): Reply => ({
  status,
  json: { errors: [{ message, extensions: { code } }] },
  headers,
});

/**
 * The operation a public GraphQL request asks for, as the bytes that carry it
 * (a GET's query string, a POST's JSON body), or null when the request is not
 * a public read the cache may answer (a key, another method or body). Not
 * parsed: two spellings of one operation are two entries, which costs a miss,
 * never a wrong answer; what is not a query is simply never stored.
 */
function cacheableOperation(req: IncomingMessage, search: string, body: Buffer | null): string | null {
  if (req.headers.authorization) return null;
  if (req.method === 'GET') return `GET ${search}`;
  if (req.method !== 'POST' || !body) return null;
  return `POST ${body.toString('utf8')}`;
}

/** The negotiated locale chain of an Accept-Language header, remembered: browsers send few distinct ones. */
const chains = new Map<string, string[]>();
function localeChainOf(header: string | undefined): string[] {
  const key = header ?? '';
  let chain = chains.get(key);
  if (!chain) {
    chain = fallbackChain(parseAcceptLanguage(header), '');
    if (chains.size >= 1_000) chains.delete(chains.keys().next().value!);
    chains.set(key, chain);
  }
  return chain;
}

export function createHttpServer(app: App): HttpServer {
  const { settings, log: logger, metrics, answers, rateLimiter, db } = app;
  const streams = new Set<IncomingMessage>();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const target = req.url ?? '/';
    const queryAt = target.indexOf('?');
    const pathname = queryAt < 0 ? target : target.slice(0, queryAt);
    const search = queryAt < 0 ? '' : target.slice(queryAt);
    const route = routeOf(pathname);
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', requestId);
    res.once('close', () => {
      const seconds = (performance.now() - started) / 1000;
      metrics?.request(route, req.method ?? '', res.statusCode, seconds);
      if (logger.isLevelEnabled('info')) {
        logger.info({
          requestId,
          method: req.method,
          path: pathname,
          route,
          status: res.statusCode,
          ms: Math.round(seconds * 1000),
        });
      }
    });
    const reply = (r: Reply) => send(res, r, settings.responseCache.ttlSeconds, req.method === 'HEAD');

    // A load balancer's checks are not a client's requests: not rate limited.
    if (route === '/health' || route === '/ready') return reply(await healthReply(db, pathname, app.services));

    const authorization = req.headers.authorization ?? null;
    // An unreachable database is answered later, as a 503; here the caller counts as anonymous.
    const caller = authorization
      ? await identifyCaller(db.prisma, authorization, app.now()).catch(() => ANONYMOUS)
      : ANONYMOUS;
    const wait = await rateLimiter.consume({
      keyId: caller.actor?.keyId ?? null,
      address: clientAddress(
        req.socket.remoteAddress,
        String(req.headers['x-forwarded-for'] ?? ''),
        settings.rateLimit.trustProxy,
      ),
    });
    if (wait !== null) {
      return reply(
        errorReply(429, 'RATE_LIMITED', `Too many requests; try again in ${wait} s.`, { 'retry-after': String(wait) }),
      );
    }

    if (route === '/metrics' && metrics) {
      return reply({ status: 200, body: await metrics.registry.metrics(), type: metrics.registry.contentType });
    }
    if (route.startsWith('/organisations/')) {
      const answer = FEED_ROUTE.test(pathname) ? feedReply : exportReply;
      return reply(
        await answer(db.prisma, {
          method: req.method ?? 'GET',
          url: new URL(target, 'http://localhost'),
          headers: req.headers,
          caller,
          requireAuthForReads: app.requireAuthForReads,
          trustProxy: settings.rateLimit.trustProxy,
        }),
      );
    }

    if (route === 'other' || route === '/metrics') {
      return reply(errorReply(404, 'NOT_FOUND', `There is nothing at ${pathname.slice(0, 200)}.`));
    }
    let body: Buffer | null = null;
    if (req.method === 'POST' && !JSON_BODY.test(req.headers['content-type'] ?? '')) {
      // Only JSON: a form post (which a browser sends across origins without asking) runs nothing.
      return reply(errorReply(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send GraphQL requests as application/json.'));
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      try {
        body = await readBody(req, settings.limits.maxBodyBytes);
      } catch (error) {
        if (!(error instanceof BodyTooLarge)) throw error;
        res.setHeader('connection', 'close');
        reply(
          errorReply(413, 'BODY_TOO_LARGE', `The request body is larger than ${settings.limits.maxBodyBytes} bytes.`),
        );
        req.destroy();
        return;
      }
    }

    const accept = req.headers.accept ?? '';
    const stream = accept.includes('text/event-stream');
    const operation = route === '/graphql' && answers.enabled && !stream ? cacheableOperation(req, search, body) : null;
    const key = operation
      ? answerKey({
          operation,
          locales: localeChainOf(req.headers['accept-language']),
          mediaType: accept,
          callerClass: 'public',
        })
      : null;
    const { hit, generation } = key ? await answers.lookup(key) : { hit: null, generation: null };
    const publicGet = req.method === 'GET';
    // A public answer is the same for every origin: pages anywhere may read it (no credentials involved).
    const cors = req.headers.origin ? { 'access-control-allow-origin': '*' } : {};
    const cacheHeaders = (etag: string, at: number) => ({
      etag,
      'last-modified': new Date(at).toUTCString(),
      'cache-control': publicGet ? `public, max-age=${settings.responseCache.ttlSeconds}` : 'no-store',
      vary: 'Accept, Accept-Language',
      ...cors,
    });
    if (hit) {
      const fresh = req.headers['if-none-match'] === hit.etag;
      metrics?.cache(fresh ? 'revalidated' : 'hit');
      res.writeHead(fresh ? 304 : 200, { 'content-type': hit.contentType, ...cacheHeaders(hit.etag, hit.at) });
      res.end(fresh ? undefined : hit.body);
      return;
    }

    if (stream) {
      streams.add(req);
      res.once('close', () => streams.delete(req));
    }
    const aborted = new AbortController();
    res.once('close', () => aborted.abort());
    const headers = new Headers();
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(', ') : value);
    }
    headers.set('x-request-id', requestId);
    const request = new app.fetchAPI.Request(`http://${HOST}${req.url ?? '/'}`, {
      method: req.method,
      headers,
      body: body && body.length > 0 ? new Uint8Array(body) : undefined,
      signal: aborted.signal,
    });
    const response = await app.handleRequest(request, { caller, requestId });
    const kind = app.operationOf(request);
    if (response.status >= 400) response.headers.set('cache-control', 'no-store');
    const contentType = response.headers.get('content-type') ?? '';
    if (key && generation && kind?.type === 'query' && response.status === 200 && CACHEABLE_MEDIA.test(contentType)) {
      const text = await response.text();
      if (kind.ok) {
        const stored = await answers.store(key, generation, { contentType, body: text });
        metrics?.cache('miss');
        // The same bytes as the client holds (a write that changed nothing it asked for): 304.
        const same = req.headers['if-none-match'] === stored.etag;
        res.writeHead(same ? 304 : 200, { 'content-type': contentType, ...cacheHeaders(stored.etag, stored.at) });
        res.end(same ? undefined : text);
        return;
      } else {
        metrics?.cache('bypass');
        res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store', ...cors });
      }
      res.end(text);
      return;
    }
    if (!response.headers.has('cache-control')) response.headers.set('cache-control', 'no-store');
    await sendNodeResponse(response, res, req, false);
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const unavailable = isDatabaseUnavailable(error);
      if (!unavailable) logger.error({ err: error }, 'a request failed');
      if (res.headersSent) {
        res.destroy();
        return;
      }
      send(
        res,
        unavailable
          ? errorReply(503, 'DATABASE_UNAVAILABLE', 'The database is unavailable; try again shortly.', {
              'retry-after': '5',
            })
          : errorReply(500, 'INTERNAL_SERVER_ERROR', 'Unexpected error.'),
        0,
      );
    });
  });
  // A request Node cannot even parse (a garbage request line, conflicting lengths, headers too large)
  // still gets an answer that says so, as JSON.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable) return socket.destroy();
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const body = JSON.stringify({
      errors: [
        {
          message: tooLarge ? 'The request line and headers are too large.' : 'The request is not well-formed HTTP.',
          extensions: { code: tooLarge ? 'HEADERS_TOO_LARGE' : 'BAD_REQUEST' },
        },
      ],
    });
    socket.end(
      `HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\ncontent-type: application/json\r\ncache-control: no-store\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
    );
  });
  return Object.assign(server, {
    closeEventStreams: () => {
      for (const req of streams) req.socket.destroy();
    },
  });
}

// Yoga routes by path; the host part of the URL it is given does not matter.
const HOST = 'localhost';
