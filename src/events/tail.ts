// Following the change log for live subscriptions. Without Redis, a server
// announces only the changes made through itself; a change written by another
// process — a command-line script connected to the same PostgreSQL server,
// another instance — would never reach its subscribers. A server that tails
// the log hears every committed change, whoever wrote it: it reads the log
// after the last position it announced (on every local write at once, and
// every CHANGE_FEED_POLL_MS for the others) and publishes those entries on
// its own bus, in log order. In this mode the writer no longer publishes
// directly, so each change is announced exactly once, in commit order.
// (With Redis, instances share their announcements through Redis instead.)
import type { ChangeLogRow } from '../changes/log.js';
import { head } from '../changes/log.js';
import type { PrismaClient } from '../db/client.js';
import type { Logger } from '../logger.js';
import { publishChange, type ChangeEvent, type EventBus } from './bus.js';

const BATCH = 500;

/** A log entry as the event a subscriber would have heard live. */
export function eventFromEntry(entry: ChangeLogRow): ChangeEvent {
  return {
    action: entry.action as ChangeEvent['action'],
    changedFields: entry.changedFields,
    at: entry.at,
    entityType: entry.entityType,
    entityId: entry.entityId,
    organisationSlug: entry.organisationSlug ?? '',
    visibility: entry.audience === 'public' ? 'public' : 'writers',
    position: String(entry.position),
  };
}

export class ChangeLogTail {
  private last: bigint | null = null;
  private timer: NodeJS.Timeout | null = null;
  private reading: Promise<void> | null = null;
  private again = false;
  /** Reading failed (the database away): said once, not every poll. */
  private failing = false;

  constructor(
    private readonly options: {
      prisma: PrismaClient;
      events: EventBus;
      pollMs: number;
      logger: Logger;
      /** New entries were found: what this process cached may be stale (a write by another process). */
      onEntries?: () => void;
    },
  ) {}

  /** Starts from the log's head: what committed before is history (subscriptions replay it on request). */
  async start() {
    if (this.timer) return;
    this.last = await head(this.options.prisma);
    this.timer = setInterval(() => this.poke(), this.options.pollMs);
    this.timer.unref();
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  get running() {
    return this.timer !== null;
  }

  /** Reads what is new now (after a local write). */
  poke() {
    if (this.last === null) return;
    if (this.reading) {
      this.again = true;
      return;
    }
    this.reading = this.read()
      .then(() => {
        if (this.failing) this.options.logger.info('following the change log again');
        this.failing = false;
      })
      .catch((error: unknown) => {
        if (!this.failing) this.options.logger.warn({ err: error }, 'following the change log failed; retrying');
        this.failing = true;
      })
      .finally(() => {
        this.reading = null;
        if (this.again) {
          this.again = false;
          this.poke();
        }
      });
  }

  private async read() {
    for (;;) {
      const entries = await this.options.prisma.changeLogEntry.findMany({
        where: { position: { gt: this.last! } },
        orderBy: { position: 'asc' },
        take: BATCH,
      });
      for (const entry of entries) {
        // Shared reference data and keys belong to no organisation's feed.
        if (entry.organisationSlug) publishChange(this.options.events, eventFromEntry(entry));
        this.last = entry.position;
      }
      if (entries.length > 0) this.options.onEntries?.();
      if (entries.length < BATCH) return;
    }
  }
}
