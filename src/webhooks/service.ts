// What the GraphQL layer and the server need of webhooks: the settings, the
// box that seals and opens secrets (null when this server has no key), and the
// delivery worker (started by src/server.ts where WEBHOOK_WORKER is on).
import type { WebhookSettings } from '../config.js';
import type { PrismaClient } from '../db/client.js';
import type { Writer } from '../domain/writer.js';
import type { Logger } from '../logger.js';
import { secretBox, type SecretBox } from './secrets.js';
import { WebhookWorker } from './worker.js';

export interface WebhookServices {
  settings: WebhookSettings;
  box: SecretBox | null;
  worker: WebhookWorker;
  /** Why webhooks cannot be created or delivered here, or null. */
  unavailable: string | null;
}

export function webhookServices(options: {
  prisma: PrismaClient;
  writer: Writer;
  settings: WebhookSettings;
  logger: Logger;
}): WebhookServices {
  const { settings } = options;
  const box = settings.secretsKey ? secretBox(settings.secretsKey) : null;
  return {
    settings,
    box,
    worker: new WebhookWorker({ ...options, box }),
    unavailable: box
      ? null
      : 'webhooks need WEBHOOK_SECRETS_KEY on a PostgreSQL server (the same 32-byte key on every instance): their signing secrets are stored encrypted with it',
  };
}
