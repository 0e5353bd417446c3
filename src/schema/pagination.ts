// Connection sizes: 20 by default, 100 at most. Asking for more is a clear
// error rather than a quietly shorter page.
import { GraphQLError } from 'graphql';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

/** For a connection's `maxSize`: refuses a page larger than the maximum instead of shortening it. */
export const pageSize = {
  maxSize: (args: { first?: number | null; last?: number | null }) => checkPageSize(args),
};

export function checkPageSize(args: { first?: number | null; last?: number | null }): number {
  for (const name of ['first', 'last'] as const) {
    const value = args[name];
    if (value != null && (value < 0 || value > MAX_PAGE_SIZE)) {
      throw new GraphQLError(`"${name}" must be between 0 and ${MAX_PAGE_SIZE}; got ${value}`, {
        extensions: { code: 'BAD_USER_INPUT', argument: name },
      });
    }
  }
  return MAX_PAGE_SIZE;
}
