// One delivery attempt: the event as JSON, signed the Standard Webhooks way
// (webhook-id, webhook-timestamp and webhook-signature: an HMAC-SHA256 over
// "id.timestamp.body" with the webhook's secret, made by the reference
// implementation, the standardwebhooks package), POSTed with a timeout,
// without following redirects, to an address the SSRF policy allows
// (src/webhooks/target.ts). Any 2xx answer is a success; anything else,
// including a redirect or a timeout, is a failed attempt to retry.
import { encodeGlobalID } from '@pothos/plugin-relay';
import { Webhook as Signer } from 'standardwebhooks';
import { Agent, request } from 'undici';
import { encodeCursor, type ChangeLogRow } from '../changes/log.js';
import { guardedLookup, literalHostProblem, TargetRefusedError } from './target.js';

export interface AttemptResult {
  ok: boolean;
  responseCode: number | null;
  /** Why the attempt failed, for the delivery log (never the secret, never the body). */
  error: string | null;
  ms: number;
}

/** "Processor" + "UPDATE" → "processor.updated" (Standard Webhooks' dotted event types). */
export function eventType(entityType: string, action: string): string {
  const noun = entityType.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase();
  const verb =
    { CREATE: 'created', UPDATE: 'updated', DELETE: 'deleted', RETIRE: 'retired' }[action] ?? action.toLowerCase();
  return `${noun}.${verb}`;
}

/** A log entry as integrators see it, in webhooks and feeds alike (the GraphQL ChangeEvent's fields). */
export function changeEventJson(entry: ChangeLogRow) {
  return {
    cursor: encodeCursor(entry.position),
    at: entry.at.toISOString(),
    action: entry.action,
    recordType: entry.entityType,
    recordId: encodeGlobalID(entry.entityType, entry.entityId),
    organisation: entry.organisationSlug,
    revision: entry.revision,
    key: entry.key,
    changedFields: entry.changedFields,
    before: entry.before,
    after: entry.after,
  };
}

/** The body of an event's delivery: the same bytes on every attempt. */
export function deliveryBody(entry: ChangeLogRow): { id: string; body: string } {
  const data = changeEventJson(entry);
  return {
    id: data.cursor,
    body: JSON.stringify({ type: eventType(entry.entityType, entry.action), timestamp: data.at, data }),
  };
}

export interface PostOptions {
  timeoutMs: number;
  allowPrivateTargets: boolean;
}

const agents = new Map<boolean, Agent>();
function agentFor(allowPrivate: boolean): Agent {
  let agent = agents.get(allowPrivate);
  if (!agent) {
    agent = new Agent({ connect: { lookup: guardedLookup(allowPrivate) }, keepAliveTimeout: 4_000 });
    agents.set(allowPrivate, agent);
  }
  return agent;
}

/** Signs and POSTs one message. */
export async function postSigned(
  url: string,
  secret: string,
  message: { id: string; body: string },
  options: PostOptions,
  now = new Date(),
): Promise<AttemptResult> {
  const started = performance.now();
  const done = (ok: boolean, responseCode: number | null, error: string | null): AttemptResult => ({
    ok,
    responseCode,
    error,
    ms: Math.round(performance.now() - started),
  });
  let target: URL;
  try {
    target = new URL(url);
  } catch {
    return done(false, null, 'the URL is not valid');
  }
  const refused = literalHostProblem(target.hostname, options.allowPrivateTargets);
  if (refused) return done(false, null, `refused: ${refused}`);
  const headers = {
    'content-type': 'application/json',
    'user-agent': 'privacy-facts-webhooks/1',
    'webhook-id': message.id,
    'webhook-timestamp': String(Math.floor(now.getTime() / 1000)),
    'webhook-signature': new Signer(secret).sign(message.id, now, message.body),
  };
  try {
    const response = await request(target, {
      method: 'POST',
      headers,
      body: message.body,
      dispatcher: agentFor(options.allowPrivateTargets),
      signal: AbortSignal.timeout(options.timeoutMs),
      headersTimeout: options.timeoutMs,
      bodyTimeout: options.timeoutMs,
    });
    // Nothing of the answer is kept but its status.
    await response.body.dump({ limit: 64 * 1024 }).catch(() => undefined);
    const code = response.statusCode;
    if (code >= 200 && code < 300) return done(true, code, null);
    if (code >= 300 && code < 400) return done(false, code, `HTTP ${code}: redirects are not followed`);
    return done(false, code, `HTTP ${code}`);
  } catch (error) {
    return done(false, null, describeFailure(error, options.timeoutMs));
  }
}

function describeFailure(error: unknown, timeoutMs: number): string {
  const cause = (error as { cause?: unknown }).cause;
  if (error instanceof TargetRefusedError || cause instanceof TargetRefusedError) {
    return `refused: ${((cause as Error | undefined) ?? (error as Error)).message}`;
  }
  const name = (error as Error).name;
  if (name === 'TimeoutError' || name === 'AbortError' || /timeout/i.test((error as Error).message)) {
    return `no answer within ${timeoutMs} ms`;
  }
  const code = (error as { code?: string }).code ?? (cause as { code?: string } | undefined)?.code;
  return code ? `connection failed (${code})` : `connection failed (${(error as Error).message})`;
}
