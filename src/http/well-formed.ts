// PostgreSQL cannot store a NUL character, and JSON cannot carry an unpaired
// UTF-16 surrogate; either would fail deep in a write as an unexpected error.
// Such text is refused up front, for every operation, with a clear 400.
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

const NUL = '\u0000';

function badText(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes(NUL) || !value.isWellFormed();
  if (depth > 20 || value === null || typeof value !== 'object') return false;
  return Object.values(value).some((v) => badText(v, depth + 1));
}

export function wellFormedTextPlugin(): Plugin {
  return {
    onParams({ params }) {
      if (badText(params.query) || badText(params.variables) || badText(params.operationName)) {
        throw new GraphQLError('Text may not contain NUL characters or unpaired UTF-16 surrogates.', {
          extensions: { code: 'BAD_USER_INPUT', http: { status: 400 } },
        });
      }
    },
  };
}
