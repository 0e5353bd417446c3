// Child processes of the benchmark: each server runs in its own process group
// so that it and anything it spawned can be stopped together, whatever happens.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

export { freePort } from '../scripts/pg-cluster.js';

export const hasTaskset = spawnSync('taskset', ['-V'], { stdio: 'ignore' }).status === 0;

export interface Child {
  name: string;
  process: ChildProcess;
  /** The last lines it wrote, to explain a failed start. */
  output(): string;
}

const children = new Set<Child>();

/** Starts `argv` in `cwd` (pinned to `cpus` when given) in a new process group. */
export function startChild(
  name: string,
  argv: string[],
  options: { env: NodeJS.ProcessEnv; cwd: string; cpus: string | null },
): Child {
  const [file, ...args] = options.cpus && hasTaskset ? ['taskset', '-c', options.cpus, ...argv] : argv;
  const proc = spawn(file!, args, {
    env: options.env,
    cwd: options.cwd,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-4000);
  };
  proc.stdout!.on('data', keep);
  proc.stderr!.on('data', keep);
  const child = { name, process: proc, output: () => tail };
  children.add(child);
  proc.once('exit', () => children.delete(child));
  return child;
}

function signalGroup(child: Child, signal: NodeJS.Signals): void {
  try {
    if (child.process.pid) process.kill(-child.process.pid, signal);
  } catch {
    // The group is already gone.
  }
}

/** SIGTERM to the child's process group, SIGKILL if it is still there after a grace period. */
export async function stopChild(child: Child, graceMs = 3000): Promise<void> {
  if (child.process.exitCode !== null || child.process.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.process.once('exit', () => resolve()));
  signalGroup(child, 'SIGTERM');
  const timer = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), graceMs).unref());
  if ((await Promise.race([exited, timer])) === 'timeout') {
    signalGroup(child, 'SIGKILL');
    await exited;
  }
}

export async function stopAllChildren(): Promise<void> {
  await Promise.all([...children].map((child) => stopChild(child)));
}

/** Kills every child group at once, synchronously: for process exit paths where nothing can be awaited. */
export function killAllChildrenNow(): void {
  for (const child of children) signalGroup(child, 'SIGKILL');
}

/**
 * Waits until a server answers a POST of `{ __typename }` with any status below 500 (the ceiling answers
 * requests it does not know with 404), or the process dies, or the time is up.
 */
export async function waitForServer(child: Child, url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.process.exitCode !== null) {
      throw new Error(`${child.name} exited with code ${child.process.exitCode}:\n${child.output()}`);
    }
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: '{ __typename }' }),
        signal: AbortSignal.timeout(2000),
      });
      if (res.status < 500) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`${child.name} did not answer at ${url} within ${timeoutMs / 1000} s:\n${child.output()}`);
}

/** Runs a command to completion, failing with its output when it fails. */
export function runCommand(argv: string[], env: NodeJS.ProcessEnv, cwd: string): void {
  const [file, ...args] = argv;
  const result = spawnSync(file!, args, { env, cwd, encoding: 'utf8', timeout: 180_000 });
  if (result.status !== 0) {
    throw new Error(
      `${argv.join(' ')} failed (${result.status ?? result.signal}):\n${result.stdout}\n${result.stderr}`,
    );
  }
}
