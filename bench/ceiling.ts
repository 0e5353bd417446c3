// The ceiling: a bare node:http server that answers each benchmark request
// with the exact bytes the API answered it with, from memory. Nothing can
// serve these responses over HTTP faster on this machine, so it bounds what
// a response cache can reach.
//   BENCH_RESPONSES=responses.json PORT=… node --import tsx bench/ceiling.ts
// responses.json: [{ "request": "<exact POST body>", "response": "<response body>" }, …]
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';

const file = process.env.BENCH_RESPONSES;
if (!file) throw new Error('BENCH_RESPONSES is required');
const entries = JSON.parse(readFileSync(file, 'utf8')) as { request: string; response: string }[];
const responses = new Map(entries.map((e) => [e.request, Buffer.from(e.response, 'utf8')]));

const server = createServer((req, res) => {
  // The body is read in full, as any GraphQL server must, to find the answer.
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = responses.get(Buffer.concat(chunks).toString('utf8'));
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
    res.end(body);
  });
});
server.listen(Number(process.env.PORT ?? 5677), '127.0.0.1');

const stop = () => server.close(() => process.exit(0));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
