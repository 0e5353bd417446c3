// Webhook delivery from the change log. Every server process runs a worker
// (WEBHOOK_WORKER); they share the work through the database:
//
//   claim    a worker takes webhooks that have something to do (new log
//            entries past their cursor, or a delivery that is due) with one
//            UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED): two
//            workers never take the same webhook, and neither waits for the
//            other. What it takes is a lease (owner, expiry), not an open
//            transaction: nothing is held during the HTTP request (PGlite has
//            one connection), and if the process dies mid-delivery the lease
//            expires and another worker carries on from the same delivery.
//   enqueue  for each webhook it holds, the log entries after the webhook's
//            cursor that its filters keep become deliveries (one per event
//            and webhook: a unique key), and the cursor moves on, in one
//            transaction. The log's positions follow commit order, so
//            nothing is skipped (src/changes/log.ts).
//   deliver  the webhook's pending deliveries in log order, one at a time: a
//            failure is retried with exponential backoff (WEBHOOK_RETRY_BASE_MS
//            doubling up to WEBHOOK_RETRY_MAX_MS, ±20% jitter), and later
//            events wait for it, so a receiver sees events in order. After
//            WEBHOOK_MAX_ATTEMPTS failed attempts the delivery is FAILED and
//            the webhook disabled, with the reason, through the writer
//            (audited); re-enabling it retries the failed delivery first.
//
// Each event is so delivered once per webhook. The one exception is the
// nature of HTTP: a process that dies after the receiver got the request but
// before recording the answer leaves the delivery pending, and it is sent
// again; receivers drop repeats by the event id (`webhook-id`).
import { randomUUID } from 'node:crypto';
import { systemCaller } from '../auth/actor.js';
import { head } from '../changes/log.js';
import type { WebhookSettings } from '../config.js';
import type { PrismaClient } from '../db/client.js';
import { Prisma } from '../db/generated/client.js';
import { webhook as webhookType } from '../domain/webhook.js';
import type { Writer } from '../domain/writer.js';
import type { Logger } from '../logger.js';
import { deliveryBody, postSigned, type AttemptResult } from './deliver.js';
import { SecretUnavailableError, type SecretBox } from './secrets.js';

const ENQUEUE_BATCH = 500;
/** Deliveries to one webhook per claim, so one busy webhook does not keep its lease for ever. */
const DELIVERIES_PER_CLAIM = 200;

export interface WorkerOptions {
  prisma: PrismaClient;
  writer: Writer;
  settings: WebhookSettings;
  box: SecretBox | null;
  logger: Logger;
}

/** The delay before attempt `attempt + 1`, after `attempt` failed ones. */
export function backoffMs(attempt: number, settings: Pick<WebhookSettings, 'retryBaseMs' | 'retryMaxMs'>) {
  const exact = Math.min(settings.retryMaxMs, settings.retryBaseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exact * (0.8 + Math.random() * 0.4));
}

/** Which log entries a webhook receives: its organisation, types, actions, and what its owner may read. */
export function entriesFor(w: {
  organisationId: string | null;
  types: string[];
  actions: string[];
  includeNonPublic: boolean;
}): Prisma.ChangeLogEntryWhereInput {
  return {
    ...(w.organisationId ? { organisationId: w.organisationId } : {}),
    ...(w.types.length ? { entityType: { in: w.types } } : {}),
    ...(w.actions.length ? { action: { in: w.actions } } : {}),
    // An organisation's webhook sees its organisation's entries only, so "writers" here means its writers.
    ...(w.includeNonPublic
      ? w.organisationId
        ? { audience: { in: ['public', 'writers'] } }
        : {}
      : { audience: 'public' }),
  };
}

export class WebhookWorker {
  /** Who holds a lease: this process. */
  readonly instance = randomUUID();
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private readonly serving = new Map<string, Promise<void>>();
  /** A round failed (the database away): said once, not every poll. */
  private failing = false;

  constructor(private readonly options: WorkerOptions) {}

  private get leaseMs() {
    return this.options.settings.timeoutMs * 2 + 10_000;
  }

  start() {
    if (this.timer || !this.options.box) return;
    this.stopped = false;
    this.timer = setInterval(() => this.poke(), this.options.settings.pollMs);
    this.timer.unref();
    this.poke();
  }

  /** Looks for work now (after a local write), instead of at the next poll. */
  poke() {
    if (!this.timer || this.stopped) return;
    if (this.ticking) {
      this.again = true;
      return;
    }
    this.ticking = this.tick()
      .then(() => {
        if (this.failing) this.options.logger.info('webhook worker: working again');
        this.failing = false;
      })
      .catch((error: unknown) => {
        if (!this.failing) this.options.logger.warn({ err: error }, 'webhook worker: a round failed; retrying');
        this.failing = true;
      })
      .finally(() => {
        this.ticking = null;
        if (this.again) {
          this.again = false;
          this.poke();
        }
      });
  }

  /** Stops claiming, and waits (up to `ms`) for deliveries in flight; their leases are given back. */
  async stop(ms = 8_000) {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const pending = Promise.all([this.ticking, ...this.serving.values()]);
    await Promise.race([pending, new Promise((resolve) => setTimeout(resolve, ms).unref())]);
  }

