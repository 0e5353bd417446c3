// Mutations hand their work to the domain's writer (src/domain/writer.ts),
// which owns the transaction, authorisation, validation, audit, notifications
// and the cache; here a unit of work's outcome becomes a payload: the changed
// object and `userErrors`, or a 503 when writes are paused.
import { GraphQLError } from 'graphql';
import type { UserErrorShape } from '../../domain/errors.js';
import { WritesUnavailableError, type WriteSession } from '../../domain/writer.js';
import type { Context } from '../context.js';

export type Payload<K extends string, V> = { [P in K]?: V } & { userErrors: UserErrorShape[] };

/** Runs a unit of work for the caller; the value goes in the payload under `field`. */
export async function mutate<K extends string, V>(
  ctx: Context,
  field: K,
  work: (session: WriteSession) => Promise<V>,
): Promise<Payload<K, V>> {
  try {
    const outcome = await ctx.writer.run({ caller: ctx.caller, requestId: ctx.requestId, now: ctx.now() }, work);
    if (!outcome.ok) return { userErrors: outcome.userErrors } as Payload<K, V>;
    return { [field]: outcome.value, userErrors: [] } as unknown as Payload<K, V>;
  } catch (error) {
    if (error instanceof WritesUnavailableError) throw unavailable(error.message);
    throw error;
  }
}

/** A write refused because shared state is away: 503, worth retrying. */
export function unavailable(message: string): GraphQLError {
  return new GraphQLError(message, {
    extensions: { code: 'SERVICE_UNAVAILABLE', http: { status: 503, headers: { 'retry-after': '5' } } },
  });
}
