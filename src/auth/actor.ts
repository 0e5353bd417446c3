// Who is calling: the API key named by `Authorization: Bearer <key>`, checked
// against the database. A missing, unknown, revoked or expired key makes an
// anonymous caller; the reason is kept so a refusal can say why.
import type { PrismaClient } from '../db/client.js';
import { keyMatches, prefixOf } from './keys.js';

export interface Actor {
  keyId: string | null;
  label: string;
  scopes: string[];
}

/** `malformed`: not `Bearer <credential>`; `not-a-key`: a credential not shaped like this API's keys. */
export type AuthProblem = 'malformed' | 'not-a-key' | 'unknown' | 'revoked' | 'expired';

export interface Caller {
  actor: Actor | null;
  problem: AuthProblem | null;
}

/** lastUsedAt is written at most this often per key, not on every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

export async function identifyCaller(
  prisma: PrismaClient,
  authorization: string | null,
  now = new Date(),
): Promise<Caller> {
  if (!authorization) return { actor: null, problem: null };
  const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
  const presented = match?.[1];
  const prefix = presented ? prefixOf(presented) : null;
  if (!presented) return { actor: null, problem: 'malformed' };
  if (!prefix) return { actor: null, problem: 'not-a-key' };
  const key = await prisma.apiKey.findUnique({ where: { prefix } });
  if (!key || !keyMatches(presented, key.secretHash)) return { actor: null, problem: 'unknown' };
  if (key.revokedAt && key.revokedAt <= now) return { actor: null, problem: 'revoked' };
  if (key.expiresAt && key.expiresAt <= now) return { actor: null, problem: 'expired' };
  if (!key.lastUsedAt || now.getTime() - key.lastUsedAt.getTime() > LAST_USED_RESOLUTION_MS) {
    await prisma.apiKey.update({ where: { id: key.id }, data: { lastUsedAt: now } });
  }
  return { actor: { keyId: key.id, label: key.label, scopes: key.scopes }, problem: null };
}

export function describeProblem(caller: Caller): string {
  switch (caller.problem) {
    case 'malformed':
      return 'the Authorization header must be "Bearer <API key>"';
    case 'not-a-key':
      // Never echo what was sent: it may be a secret meant for another service.
      return "the Bearer credential is not one of this API's keys, which look like pfk_<12 hex digits>_<43 characters> (npm run apikey:create makes one)";
    case 'unknown':
      return 'the API key is not known';
    case 'revoked':
      return 'the API key has been revoked';
    case 'expired':
      return 'the API key has expired';
    default:
      return caller.actor ? 'the API key lacks the scope for this' : 'an API key is required';
  }
}

/** A caller that is not an API key: the command line, the seed at start. Audited under its label. */
export function systemCaller(label: string): Caller {
  return { actor: { keyId: null, label, scopes: ['admin'] }, problem: null };
}
