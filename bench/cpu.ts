// What a server spends: CPU time per request, read from the kernel's account
// of the server process (user + system), and where it went, from a V8 CPU
// profile summarised by package.
import { readFileSync } from 'node:fs';

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** The process's CPU time so far, in ms, or null where /proc is not there. */
export function cpuMs(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces, in parentheses): utime is the 14th, stime the 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
}

/** A CPU profile's busy time by package (or node internals, or the project's own code), largest first. */
export function profileSummary(file: string, top = 10): { where: string; share: number }[] {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const time = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id)!.callFrame;
    if (frame.functionName === '(idle)') return;
    const pkg = /node_modules\/((@[^/]+\/)?[^/]+)/.exec(frame.url)?.[1];
    const where =
      pkg ??
      (frame.url.includes('/src/')
        ? 'this project'
        : frame.url.startsWith('node:')
          ? 'node'
          : frame.url.startsWith('wasm:')
            ? 'WebAssembly'
            : frame.functionName || 'other');
    const dt = profile.timeDeltas[i] ?? 0;
    busy += dt;
    time.set(where, (time.get(where) ?? 0) + dt);
  });
  return [...time]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([where, t]) => ({ where, share: Math.round((1000 * t) / busy) / 10 }));
}
