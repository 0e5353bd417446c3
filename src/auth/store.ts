// Creating API keys outside a request, as the command line does: through the
// writer (src/domain/api-key.ts), so each creation is audited. For tests,
// benchmarks and soak runs that need keys of their own.
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../db/client.js';
import { createKey } from '../domain/api-key.js';
import { UserInputError } from '../domain/errors.js';
import { Writer } from '../domain/writer.js';
import { systemCaller } from './actor.js';

export interface CreatedKey {
  id: string;
  key: string;
  prefix: string;
  label: string;
  scopes: string[];
  expiresAt: Date | null;
}

/** Creates a key; a refused one (bad label or scope) throws with the reasons. */
export async function createApiKey(
  prisma: PrismaClient,
  options: { label: string; scopes: string[]; expiresAt?: Date | null },
): Promise<CreatedKey> {
  const outcome = await new Writer({ prisma }).run(
    { caller: systemCaller('key setup'), requestId: randomUUID() },
    (session) => createKey(session, options),
  );
  if (!outcome.ok) throw new UserInputError(outcome.userErrors);
  return outcome.value;
}
