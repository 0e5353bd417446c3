// Change notifications. One module owns the pub/sub so that a shared event
// target (Redis) can replace the in-process one without touching resolvers.
import { createPubSub, type PubSub } from 'graphql-yoga';

export type ChangeAction = 'CREATE' | 'UPDATE' | 'DELETE' | 'RETIRE';

export interface ChangeEvent {
  action: ChangeAction;
  changedFields: string[];
  at: Date;
  entityType: string;
  entityId: string;
  organisationSlug: string;
}

type Topics = {
  processorChanged: [organisationSlug: string, event: ChangeEvent];
  organisationChanged: [organisationSlug: string, event: ChangeEvent];
};

export type EventBus = PubSub<Topics>;

export function createEventBus(config?: Parameters<typeof createPubSub<Topics>>[0]): EventBus {
  return createPubSub<Topics>(config);
}

/** Every change is news for its organisation; processor changes also for their own topic. */
export function publishChange(bus: EventBus, event: ChangeEvent) {
  // Shared reference data (supervisory authorities) belongs to no organisation's feed.
  if (!event.organisationSlug) return;
  bus.publish('organisationChanged', event.organisationSlug, event);
  if (event.entityType === 'Processor') bus.publish('processorChanged', event.organisationSlug, event);
}
