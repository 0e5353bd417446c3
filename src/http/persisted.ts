// Persisted operations. "automatic": a client may send only the SHA-256 of a
// query it sent before (Apollo's automatic persisted queries protocol), which
// keeps GET URLs short and cacheable. "allow-list": only the operations in a
// file (hash → query) run at all, for production clients known in advance.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { usePersistedOperations } from '@graphql-yoga/plugin-persisted-operations';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const MAX_STORED = 10_000;

function hashOf(params: { extensions?: Record<string, unknown> }): string | null {
  const persisted = params.extensions?.persistedQuery as { sha256Hash?: unknown } | undefined;
  return typeof persisted?.sha256Hash === 'string' ? persisted.sha256Hash : null;
}

function automaticPersistedQueries(): Plugin {
  const store = new Map<string, string>();
  return {
    onParams({ params, setParams }) {
      const hash = hashOf(params);
      if (!hash) return;
      if (params.query) {
        if (sha256(params.query) !== hash) {
          throw new GraphQLError('The persisted query hash does not match the query.', {
            extensions: { code: 'PERSISTED_QUERY_HASH_MISMATCH', http: { status: 400 } },
          });
        }
        if (store.size >= MAX_STORED) store.delete(store.keys().next().value!);
        store.set(hash, params.query);
        return;
      }
      const query = store.get(hash);
      if (!query) {
        // The protocol's own message: the client then resends the query with its hash.
        throw new GraphQLError('PersistedQueryNotFound', { extensions: { code: 'PERSISTED_QUERY_NOT_FOUND' } });
      }
      setParams({ ...params, query });
    },
  };
}

export function persistedOperationPlugins(mode: 'off' | 'automatic' | 'allow-list', file?: string): Plugin[] {
  if (mode === 'off') return [];
  if (mode === 'automatic') return [automaticPersistedQueries()];
  const allowed = JSON.parse(readFileSync(file!, 'utf8')) as Record<string, string>;
  return [
    usePersistedOperations({
      getPersistedOperation: (key) => allowed[key] ?? null,
      allowArbitraryOperations: false,
    }) as Plugin,
  ];
}
