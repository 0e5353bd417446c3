// webhookCreate / webhookUpdate / webhookDelete through the writer like every
// record (authorised by the organisation watched, validated, audited, in the
// change log); webhookTest sends a signed test message now; webhookRedeliver
// queues deliveries again. A webhook receives what its owner may read: public
// changes, and with includeNonPublic also the organisation's writers-only ones.
import { randomUUID } from 'node:crypto';
import { encodeGlobalID } from '@pothos/plugin-relay';
import { decodeCursor, head } from '../../changes/log.js';
import { refuse } from '../../domain/errors.js';
import { organisationBySlug } from '../../domain/organisation.js';
import { webhook, type WebhookRow } from '../../domain/webhook.js';
import type { WriteSession } from '../../domain/writer.js';
import { postSigned, type AttemptResult } from '../../webhooks/deliver.js';
import { generateSecret, SecretUnavailableError } from '../../webhooks/secrets.js';
import { literalHostProblem } from '../../webhooks/target.js';
import { entriesFor } from '../../webhooks/worker.js';
import { builder } from '../builder.js';
import { ChangeActionEnum } from '../changes/subscriptions.js';
import { localId } from '../common/ids.js';
import { UserError, type UserErrorShape } from '../common/user-errors.js';
import { mutate } from '../common/write.js';
import type { Context } from '../context.js';
import { WebhookRef } from './types.js';

/** How many events one redelivery may queue again. */
const MAX_REQUEUE = 10_000;

function requireBox(ctx: Context) {
  if (!ctx.webhooks.box) refuse('INVALID', `Webhooks are not available on this server: ${ctx.webhooks.unavailable}`);
  return ctx.webhooks.box;
}

/** Refuses a URL whose host is an IP address the delivery policy would refuse anyway. */
function checkTarget(ctx: Context, url: unknown) {
  if (typeof url !== 'string') return;
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return; // the record's own rule names it
  }
  const problem = literalHostProblem(host, ctx.webhooks.settings.allowPrivateTargets);
  if (problem) refuse('INVALID_URL', problem, ['input', 'url']);
}

/** A cursor given in an input, or a user error naming its field. */
function inputCursor(value: unknown, field: string): bigint | null {
  if (value === null || value === undefined) return null;
  const position = decodeCursor(String(value));
  if (position === null) refuse('INVALID', 'not a change cursor of this API', ['input', field]);
  return position;
}

const defined = (input: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined));

const WebhookCreateInput = builder.inputType('WebhookCreateInput', {
  fields: (t) => ({
    organisation: t.string({
      required: false,
      description: 'The organisation to watch (its slug; needs write:<slug>); omitted: every organisation (admin).',
    }),
    url: t.string({ required: true, description: 'https; plain http only to a loopback address.' }),
    description: t.string({ required: false }),
    types: t.stringList({
      required: false,
      description: 'Record types to deliver, e.g. ["Processor"]; all when omitted.',
    }),
    actions: t.field({ type: [ChangeActionEnum], required: false, description: 'All when omitted.' }),
    includeNonPublic: t.boolean({
      required: false,
      description: 'Also deliver changes only the organisation’s writers see (drafts, webhooks). False by default.',
    }),
    since: t.string({
      required: false,
      description: 'Deliver the events after this change cursor (e.g. the last one you read); from now when omitted.',
    }),
  }),
});

const WebhookUpdateInput = builder.inputType('WebhookUpdateInput', {
  fields: (t) => ({
    id: t.id({ required: true }),
    expectedRevision: t.int({ required: true }),
    url: t.string({ required: false }),
    description: t.string({ required: false }),
    types: t.stringList({ required: false }),
    actions: t.field({ type: [ChangeActionEnum], required: false }),
    includeNonPublic: t.boolean({ required: false }),
    enabled: t.boolean({
      required: false,
      description: 'false pauses deliveries; true resumes them where they stopped (a failed delivery first).',
    }),
    rotateSecret: t.boolean({ required: false, description: 'A new signing secret, in the payload, shown once.' }),
  }),
});

