// How each server under test is started. All listen on 127.0.0.1 only.
import { fileURLToPath } from 'node:url';
import { freePort, startChild, waitForServer, type Child } from './proc.js';
import type { ServerName } from './report.js';

export const ROOT = fileURLToPath(new URL('..', import.meta.url));

export interface RunningServer {
  name: ServerName;
  url: string;
  child: Child;
}

function apiEnv(databaseUrl: string, port: number, cache: boolean, redisUrl?: string): Record<string, string> {
  return {
    ...(redisUrl ? { REDIS_URL: redisUrl } : {}),
    DATABASE_URL: databaseUrl,
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'silent',
    NODE_ENV: 'production',
    RESPONSE_CACHE: String(cache),
    // Rate limits would cap the load generator's requests, not measure the server.
    RATE_LIMIT_PER_MINUTE: '0',
    RATE_LIMIT_KEY_PER_MINUTE: '0',
    SEED_ON_START: 'false',
  };
}

const tsx = (script: string, profileDir?: string) => [
  process.execPath,
  // The API's servers write a CPU profile when they stop: where their time went (bench/cpu.ts).
  ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
  '--import',
  'tsx',
  script,
];

function command(
  name: ServerName,
  databaseUrl: string,
  port: number,
  responsesFile: string,
  redisUrl?: string,
  profileDir?: string,
) {
  const profile = profileDir && `${profileDir}/${name}`;
  switch (name) {
    case 'api':
      return { argv: tsx('src/server.ts', profile), env: apiEnv(databaseUrl, port, false) };
    case 'api+cache':
      return { argv: tsx('src/server.ts', profile), env: apiEnv(databaseUrl, port, true) };
    // Shared state as several instances run it: cache, rate-limit counters and notifications in Redis.
    case 'api+redis':
      if (!redisUrl) throw new Error('redis-server is not installed');
      return { argv: tsx('src/server.ts', profile), env: apiEnv(databaseUrl, port, true, redisUrl) };
    case 'ceiling':
      return { argv: tsx('bench/ceiling.ts'), env: { PORT: String(port), BENCH_RESPONSES: responsesFile } };
    case 'naive':
      return { argv: tsx('bench/naive/server.ts'), env: { DATABASE_URL: databaseUrl, PORT: String(port) } };
    case 'postgraphile':
      return {
        argv: [process.execPath, 'bench/peer/server.mjs'],
        env: { DATABASE_URL: databaseUrl, PORT: String(port), GRAPHILE_ENV: 'production' },
      };
  }
}

/** Starts one server pinned to `cpus` and waits until it answers. */
export async function startServer(
  name: ServerName,
  options: { databaseUrl: string; responsesFile: string; cpus: string | null; redisUrl?: string; profileDir?: string },
): Promise<RunningServer> {
  const port = await freePort();
  const { argv, env } = command(
    name,
    options.databaseUrl,
    port,
    options.responsesFile,
    options.redisUrl,
    options.profileDir,
  );
  // Only what a process needs to run: settings from the caller's shell must not change what is measured.
  const base = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp' };
  const child = startChild(name, argv, { env: { ...base, ...env }, cwd: ROOT, cpus: options.cpus });
  const url = `http://127.0.0.1:${port}/graphql`;
  await waitForServer(child, url);
  return { name, url, child };
}
