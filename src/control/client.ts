// The command-line side of the control channel: runs a command in the server
// that holds the data directory and returns its result.
import { request } from 'node:http';
import { userInfo } from 'node:os';
import { CommandError, type CommandErrorCode } from '../commands/types.js';
import type { ControlMessage } from './channel.js';

/** The server could not be reached on its socket (it is stopping, or was killed). */
export class ControlUnreachableError extends Error {}

export function callServer(
  socketPath: string,
  command: string,
  input: unknown,
  onProgress?: (done: number, total: number) => void,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const req = request(
      { socketPath, method: 'POST', path: `/commands/${command}`, headers: { 'content-type': 'application/json' } },
      (res) => {
        let buffer = '';
        let settled = false;
        const handle = (line: string) => {
          if (!line.trim()) return;
          const message = JSON.parse(line) as ControlMessage;
          if ('progress' in message) onProgress?.(...message.progress);
          else if ('result' in message) {
            settled = true;
            resolve(message.result);
          } else {
            settled = true;
            const { code, message: text, details } = message.error;
            reject(
              code === 'FAULT'
                ? new Error(`the server failed to run ${command}: ${text}`)
                : new CommandError(code as CommandErrorCode, text, details ?? []),
            );
          }
        };
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          buffer += chunk;
          let end;
          while ((end = buffer.indexOf('\n')) >= 0) {
            handle(buffer.slice(0, end));
            buffer = buffer.slice(end + 1);
          }
        });
        res.on('end', () => {
          handle(buffer);
          if (!settled)
            reject(new Error(`the server stopped before ${command} finished; check whether it was applied`));
        });
        res.on('error', reject);
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        error.code === 'ECONNREFUSED' || error.code === 'ENOENT'
          ? new ControlUnreachableError(`the server's control socket ${socketPath} does not answer (${error.code})`)
          : error,
      );
    });
    req.end(JSON.stringify({ input, user: userInfo().username }));
  });
}
