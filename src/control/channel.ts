// The server's control channel: the command-line scripts reach the running
// server over a Unix domain socket that only this machine's user can open
// (it lives in a 0700 directory inside the data directory, and is itself 0600).
// The protocol is JSON over HTTP: `POST /commands/<name>` with the command's
// input as the body; the answer streams JSON lines, `{"progress":[done,total]}`
// while it works and one `{"result":…}` or `{"error":{code,message,details}}`.
import { createHash } from 'node:crypto';
import { chmod, lstat, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Longer socket paths do not fit in sockaddr_un (108 bytes on Linux, 104 on macOS). */
const MAX_SOCKET_PATH = 100;

export type ControlMessage =
  | { progress: [done: number, total: number] }
  | { result: unknown }
  | { error: { code: string; message: string; details?: string[] } };

/**
 * Where the server of this data directory listens, its directory created
 * private to this user. Inside the data directory when the path is short
 * enough, else in a private directory under the system's temporary one, named
 * after the data directory; either way recorded in the lock's holder file.
 */
export async function prepareSocketPath(dataDir: string): Promise<string> {
  let dir = path.join(dataDir, 'run');
  if (path.join(dir, 'control.sock').length > MAX_SOCKET_PATH) {
    const digest = createHash('sha256').update(path.resolve(dataDir)).digest('hex').slice(0, 16);
    dir = path.join(tmpdir(), `privacy-facts-${process.getuid?.() ?? 'user'}`, digest);
  }
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const info = await lstat(dir);
  if (!info.isDirectory() || (process.getuid && info.uid !== process.getuid())) {
    throw new Error(`${dir} is not a directory of this user: cannot place the control socket there safely`);
  }
  await chmod(dir, 0o700);
  return path.join(dir, 'control.sock');
}
