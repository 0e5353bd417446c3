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
 * What makes a public GraphQL answer differ, or null when the request is not a
 * public read the cache may answer (a key, a stream, a body it cannot read).
 */
function cacheableOperation(req: IncomingMessage, url: URL, body: Buffer | null): unknown {
  if (req.headers.authorization) return null;
  if (req.method === 'GET') {
    const p = url.searchParams;
    return ['GET', p.get('query'), p.get('operationName'), p.get('variables'), p.get('extensions')];
  }
  if (req.method !== 'POST' || !body || !/^application\/json\b/.test(req.headers['content-type'] ?? '')) return null;
  try {
    const params = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
    if (!params || typeof params !== 'object' || Array.isArray(params)) return null;
    return [
      'POST',
      params.query ?? null,
      params.operationName ?? null,
      params.variables ?? null,
      params.extensions ?? null,
    ];
  } catch {
    return null;
  }
}

export function createHttpServer(app: App): HttpServer {
  const { settings, logger, metrics, answers, rateLimiter, db } = app;
  const streams = new Set<IncomingMessage>();

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const started = performance.now();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const route = routeOf(url.pathname);
    const given = req.headers['x-request-id'];
    const requestId = typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : randomUUID();
    res.setHeader('x-request-id', requestId);
    res.once('close', () => {
      const seconds = (performance.now() - started) / 1000;
      metrics?.request(route, req.method ?? '', res.statusCode, seconds);
      logger.info({
        requestId,
        method: req.method,
        path: url.pathname,
        route,
        status: res.statusCode,
        ms: Math.round(seconds * 1000),
      });
    });
    const reply = (r: Reply) => send(res, r, settings.responseCache.ttlSeconds, req.method === 'HEAD');

    // A load balancer's checks are not a client's requests: not rate limited.
    if (route === '/health' || route === '/ready') return reply(await healthReply(db, url.pathname, app.services));

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
      const answer = FEED_ROUTE.test(url.pathname) ? feedReply : exportReply;
      return reply(
        await answer(db.prisma, {
          method: req.method ?? 'GET',
          url,
          headers: req.headers,
          caller,
          requireAuthForReads: app.requireAuthForReads,
          trustProxy: settings.rateLimit.trustProxy,
        }),
      );
    }

    let body: Buffer | null = null;
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
    const operation = route === '/graphql' && answers.enabled && !stream ? cacheableOperation(req, url, body) : null;
    const locales = fallbackChain(parseAcceptLanguage(req.headers['accept-language']), '');
    const key = operation ? answerKey({ operation, locales, mediaType: accept, callerClass: 'public' }) : null;
    const { hit, generation } = key ? await answers.lookup(key) : { hit: null, generation: null };
    const publicGet = req.method === 'GET';
    const cacheHeaders = (etag: string, at: number) => ({
      etag,
      'last-modified': new Date(at).toUTCString(),
      'cache-control': publicGet ? `public, max-age=${settings.responseCache.ttlSeconds}` : 'no-store',
      vary: 'Accept, Accept-Language',
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
        res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' });
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
  return Object.assign(server, {
    closeEventStreams: () => {
      for (const req of streams) req.socket.destroy();
    },
  });
}

// Yoga routes by path; the host part of the URL it is given does not matter.
const HOST = 'localhost';
