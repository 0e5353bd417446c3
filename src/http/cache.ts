// The response cache for public reads: anonymous queries are answered from
// memory until a write commits, which empties it, so a change is visible on the
// next read. Responses carry ETag/Last-Modified (a revalidation answers 304),
// and public GET queries say how long a CDN may keep them.
import { createInMemoryCache, useResponseCache } from '@graphql-yoga/plugin-response-cache';
import { isObjectType, type GraphQLSchema } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export interface ResponseCache {
  plugins: Plugin[];
  /** Forgets every cached response; called after each committed write. */
  invalidateAll(): void;
}

export function responseCache(schema: GraphQLSchema, options: { ttlSeconds: number; enabled: boolean }): ResponseCache {
  const cache = createInMemoryCache();
  const typenames = Object.values(schema.getTypeMap())
    .filter((t) => isObjectType(t) && !t.name.startsWith('__'))
    .map((t) => ({ typename: t.name }));
  const isPublic = (request: Request) => !request.headers.get('authorization');
  return {
    invalidateAll: () => void cache.invalidate(typenames),
    plugins: options.enabled
      ? [
          useResponseCache({
            cache,
            ttl: options.ttlSeconds * 1000,
            // Keys see drafts and the audit trail: their answers are never shared.
            enabled: (request) => isPublic(request),
            session: () => null,
          }),
          {
            onResponse({ request, response }) {
              const cacheable = request.method === 'GET' && isPublic(request) && response.status === 200;
              response.headers.set('cache-control', cacheable ? `public, max-age=${options.ttlSeconds}` : 'no-store');
            },
          },
        ]
      : [],
  };
}