const WebhookDeleteInput = builder.inputType('WebhookDeleteInput', {
  fields: (t) => ({ id: t.id({ required: true }), expectedRevision: t.int({ required: true }) }),
});

const WebhookTestInput = builder.inputType('WebhookTestInput', {
  fields: (t) => ({ id: t.id({ required: true }) }),
});

const WebhookRedeliverInput = builder.inputType('WebhookRedeliverInput', {
  fields: (t) => ({
    id: t.id({ required: true, description: 'The webhook.' }),
    deliveries: t.idList({ required: false, description: 'Deliveries of this webhook to send again.' }),
    since: t.string({
      required: false,
      description: 'Or: every event after this change cursor that the webhook’s filters keep, again.',
    }),
  }),
});

interface WebhookPayloadShape {
  webhook?: Omit<WebhookRow, 'organisation'> | null;
  secret?: string | null;
  deletedId?: string | null;
  requeued?: number | null;
  userErrors: UserErrorShape[];
}

const payload = (name: string, extra: { secret?: boolean; deletedId?: boolean; requeued?: boolean }) =>
  builder.objectRef<WebhookPayloadShape>(name).implement({
    fields: (t) => ({
      webhook: t.field({ type: WebhookRef, nullable: true, resolve: (p) => p.webhook ?? null }),
      ...(extra.secret
        ? {
            secret: t.string({
              nullable: true,
              description:
                'The signing secret (whsec_…), shown this once: verify deliveries with it (Standard Webhooks).',
              resolve: (p) => p.secret ?? null,
            }),
          }
        : {}),
      ...(extra.deletedId ? { deletedId: t.id({ nullable: true, resolve: (p) => p.deletedId ?? null }) } : {}),
      ...(extra.requeued
        ? {
            requeued: t.int({
              nullable: true,
              description: 'Deliveries queued again.',
              resolve: (p) => p.requeued ?? null,
            }),
          }
        : {}),
      userErrors: t.field({ type: [UserError], resolve: (p) => p.userErrors }),
    }),
  });

const WebhookCreatePayload = payload('WebhookCreatePayload', { secret: true });
const WebhookUpdatePayload = payload('WebhookUpdatePayload', { secret: true });
const WebhookDeletePayload = payload('WebhookDeletePayload', { deletedId: true });
const WebhookRedeliverPayload = payload('WebhookRedeliverPayload', { requeued: true });

const WebhookTestResult = builder.objectRef<AttemptResult & { eventId: string }>('WebhookTestResult').implement({
  description: 'What the receiver answered to a signed test message (type "webhook.test").',
  fields: (t) => ({
    ok: t.exposeBoolean('ok', { description: 'The receiver answered 2xx.' }),
    eventId: t.exposeString('eventId', { description: 'The test message’s webhook-id.' }),
    responseCode: t.exposeInt('responseCode', { nullable: true }),
    error: t.exposeString('error', { nullable: true }),
    durationMs: t.int({ resolve: (r) => r.ms }),
  }),
});

const WebhookTestPayload = builder
  .objectRef<{ result?: (AttemptResult & { eventId: string }) | null; userErrors: UserErrorShape[] }>(
    'WebhookTestPayload',
  )
  .implement({
    fields: (t) => ({
      result: t.field({ type: WebhookTestResult, nullable: true, resolve: (p) => p.result ?? null }),
      userErrors: t.field({ type: [UserError], resolve: (p) => p.userErrors }),
    }),
  });

/** Failed deliveries are tried again (first, being the oldest) when a webhook is enabled again. */
async function retryFailed(s: WriteSession, webhookId: string) {
  await s.tx.webhookDelivery.updateMany({
    where: { webhookId, status: 'FAILED' },
    data: { status: 'PENDING', attempt: 0, nextAttemptAt: s.now },
  });
}