  /** One round: claim webhooks with work, up to the concurrency, and serve each in the background. */
  async tick() {
    const free = this.options.settings.concurrency - this.serving.size;
    if (free <= 0 || this.stopped) return;
    const { prisma } = this.options;
    const top = await head(prisma);
    const now = new Date();
    const until = new Date(now.getTime() + this.leaseMs);
    const claimed = await prisma.$queryRaw<{ id: string }[]>`
      UPDATE "Webhook" SET "leaseOwner" = ${this.instance}, "leaseUntil" = CAST(${until.toISOString()} AS timestamp(3))
      WHERE id IN (
        SELECT c.id FROM "Webhook" c
        WHERE c.enabled
          AND (c."leaseUntil" IS NULL OR c."leaseUntil" < CAST(${now.toISOString()} AS timestamp(3)))
          AND (c.cursor < ${top} OR EXISTS (
            SELECT 1 FROM "WebhookDelivery" d
            WHERE d."webhookId" = c.id AND d.status = 'PENDING'
              AND d."nextAttemptAt" <= CAST(${now.toISOString()} AS timestamp(3))))
        ORDER BY c."leaseUntil" ASC NULLS FIRST
        LIMIT ${free}
        FOR UPDATE SKIP LOCKED)
      RETURNING id::text AS id`;
    for (const { id } of claimed) {
      const work = this.serve(id, top)
        .catch((error: unknown) =>
          this.options.logger.warn({ err: error, webhook: id }, 'webhook worker: serving failed'),
        )
        .finally(async () => {
          await this.release(id).catch(() => undefined);
          this.serving.delete(id);
        });
      this.serving.set(id, work);
    }
  }

  private release(id: string) {
    return this.options.prisma.webhook.updateMany({
      where: { id, leaseOwner: this.instance },
      data: { leaseOwner: null, leaseUntil: null },
    });
  }

  /** Renews the lease; false when this process no longer holds it. */
  private async renew(id: string): Promise<boolean> {
    const { count } = await this.options.prisma.webhook.updateMany({
      where: { id, leaseOwner: this.instance },
      data: { leaseUntil: new Date(Date.now() + this.leaseMs) },
    });
    return count > 0;
  }

  private async serve(id: string, top: bigint) {
    await this.enqueue(id, top);
    for (let n = 0; n < DELIVERIES_PER_CLAIM && !this.stopped; n++) {
      const delivered = await this.deliverNext(id);
      if (!delivered || !(await this.renew(id))) return;
    }
  }

  /** New log entries after the webhook's cursor become its deliveries; the cursor moves on. */
  private async enqueue(id: string, top: bigint) {
    for (;;) {
      const more = await this.options.prisma.$transaction(async (tx) => {
        const w = await tx.webhook.findUnique({ where: { id } });
        if (!w || w.leaseOwner !== this.instance || w.cursor >= top) return false;
        const entries = await tx.changeLogEntry.findMany({
          where: { AND: [{ position: { gt: w.cursor, lte: top } }, entriesFor(w)] },
          orderBy: { position: 'asc' },
          select: { position: true },
          take: ENQUEUE_BATCH,
        });
        if (entries.length > 0) {
          await tx.webhookDelivery.createMany({
            data: entries.map((e) => ({ webhookId: id, position: e.position })),
            skipDuplicates: true,
          });
        }
        const full = entries.length === ENQUEUE_BATCH;
        await tx.webhook.updateMany({
          where: { id, leaseOwner: this.instance },
          data: { cursor: full ? entries[entries.length - 1]!.position : top },
        });
        return full;
      });
      if (!more) return;
    }
  }

  /** Attempts the webhook's oldest pending delivery if it is due; true when it succeeded. */
  private async deliverNext(id: string): Promise<boolean> {
    const { prisma, settings, box } = this.options;
    const delivery = await prisma.webhookDelivery.findFirst({
      where: { webhookId: id, status: 'PENDING' },
      orderBy: { position: 'asc' },
      include: { event: true, webhook: true },
    });
    if (!delivery || delivery.nextAttemptAt > new Date() || !delivery.webhook.enabled) return false;
    let secret: string;
    try {
      secret = box!.open(delivery.webhook.secretCiphertext);
    } catch (error) {
      if (!(error instanceof SecretUnavailableError)) throw error;
      await this.disable(id, error.message);
      return false;
    }
    const result: AttemptResult = await postSigned(delivery.webhook.url, secret, deliveryBody(delivery.event), {
      timeoutMs: settings.timeoutMs,
      allowPrivateTargets: settings.allowPrivateTargets,
    });
    const attempt = delivery.attempt + 1;
    const now = new Date();
    const exhausted = !result.ok && attempt >= settings.maxAttempts;
    await prisma.webhookDelivery.update({
      where: { id: delivery.id },
      data: {
        attempt,
        lastAttemptAt: now,
        responseCode: result.responseCode,
        error: result.error,
        ...(result.ok
          ? { status: 'SUCCEEDED', deliveredAt: now }
          : exhausted
            ? { status: 'FAILED' }
            : { nextAttemptAt: new Date(now.getTime() + backoffMs(attempt, settings)) }),
      },
    });
    if (exhausted) {
      await this.disable(
        id,
        `event ${deliveryBody(delivery.event).id} failed ${attempt} times; the last attempt: ${result.error ?? 'failed'}`,
      );
    }
    return result.ok;
  }

  /** Disables a webhook with the reason: a change like any other, audited, by the delivery worker. */
  private async disable(id: string, reason: string) {
    this.options.logger.warn({ webhook: id, reason }, 'webhook disabled');
    await this.options.writer.run({ caller: systemCaller('webhook delivery'), requestId: `webhook-${id}` }, (s) =>
      s.update(
        webhookType,
        id,
        { patch: { enabled: false, disabledReason: reason.slice(0, 1000), disabledAt: s.now.toISOString() } },
        [],
      ),
    );
  }
}
