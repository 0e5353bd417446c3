// A PostgreSQL cluster of a test's own, on a free loopback port, that the test
// may stop and start (the outage test). The server refuses to run as root, so
// as root it runs as the postgres user.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export function postgresBinaries(): string | null {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return null;
  const versions = readdirSync(root).sort((a, b) => Number(b) - Number(a));
  for (const v of versions) if (existsSync(path.join(root, v, 'bin', 'pg_ctl'))) return path.join(root, v, 'bin');
  return null;
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function startCluster(bin: string) {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'privacy-facts-outage-'));
  const port = await freePort();
  const root = process.getuid?.() === 0;
  if (root)
    chownSync(
      dir,
      Number(execFileSync('id', ['-u', 'postgres']).toString()),
      Number(execFileSync('id', ['-g', 'postgres']).toString()),
    );
  const run = (command: string) =>
    root
      ? execFileSync('su', ['postgres', '-s', '/bin/sh', '-c', command], { stdio: 'pipe' })
      : execFileSync('sh', ['-c', command], { stdio: 'pipe' });
  const data = path.join(dir, 'data');
  run(`${bin}/initdb -D '${data}' -U postgres --auth=trust -E UTF8`);
  const start = () =>
    run(`${bin}/pg_ctl -D '${data}' -o '-p ${port} -k ${dir} -c listen_addresses=127.0.0.1' -l '${dir}/log' -w start`);
  const stop = () => run(`${bin}/pg_ctl -D '${data}' -m fast -w stop`);
  start();
  return {
    url: `postgresql://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    destroy: () => {
      try {
        run(`${bin}/pg_ctl -D '${data}' -m immediate stop`);
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