builder.mutationFields((t) => ({
  webhookCreate: t.field({
    type: WebhookCreatePayload,
    description: 'A webhook for an organisation’s changes (write:<slug>), or for every organisation (admin).',
    args: { input: t.arg({ type: WebhookCreateInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const out = await mutate(ctx, 'created', async (s) => {
        const organisation = input.organisation ? await organisationBySlug(s.tx, input.organisation) : null;
        if (input.organisation && !organisation) {
          refuse('NOT_FOUND', `no organisation has the slug "${input.organisation}"`, ['input', 'organisation']);
        }
        s.requireWrite(
          organisation
            ? { kind: 'organisation', organisationId: organisation.id, organisationSlug: organisation.slug }
            : { kind: 'keys' },
        );
        const box = requireBox(ctx);
        checkTarget(ctx, input.url);
        const since = inputCursor(input.since, 'since');
        const secret = generateSecret();
        const row = await s.create(
          webhook,
          { organisationId: organisation?.id ?? null },
          defined({
            url: input.url,
            description: input.description ?? undefined,
            types: input.types ?? undefined,
            actions: input.actions ?? undefined,
            includeNonPublic: input.includeNonPublic ?? undefined,
            secretCiphertext: box.seal(secret),
            secretCreatedAt: s.now.toISOString(),
          }),
          ['input'],
        );
        const cursor = since ?? (await head(s.tx));
        return { webhook: await s.tx.webhook.update({ where: { id: row.id }, data: { cursor } }), secret };
      });
      return { webhook: out.created?.webhook ?? null, secret: out.created?.secret ?? null, userErrors: out.userErrors };
    },
  }),

  webhookUpdate: t.field({
    type: WebhookUpdatePayload,
    args: { input: t.arg({ type: WebhookUpdateInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const out = await mutate(ctx, 'updated', async (s) => {
        const row = await s.load(webhook, localId(input.id, 'Webhook'), ['input', 'id']);
        const box = requireBox(ctx);
        checkTarget(ctx, input.url);
        // Null means "leave it" for what the record cannot go without; it clears the description.
        const patch: Record<string, unknown> = defined({
          url: input.url ?? undefined,
          description: input.description,
          types: input.types ?? undefined,
          actions: input.actions ?? undefined,
          includeNonPublic: input.includeNonPublic ?? undefined,
          enabled: input.enabled ?? undefined,
        });
        const reenabled = input.enabled === true && !row.enabled;
        if (reenabled) Object.assign(patch, { disabledReason: null, disabledAt: null });
        if (input.enabled === false && row.enabled) {
          Object.assign(patch, {
            disabledReason: `disabled by ${ctx.caller.actor?.label ?? 'a key'}`,
            disabledAt: s.now.toISOString(),
          });
        }
        let secret: string | null = null;
        if (input.rotateSecret) {
          secret = generateSecret();
          Object.assign(patch, { secretCiphertext: box.seal(secret), secretCreatedAt: s.now.toISOString() });
        }
        const updated = await s.update(webhook, row, { patch, expectedRevision: input.expectedRevision }, ['input']);
        if (reenabled) await retryFailed(s, row.id);
        return { webhook: updated, secret };
      });
      return { webhook: out.updated?.webhook ?? null, secret: out.updated?.secret ?? null, userErrors: out.userErrors };
    },
  }),

  webhookDelete: t.field({
    type: WebhookDeletePayload,
    description: 'Deletes the webhook and its delivery log.',
    args: { input: t.arg({ type: WebhookDeleteInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const out = await mutate(ctx, 'deletedId', async (s) => {
        const row = await s.load(webhook, localId(input.id, 'Webhook'), ['input', 'id']);
        await s.remove(webhook, row, input.expectedRevision, ['input']);
        return String(input.id);
      });
      return { deletedId: out.deletedId ?? null, userErrors: out.userErrors };
    },
  }),

  webhookTest: t.field({
    type: WebhookTestPayload,
    description: 'Sends a signed test message (type "webhook.test") now and answers what the receiver said.',
    args: { input: t.arg({ type: WebhookTestInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const out = await mutate(ctx, 'row', (s) => s.load(webhook, localId(input.id, 'Webhook'), ['input', 'id']));
      if (!out.row) return { userErrors: out.userErrors };
      const row = out.row;
      let secret: string;
      try {
        secret = requireBoxOutside(ctx).open(row.secretCiphertext);
      } catch (error) {
        if (error instanceof SecretUnavailableError) {
          const problem: UserErrorShape = { code: 'INVALID', field: ['input', 'id'], message: error.message };
          return { userErrors: [problem] };
        }
        throw error;
      }
      const eventId = `test_${randomUUID()}`;
      const now = new Date();
      const body = JSON.stringify({
        type: 'webhook.test',
        timestamp: now.toISOString(),
        data: { webhook: encodeGlobalID('Webhook', row.id), organisation: row.organisation?.slug ?? null },
      });
      const result = await postSigned(
        row.url,
        secret,
        { id: eventId, body },
        {
          timeoutMs: ctx.webhooks.settings.timeoutMs,
          allowPrivateTargets: ctx.webhooks.settings.allowPrivateTargets,
        },
        now,
      );
      return { result: { ...result, eventId }, userErrors: [] };
    },
  }),

  webhookRedeliver: t.field({
    type: WebhookRedeliverPayload,
    description:
      'Queues deliveries again: the ones named, or every event after a cursor. They are sent in log order, before later events.',
    args: { input: t.arg({ type: WebhookRedeliverInput, required: true }) },
    resolve: async (_root, { input }, ctx) => {
      const out = await mutate(ctx, 'redelivered', async (s) => {
        const row = await s.load(webhook, localId(input.id, 'Webhook'), ['input', 'id']);
        const since = inputCursor(input.since, 'since');
        if (!input.deliveries?.length && since === null) {
          refuse('REQUIRED', 'name the deliveries to send again, or a cursor to send again from', ['input']);
        }
        const again = { status: 'PENDING' as const, attempt: 0, nextAttemptAt: s.now, error: null };
        let requeued = 0;
        if (input.deliveries?.length) {
          const ids = input.deliveries.map((id, i) =>
            localId(id, 'WebhookDelivery', ['input', 'deliveries', String(i)]),
          );
          const found = await s.tx.webhookDelivery.count({ where: { id: { in: ids }, webhookId: row.id } });
          if (found !== new Set(ids).size)
            refuse('NOT_FOUND', 'not every delivery named is one of this webhook’s', ['input', 'deliveries']);
          requeued += (await s.tx.webhookDelivery.updateMany({ where: { id: { in: ids } }, data: again })).count;
        }
        if (since !== null) {
          // Up to what has been queued for it; later events come by themselves.
          const range = { position: { gt: since, lte: row.cursor } };
          const entries = await s.tx.changeLogEntry.findMany({
            where: { AND: [range, entriesFor(row)] },
            select: { position: true },
            take: MAX_REQUEUE + 1,
          });
          if (entries.length > MAX_REQUEUE) {
            refuse('TOO_LONG', `more than ${MAX_REQUEUE} events after this cursor; give a later one`, [
              'input',
              'since',
            ]);
          }
          const created = await s.tx.webhookDelivery.createMany({
            data: entries.map((e) => ({ webhookId: row.id, position: e.position })),
            skipDuplicates: true,
          });
          requeued += created.count;
          requeued += (
            await s.tx.webhookDelivery.updateMany({
              where: { webhookId: row.id, ...range, status: { not: 'PENDING' } },
              data: again,
            })
          ).count;
        }
        return { webhook: row, requeued };
      });
      ctx.webhooks.worker.poke();
      return {
        webhook: out.redelivered?.webhook ?? null,
        requeued: out.redelivered?.requeued ?? null,
        userErrors: out.userErrors,
      };
    },
  }),
}));

function requireBoxOutside(ctx: Context) {
  if (!ctx.webhooks.box)
    throw new SecretUnavailableError(`Webhooks are not available on this server: ${ctx.webhooks.unavailable}`);
  return ctx.webhooks.box;
}
