// Configuration is validated at start; a bad value names its variable.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('configuration', () => {
  it('defaults to the embedded database in ./data on port 4000', () => {
    const config = loadConfig({});
    expect(config.database).toEqual({ kind: 'pglite', dataDir: './data' });
    expect(config.port).toBe(4000);
    expect(config.log.format).toBe('pretty');
  });

  it('uses a PostgreSQL server for a postgres:// URL and JSON logs in production', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/facts', NODE_ENV: 'production' });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://u:p@db:5432/facts' });
    expect(config.log.format).toBe('json');
    expect(config.graphiql).toBe(false);
  });

  it('names each bad variable', () => {
    expect(() => loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' })).toThrow(ConfigError);
    try {
      loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x' });
    } catch (error) {
      expect((error as Error).message).toMatch(/PORT:/);
      expect((error as Error).message).toMatch(/DATABASE_URL: must be a postgres:\/\/ URL/);
    }
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: '' }).database.kind).toBe('pglite');
  });

  it('shares state through Redis and reads from replicas only when asked, and names bad values', () => {
    const plain = loadConfig({});
    expect(plain.redis).toBeUndefined();
    expect(plain.replicaUrls).toEqual([]);
    const scaled = loadConfig({
      DATABASE_URL: 'postgres://db/facts',
      DATABASE_REPLICA_URLS: 'postgres://replica-1/facts, postgres://replica-2/facts',
      REDIS_URL: 'redis://cache:6379',
    });
    expect(scaled.redis).toEqual({ url: 'redis://cache:6379', keyPrefix: 'privacy-facts:' });
    expect(scaled.replicaUrls).toEqual(['postgres://replica-1/facts', 'postgres://replica-2/facts']);
    expect(() => loadConfig({ REDIS_URL: 'localhost:6379' })).toThrow(/REDIS_URL: must be a redis:\/\//);
    expect(() => loadConfig({ DATABASE_REPLICA_URLS: 'postgres://replica/facts' })).toThrow(
      /DATABASE_REPLICA_URLS: replicas need a primary/,
    );
    expect(() => loadConfig({ DATABASE_URL: 'postgres://db/facts', DATABASE_REPLICA_URLS: 'mysql://x' })).toThrow(
      /DATABASE_REPLICA_URLS/,
    );
  });

  it('webhooks: delivered by every server, to public addresses, with secrets sealed by a 32-byte key', () => {
    const plain = loadConfig({});
    expect(plain.webhooks).toMatchObject({
      worker: true,
      allowPrivateTargets: false,
      secretsKey: null,
      maxAttempts: 15,
    });
    expect(plain.changeFeed).toEqual({ tail: 'auto', pollMs: 1000 });
    const hex = 'ab'.repeat(32);
    expect(loadConfig({ WEBHOOK_SECRETS_KEY: hex }).webhooks.secretsKey).toEqual(Buffer.from(hex, 'hex'));
    const base64 = Buffer.alloc(32, 7).toString('base64');
    expect(loadConfig({ WEBHOOK_SECRETS_KEY: base64 }).webhooks.secretsKey).toEqual(Buffer.alloc(32, 7));
    expect(() => loadConfig({ WEBHOOK_SECRETS_KEY: 'short' })).toThrow(/WEBHOOK_SECRETS_KEY: must be 32 bytes/);
    expect(() => loadConfig({ WEBHOOK_TIMEOUT_MS: '5' })).toThrow(/WEBHOOK_TIMEOUT_MS/);
    expect(() => loadConfig({ CHANGE_FEED_TAIL: 'sometimes' })).toThrow(/CHANGE_FEED_TAIL/);
    expect(loadConfig({ WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true' }).webhooks.allowPrivateTargets).toBe(true);
  });
});
