// Change notifications. One module owns the pub/sub: in-process by default,
// Yoga's Redis event target when several instances share Redis, so a change
// made through one instance reaches subscribers connected to any other.
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub, type PubSub, type PubSubEventTarget } from 'graphql-yoga';
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';
import type { SharedRedis } from '../redis/connection.js';

import type { ChangeAction } from '../domain/record.js';
import type { RecordedChange } from '../domain/writer.js';

export type { ChangeAction };

export interface ChangeEvent {
  action: ChangeAction;
  changedFields: string[];
  /** A Date in process; an ISO string once it has travelled through Redis. */
  at: Date | string;
  entityType: string;
  entityId: string;
  organisationSlug: string;
  /** Drafts are news only for subscribers who may write the organisation. */
  visibility: 'public' | 'writers';
  /** The change's place in the change log (decimal), so a subscriber can resume after it. */
  position?: string;
}

type Topics = {
  processorChanged: [organisationSlug: string, event: ChangeEvent];
  organisationChanged: [organisationSlug: string, event: ChangeEvent];
};

export type EventBus = PubSub<Topics> & {
  /** False while the shared channel (Redis) is away: new subscriptions are refused then. */
  available(): boolean;
};

export function createEventBus(options: { redis?: SharedRedis; logger?: Logger } = {}): EventBus {
  const { redis, logger } = options;
  if (!redis) return Object.assign(createPubSub<Topics>(), { available: () => true });
  return Object.assign(createPubSub<Topics>({ eventTarget: redisEventTarget(redis, logger) }), {
    available: redis.available,
  });
}

/**
 * The Redis event target, over thin wrappers that add the key prefix to
 * channels and turn a failed PUBLISH or SUBSCRIBE into a log line (the target
 * does not await them, and an unhandled rejection would stop the process).
 */
function redisEventTarget(redis: SharedRedis, logger?: Logger) {
  const prefix = `${redis.keyPrefix}events:`;
  const report = (what: string) => (error: unknown) =>
    logger?.error({ err: error }, `${what} failed: subscribers on other instances miss this change`);
  const publishClient = {
    publish: (channel: string, message: string) =>
      redis.commands.publish(prefix + channel, message).catch(report('publishing a change')),
  };
  const subscribeClient = {
    on: (_event: 'message', listener: (channel: string, message: string) => void) =>
      redis.subscriber.on('message', (channel: string, message: string) => {
        if (!channel.startsWith(prefix)) return;
        try {
          listener(channel.slice(prefix.length), message);
        } catch (error) {
          // Something else published on our channel: not ours to deliver.
          logger?.warn({ err: error, channel }, 'ignored a message that is not a change event');
        }
      }),
    subscribe: (channel: string) => redis.subscriber.subscribe(prefix + channel).catch(report('subscribing')),
    unsubscribe: (channel: string) => redis.subscriber.unsubscribe(prefix + channel).catch(report('unsubscribing')),
  };
  return createRedisEventTarget({
    publishClient: publishClient as unknown as Redis,
    subscribeClient: subscribeClient as unknown as Redis,
  }) as PubSubEventTarget<Topics>;
}

/** Every change is news for its organisation; processor changes also for their own topic. */
export function publishChange(bus: EventBus, event: ChangeEvent) {
  bus.publish('organisationChanged', event.organisationSlug, event);
  if (event.entityType === 'Processor') bus.publish('processorChanged', event.organisationSlug, event);
}

/** The committed changes of a write, as notifications. */
export function publishChanges(bus: EventBus, changes: RecordedChange[], at: Date) {
  for (const c of changes) {
    // Shared reference data and keys belong to no organisation's feed.
    if (c.owner.kind !== 'organisation') continue;
    publishChange(bus, {
      action: c.action,
      changedFields: c.changedFields,
      at,
      entityType: c.typename,
      entityId: c.id,
      organisationSlug: c.owner.organisationSlug,
      visibility: c.visibility,
      ...(c.position !== undefined ? { position: String(c.position) } : {}),
    });
  }
}
