// Limits that stop abusive queries before they reach the database:
// graphql-armor's depth, alias, cost, token and directive limits (checked at
// validation, before execution), field suggestions hidden in production, and
// a per-request execution timeout.
import { EnvelopArmor } from '@escape.tech/graphql-armor';
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Limits } from '../config.js';

export function armorPlugins(limits: Limits, production: boolean): Plugin[] {
  const armor = new EnvelopArmor({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true },
    maxAliases: { n: limits.maxAliases },
    // A flat cost per field (no depth multiplier): depth has its own limit, and the
    // deepest legitimate query (organisations → processors → organisation → …) stays cheap.
    costLimit: { maxCost: limits.maxCost, objectCost: 2, scalarCost: 1, depthCostFactor: 1, ignoreIntrospection: true },
    maxTokens: { n: limits.maxTokens },
    maxDirectives: { n: limits.maxDirectives },
    blockFieldSuggestion: { enabled: production },
  });
  return armor.protect().plugins as Plugin[];
}

/** Answers with a clear error when execution runs past the limit. */
export function timeoutPlugin(ms: number): Plugin {
  return {
    onExecute({ executeFn, setExecuteFn }) {
      setExecuteFn((args) => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise((resolve) => {
          timer = setTimeout(
            () =>
              resolve({
                errors: [
                  new GraphQLError(`The request took longer than ${ms} ms and was stopped.`, {
                    extensions: { code: 'TIMEOUT', http: { status: 503 } },
                  }),
                ],
              }),
            ms,
          );
        });
        return Promise.race([Promise.resolve(executeFn(args)), timeout]).finally(() => clearTimeout(timer)) as never;
      });
    },
  };
}
