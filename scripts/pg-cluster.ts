// A throwaway PostgreSQL cluster on a free loopback port, for the tests that
// stop and start a server (outage, replicas, several instances) and for the
// benchmark; optionally a streaming replica of one. The server
// refuses to run as root, so as root every PostgreSQL tool runs as `postgres`.
// (.ci/with-postgres does the same in shell for whole test runs.)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export function postgresBinaries(): string | null {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(a) - Number(b)) : [];
  return versions.map((v) => path.join(root, v, 'bin')).findLast((d) => existsSync(path.join(d, 'pg_ctl'))) ?? null;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface Cluster {
  port: number;
  /** The maintenance database's URL (user postgres, trust authentication). */
  url: string;
  urlFor(database: string): string;
  /** Starts the server again after `stop`. */
  start(): void;
  /** Stops the server, keeping its data (a simulated outage). */
  stop(): void;
  /** Stops the server and removes everything. */
  destroy(): void;
}

export interface ClusterOptions {
  settings?: string[];
  cpus?: string | null;
}

/** A new cluster, from initdb. */
export function startCluster(options: ClusterOptions = {}): Promise<Cluster> {
  return makeCluster(options, (bin, data) => `${bin}/initdb -D '${data}' -U postgres --auth=trust -E UTF8 >/dev/null`);
}

/** A streaming replica (hot standby) of a running cluster, copied with pg_basebackup. */
export function startReplica(primary: Cluster, options: ClusterOptions = {}): Promise<Cluster> {
  return makeCluster(
    options,
    (bin, data) => `${bin}/pg_basebackup -D '${data}' -R -X stream -c fast -h 127.0.0.1 -p ${primary.port} -U postgres`,
  );
}

async function makeCluster(options: ClusterOptions, create: (bin: string, data: string) => string): Promise<Cluster> {
  const bin = postgresBinaries();
  if (!bin) throw new Error('PostgreSQL binaries not found under /usr/lib/postgresql (see .ci/with-postgres)');
  const port = await freePort();
  const dir = mkdtempSync(path.join(tmpdir(), 'privacy-facts-pg.'));
  const root = process.getuid?.() === 0;
  if (root) execFileSync('chown', ['postgres', dir]);
  // Runs a tool as `postgres` when we are root, optionally pinned to some CPUs.
  const run = (command: string) => {
    const argv = root ? ['su', 'postgres', '-s', '/bin/sh', '-c', command] : ['/bin/sh', '-c', command];
    const [file, ...args] = options.cpus ? ['taskset', '-c', options.cpus, ...argv] : argv;
    execFileSync(file!, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  };
  const data = path.join(dir, 'data');
  const settings = [`-p ${port}`, `-k ${dir}`, '-c listen_addresses=127.0.0.1', ...(options.settings ?? [])].join(' ');
  const start = () => run(`${bin}/pg_ctl -D '${data}' -o '${settings}' -l '${dir}/log' -w start >/dev/null`);
  const stop = () => run(`${bin}/pg_ctl -D '${data}' -m fast -w stop >/dev/null`);
  const destroy = () => {
    try {
      run(`${bin}/pg_ctl -D '${data}' -m immediate stop >/dev/null 2>&1`);
    } catch {
      // Already stopped; removing the directory is all that is left.
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    run(create(bin, data));
    start();
  } catch (error) {
    destroy();
    throw error;
  }
  const urlFor = (database: string) => `postgresql://postgres@127.0.0.1:${port}/${database}`;
  return { port, url: urlFor('postgres'), urlFor, start, stop, destroy };
}
