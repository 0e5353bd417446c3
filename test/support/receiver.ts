// A webhook receiver on loopback, as an integrator would run one: it records
// every request (headers and body) and answers as the test says — 2xx, an
// error, a redirect, slowly — or is not there at all while "down".
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  /** The path asked for: give each webhook its own to tell their deliveries apart. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface Receiver {
  url: string;
  port: number;
  received: Received[];
  /** What was received at one path. */
  at(path: string): Received[];
  /** What to answer: a status, optionally after a delay, with headers. */
  answer: { status: number; delayMs?: number; headers?: Record<string, string> };
  /** Stops listening (connections are refused) until `up`. */
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(port = 0): Promise<Receiver> {
  const received: Received[] = [];
  const state: Receiver['answer'] = { status: 204 };
  let server: Server | null = null;
  const listen = (at: number) =>
    new Promise<number>((resolve, reject) => {
      const s = createServer((req, res) => {
        let body = '';
        req.on('data', (d) => (body += String(d)));
        req.on('end', () => {
          received.push({ path: req.url ?? '', headers: req.headers, body, at: Date.now() });
          const { status, delayMs, headers } = receiver.answer;
          const reply = () => {
            res.writeHead(status, headers);
            res.end();
          };
          if (delayMs) setTimeout(reply, delayMs);
          else reply();
        });
      });
      s.once('error', reject);
      s.listen(at, '127.0.0.1', () => {
        server = s;
        resolve((s.address() as AddressInfo).port);
      });
    });
  const stop = () =>
    new Promise<void>((resolve) => {
      if (!server) return resolve();
      const s = server;
      server = null;
      s.close(() => resolve());
      s.closeAllConnections();
    });
  const chosen = await listen(port);
  const receiver: Receiver = {
    url: `http://127.0.0.1:${chosen}/hooks`,
    port: chosen,
    received,
    at: (path) => received.filter((r) => r.path === path),
    answer: state,
    down: stop,
    up: async () => {
      await listen(chosen);
    },
    close: stop,
  };
  return receiver;
}
