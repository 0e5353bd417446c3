// The server and the command-line scripts as separate processes, the way an
// operator runs them: for tests of what happens between processes (the data
// directory's lock, commands through a running server, start-up errors).
// Every wait is generous: these run on busy 2-core machines.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { freePort } from '../../scripts/pg-cluster.js';

export const root = path.resolve(import.meta.dirname, '../..');
const tsx = path.join(root, 'node_modules/.bin/tsx');

/** Environment for a child: the embedded database in `dataDir`, unless `env` says otherwise. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TMPDIR: process.env.TMPDIR,
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'warn',
    ...env,
  };
}

export interface Finished {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a script of scripts/ to its end. */
export function runScript(name: string, args: string[], env: Record<string, string>): Promise<Finished> {
  return finish(spawn(tsx, [`scripts/${name}.ts`, ...args], { cwd: root, env: childEnv(env) }));
}

function finish(child: ChildProcess): Promise<Finished> {
  const started = Date.now();
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d) => (stdout += String(d)));
  child.stderr?.on('data', (d) => (stderr += String(d)));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code, signal) => resolve({ code, signal, stdout, stderr, ms: Date.now() - started }));
  });
}

export interface ServerProcess {
  child: ChildProcess;
  port: number;
  base: string;
  graphql: string;
  output(): string;
  /** Resolves when the process has exited, with its output. */
  exited: Promise<Finished>;
  /** SIGTERM, and the exit that follows. */
  stop(): Promise<Finished>;
}

/** Starts src/server.ts; call `ready` to wait for it to answer. */
export async function spawnServer(env: Record<string, string>, port?: number): Promise<ServerProcess> {
  const chosen = port ?? (await freePort());
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    env: childEnv({ HOST: '127.0.0.1', PORT: String(chosen), ...env }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = finish(child);
  const lines: string[] = [];
  child.stdout!.on('data', (d) => lines.push(String(d)));
  child.stderr!.on('data', (d) => lines.push(String(d)));
  const base = `http://127.0.0.1:${chosen}`;
  return {
    child,
    port: chosen,
    base,
    graphql: `${base}/graphql`,
    output: () => lines.join(''),
    exited,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** Waits until the server answers /ready with 200; fails with its output if it exits or takes too long. */
export async function ready(server: ServerProcess, ms = 150_000): Promise<ServerProcess> {
  const deadline = Date.now() + ms;
  let gone = false;
  void server.exited.then(() => (gone = true));
  while (Date.now() < deadline && !gone) {
    const answer = await fetch(`${server.base}/ready`).catch(() => null);
    if (answer?.status === 200) return server;
    await new Promise((r) => setTimeout(r, 200));
  }
  server.child.kill('SIGKILL');
  throw new Error(`the server did not become ready (${gone ? 'it exited' : 'timed out'}):\n${server.output()}`);
}

/** Lines of a stack trace, which no message to an operator should contain. */
export const STACK_LINE = /^\s+at /m;
