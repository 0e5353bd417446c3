// The benchmark's peer, PostGraphile 5, lives in bench/peer/ with its own
// lock file and is installed there the first time the benchmark runs: it
// declares Node >= 22, and as a dependency of the project it made every
// `npm install` print dozens of engine warnings for a tool only `npm run bench` uses.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { runCommand } from './proc.js';
import { ROOT } from './servers.js';

export const PEER_DIR = path.join(ROOT, 'bench', 'peer');

export function ensurePeer(log: (line: string) => void): void {
  if (existsSync(path.join(PEER_DIR, 'node_modules', 'postgraphile'))) return;
  log('installing PostGraphile 5 into bench/peer (first run only)');
  runCommand(['npm', 'ci', '--no-audit', '--no-fund', '--loglevel=error'], process.env, PEER_DIR);
}
