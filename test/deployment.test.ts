// The deployment files (Dockerfile, deploy/) agree with each other and with the API's own configuration checks.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { loadConfig } from '../src/config.js';

const read = (file: string) => readFileSync(new URL(`../${file}`, import.meta.url), 'utf8');
const withoutComments = (text: string) => text.replace(/^\s*#.*$/gm, '');

// Compose honours `<<:` merge keys; YAML 1.2's core schema leaves them off unless asked.
const compose = parse(read('deploy/compose.yaml'), { merge: true });
const services: Record<string, any> = compose.services;
const apiNames = Object.keys(services).filter((name) => name.startsWith('api-'));

/** Compose's `${VAR:-default}` with VAR unset; a bare `${VAR}` becomes empty. */
const interpolate = (value: unknown) =>
  String(value).replace(/\$\{\w+(?::?-([^}]*))?\}/g, (_, fallback) => fallback ?? '');

/** A service's environment, given as a mapping or as a list of KEY=value. */
function environment(service: any): Record<string, string> {
  const env = service.environment ?? {};
  const entries: [string, unknown][] = Array.isArray(env)
    ? env.map((line: string) => [line.replace(/=.*/s, ''), line.replace(/^[^=]*=?/, '')])
    : Object.entries(env);
  return Object.fromEntries(entries.map(([key, value]) => [key, interpolate(value ?? '')]));
}

describe('deploy/compose.yaml', () => {
  it('runs PostgreSQL, Redis, a migration job, two API instances and a proxy', () => {
    expect(Object.keys(services)).toEqual(
      expect.arrayContaining(['postgres', 'redis', 'migrate', 'api-1', 'api-2', 'proxy']),
    );
    expect(services.migrate.restart).toBe('no');
    expect(services.proxy.ports?.length).toBeGreaterThan(0);
    expect(services.proxy.volumes.some((v: string) => v.startsWith('./nginx.conf:'))).toBe(true);
  });

  it.each(apiNames)('starts %s only after the migration job has succeeded and Redis is up', (name) => {
    expect(services[name].depends_on?.migrate?.condition).toBe('service_completed_successfully');
    expect(services[name].depends_on?.redis?.condition).toBe('service_healthy');
  });

  it.each(apiNames)('gives %s an environment the API accepts: PostgreSQL, Redis, no seeding', (name) => {
    const config = loadConfig(environment(services[name]));
    expect(config.env).toBe('production');
    expect(config.database.kind).toBe('postgres');
    expect(config.redis?.url).toMatch(/^rediss?:\/\/redis:/);
    expect(config.seedOnStart).toBe(false);
    expect(config.rateLimit.trustProxy).toBe(true);
  });

  it('migrates the same database the API instances use', () => {
    const config = loadConfig(environment(services.migrate));
    expect(config.database).toEqual(loadConfig(environment(services['api-1'])).database);
  });
});

describe('Dockerfile', () => {
  const stages = withoutComments(read('Dockerfile'))
    .split(/^FROM\s/m)
    .slice(1);
  const final = stages.at(-1) ?? '';

  it('builds in stages and runs the server as node, unprivileged', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const user = [...final.matchAll(/^USER\s+(\S+)/gm)].at(-1)?.[1];
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    // Exec form, so node is PID 1 and gets SIGTERM itself.
    const cmd = [...final.matchAll(/^CMD\s+(.+)$/gm)].at(-1)?.[1] ?? '';
    expect(JSON.parse(cmd)[0]).toBe('node');
  });
});

describe('deploy/nginx.conf', () => {
  const conf = withoutComments(read('deploy/nginx.conf'));
  const upstream = /upstream\s+(\S+)\s*\{([^}]*)\}/.exec(conf);

  it('balances over every API instance in compose', () => {
    const servers = [...(upstream?.[2] ?? '').matchAll(/^\s*server\s+([\w.-]+):(\d+)/gm)];
    expect(servers.map((m) => m[1]).sort()).toEqual([...apiNames].sort());
    expect(servers.every((m) => m[2] === '4000')).toBe(true);
  });

  it('streams /graphql (subscriptions as server-sent events) unbuffered', () => {
    const location = /location\s+(?:[=^~*]+\s*)?\/graphql\S*\s*\{([^}]*)\}/.exec(conf)?.[1] ?? '';
    expect(location).toContain(`proxy_pass http://${upstream?.[1]}`);
    expect(location).toMatch(/proxy_buffering\s+off;/);
  });
});
