// Serves the commands (src/commands/) on the control socket, inside the
// running server: a key created or revoked, a manifest loaded, takes effect
// on the server's next request, and its caches and subscribers hear of it.
import { createServer, type Server } from 'node:http';
import { chmod, rm } from 'node:fs/promises';
import { CommandError, isCommandName, runCommand, type CommandServices } from '../commands/index.js';
import type { Logger } from '../logger.js';
import type { ControlMessage } from './channel.js';

const MAX_BODY_BYTES = 10_000_000;

export interface ControlServer {
  socketPath: string;
  close(): Promise<void>;
}

export async function startControlServer(
  socketPath: string,
  services: Omit<CommandServices, 'progress' | 'user'>,
  logger: Logger,
): Promise<ControlServer> {
  const server: Server = createServer((req, res) => {
    const name = /^\/commands\/([\w:-]+)$/.exec(req.url ?? '')?.[1];
    if (req.method !== 'POST' || !name || !isCommandName(name)) {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'NOT_FOUND', message: `no command ${req.method} ${req.url}` } }));
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) req.destroy();
      else chunks.push(chunk);
    });
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-ndjson' });
      const send = (message: ControlMessage) => res.write(`${JSON.stringify(message)}\n`);
      let body: { input?: unknown; user?: string };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      } catch {
        send({ error: { code: 'INVALID_INPUT', message: 'the request body is not JSON' } });
        res.end();
        return;
      }
      const started = performance.now();
      runCommand(
        { ...services, user: body.user, progress: (done, total) => send({ progress: [done, total] }) },
        name,
        body.input,
      )
        .then(
          (result) => {
            logger.info({ command: name, ms: Math.round(performance.now() - started) }, 'ran a command');
            send({ result });
          },
          (error: unknown) => {
            if (error instanceof CommandError) {
              logger.info({ command: name, code: error.code }, `a command was refused: ${error.message}`);
              send({ error: error.toJSON() });
            } else {
              logger.error({ err: error, command: name }, 'a command failed');
              send({ error: { code: 'FAULT', message: (error as Error)?.message ?? String(error) } });
            }
          },
        )
        .finally(() => res.end());
    });
  });
  // Commands may take long (a big manifest); the caller is this machine's user, waiting.
  server.requestTimeout = 0;
  // A socket left by a server that was killed would refuse the bind; the lock says it is ours now.
  await rm(socketPath, { force: true });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => {
      server.off('error', reject);
      resolve();
    });
  });
  await chmod(socketPath, 0o600);
  return {
    socketPath,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }).then(() => rm(socketPath, { force: true })),
  };
}
