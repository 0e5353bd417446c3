// What every resolver receives: the database and the request's locale wishes.
// Locale scopes let `organisation(slug:, locale:)` set the locale for every
// localised field below it, whatever the aliases and list positions.
import type { GraphQLResolveInfo } from 'graphql';
import { randomUUID } from 'node:crypto';
import { identifyCaller, type Caller } from '../auth/actor.js';
import type { PrismaClient } from '../db/client.js';
import type { Writer } from '../domain/writer.js';
import type { EventBus } from '../events/bus.js';
import { parseAcceptLanguage } from '../locale.js';
import type { WebhookServices } from '../webhooks/service.js';

export interface Context {
  /** The HTTP request (Yoga puts it in every context). */
  request?: Request;
  prisma: PrismaClient;
  /** The API key behind the request, if any (see src/auth). */
  caller: Caller;
  requireAuthForReads: boolean;
  events: EventBus;
  /** From X-Request-Id when the client sends a sane one, else new; recorded in audit events. */
  requestId: string;
  /** From Accept-Language, best first. */
  acceptLanguages: string[];
  /** Response path ("org.processors") → the locale set there. */
  localeScopes: Map<string, string>;
  /** "Today" for version-in-force queries; a test can pin it. */
  now: () => Date;
  /** Every change goes through it (src/domain/writer.ts). */
  writer: Writer;
  /** The kind of operation, once execution starts (set by src/app.ts). */
  operation?: 'query' | 'mutation' | 'subscription';
  /** Webhook secrets, settings and delivery (src/webhooks/). */
  webhooks: WebhookServices;
  /** A subscription's last event's change-log cursor, for its SSE `id:` line (src/schema/changes/). */
  changeCursor?: string;
}

export interface ContextOptions {
  prisma: PrismaClient;
  events: EventBus;
  requireAuthForReads: boolean;
  now?: () => Date;
  writer: Writer;
  /** The caller, when the HTTP layer has identified it already. */
  caller?: Caller;
  /** The request id the HTTP layer gave the request. */
  requestId?: string;
  webhooks: WebhookServices;
}

export async function createContext(request: Request, options: ContextOptions): Promise<Context> {
  const now = options.now ?? (() => new Date());
  const given = request.headers.get('x-request-id');
  return {
    prisma: options.prisma,
    caller: options.caller ?? (await identifyCaller(options.prisma, request.headers.get('authorization'), now())),
    requireAuthForReads: options.requireAuthForReads,
    events: options.events,
    requestId: options.requestId ?? (given && /^[\w.:-]{1,100}$/.test(given) ? given : randomUUID()),
    acceptLanguages: parseAcceptLanguage(request.headers.get('accept-language')),
    localeScopes: new Map(),
    now,
    writer: options.writer,
    webhooks: options.webhooks,
  };
}

type Path = GraphQLResolveInfo['path'] | undefined;

function pathKey(path: Path): string {
  const keys: (string | number)[] = [];
  for (let p = path; p; p = p.prev) keys.unshift(p.key);
  return keys.join('.');
}

/** Records the locale an argument asked for at this field, for the fields below it. */
export function setLocaleScope(ctx: Context, info: GraphQLResolveInfo, locale: string | null | undefined) {
  if (locale) ctx.localeScopes.set(pathKey(info.path), locale);
}

/**
 * The locales a localised field should try, best first: its own argument, the
 * nearest enclosing scope, then Accept-Language.
 */
export function wantedLocales(ctx: Context, info: GraphQLResolveInfo, own?: string | null): string[] {
  const wanted: string[] = [];
  if (own) wanted.push(own);
  if (ctx.localeScopes.size > 0) {
    // Every enclosing path, root first, built in one pass; the deepest scope wins.
    const keys: (string | number)[] = [];
    for (let p: Path = info.path.prev; p; p = p.prev) keys.unshift(p.key);
    let prefix = '';
    let scoped: string | undefined;
    for (const key of keys) {
      prefix = prefix ? `${prefix}.${key}` : String(key);
      scoped = ctx.localeScopes.get(prefix) ?? scoped;
    }
    if (scoped) wanted.push(scoped);
  }
  for (const l of ctx.acceptLanguages) if (!wanted.includes(l)) wanted.push(l);
  return wanted;
}
