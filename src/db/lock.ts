// One owner per embedded data directory. PGlite is one process's database: two
// processes that open one directory both start and silently lose each other's
// writes. So whoever opens it (the server, or a command when no server runs)
// first takes an exclusive lock (proper-lockfile: an atomic mkdir whose mtime
// the holder keeps fresh) and records who it is beside it, so that everyone
// else can name the holder — and a command can reach a holding server.
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import path from 'node:path';
import lockfile from 'proper-lockfile';

/** Who holds a data directory; written to `owner.json` inside it. */
export interface Holder {
  pid: number;
  hostname: string;
  user: string;
  role: 'server' | 'command';
  /** The command (`apikey:create`) when a command holds it. */
  command?: string;
  /** The server's HTTP port, once known. */
  port?: number;
  /** The server's control socket (see src/control/), once it listens. */
  socket?: string;
  startedAt: string;
}

export interface DataDirectoryLock {
  dataDir: string;
  holder: Holder;
  /** Records more about the holder (the port, the socket) once known. */
  update(changes: Partial<Holder>): Promise<void>;
  release(): Promise<void>;
}

export class DataDirectoryLockedError extends Error {
  constructor(
    readonly dataDir: string,
    readonly holder: Holder | null,
  ) {
    super(`the data directory ${dataDir} is in use by ${describeHolder(holder)}`);
  }
}

/** A lock whose holder stopped refreshing it for this long is taken over (another machine, a frozen process). */
const STALE_MS = 60_000;
/** How often the holder refreshes the lock's mtime. */
const UPDATE_MS = 2_000;
/** A lock held by a process of this machine that no longer exists is taken over once it is this old. */
const DEAD_HOLDER_MS = UPDATE_MS * 2 + 1_000;

const lockPath = (dataDir: string) => path.join(dataDir, 'owner.lock');
const holderPath = (dataDir: string) => path.join(dataDir, 'owner.json');

export function describeHolder(holder: Holder | null): string {
  if (!holder) return 'another process (starting up; it has not said who it is yet)';
  const what =
    holder.role === 'server'
      ? `a server${holder.port !== undefined ? ` on port ${holder.port}` : ''}`
      : `the command \`npm run ${holder.command ?? '?'}\``;
  const where = holder.hostname === hostname() ? '' : ` on ${holder.hostname}`;
  return `${what} (pid ${holder.pid}${where}, user ${holder.user}, since ${holder.startedAt})`;
}

export async function readHolder(dataDir: string): Promise<Holder | null> {
  try {
    return JSON.parse(await readFile(holderPath(dataDir), 'utf8')) as Holder;
  } catch {
    return null;
  }
}

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * A lock left by a process of this machine that has died (killed, crashed)
 * need not wait out the stale time: once its mtime shows nobody refreshes it,
 * it is removed. A live holder refreshes it every UPDATE_MS, and one that has
 * just taken it has a fresh mtime, so neither is touched.
 */
async function removeIfHolderDied(dataDir: string): Promise<boolean> {
  const holder = await readHolder(dataDir);
  if (!holder || holder.hostname !== hostname() || processExists(holder.pid)) return false;
  const info = await stat(lockPath(dataDir)).catch(() => null);
  if (!info || Date.now() - info.mtimeMs < DEAD_HOLDER_MS) return false;
  await rm(lockPath(dataDir), { recursive: true, force: true });
  return true;
}

/**
 * Takes the data directory (creating it, private to this user, when missing)
 * or throws DataDirectoryLockedError naming who holds it. `onCompromised` is
 * called if the lock is lost while held (someone removed it): the holder must
 * stop writing.
 */
export async function lockDataDirectory(
  dataDir: string,
  who: Pick<Holder, 'role' | 'command' | 'port'>,
  onCompromised: (error: Error) => void,
): Promise<DataDirectoryLock> {
  const dir = path.resolve(dataDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const options = {
    lockfilePath: lockPath(dir),
    realpath: false,
    stale: STALE_MS,
    update: UPDATE_MS,
    retries: 0,
    onCompromised,
  };
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dir, options);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
    if (!(await removeIfHolderDied(dir))) throw new DataDirectoryLockedError(dir, await readHolder(dir));
    try {
      release = await lockfile.lock(dir, options);
    } catch (again) {
      if ((again as NodeJS.ErrnoException).code !== 'ELOCKED') throw again;
      throw new DataDirectoryLockedError(dir, await readHolder(dir));
    }
  }
  const holder: Holder = {
    pid: process.pid,
    hostname: hostname(),
    user: userInfo().username,
    startedAt: new Date().toISOString(),
    ...who,
  };
  const write = async () => {
    // Written whole and renamed into place, so a reader never sees half of it.
    const temporary = `${holderPath(dir)}.${process.pid}.tmp`;
    await writeFile(temporary, `${JSON.stringify(holder, null, 2)}\n`, { mode: 0o600 });
    await rename(temporary, holderPath(dir));
  };
  try {
    await write();
  } catch (error) {
    await release();
    throw error;
  }
  let released = false;
  return {
    dataDir: dir,
    holder,
    async update(changes) {
      Object.assign(holder, changes);
      await write();
    },
    async release() {
      if (released) return;
      released = true;
      await rm(holderPath(dir), { force: true });
      await release().catch(() => undefined);
    },
  };
}
