// The naive baseline: graphql-js `buildSchema`, plain resolvers that run one
// SQL query per object or relation through `pg`, served by node:http.
//   DATABASE_URL=postgres://… PORT=… node --import tsx bench/naive/server.ts
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { buildSchema, graphql } from 'graphql';
import pg from 'pg';
import { makeContext, rootValue } from './resolvers.js';

const connectionString = process.env.DATABASE_URL;
if (!connectionString) throw new Error('DATABASE_URL is required');
// Dates as PostgreSQL prints them ("2023-06-01"), as the API answers them.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);
// The same pool size as the API's (src/db/client.ts).
const pool = new pg.Pool({ connectionString, max: 10 });
const schema = buildSchema(readFileSync(new URL('./schema.graphql', import.meta.url), 'utf8'));

const server = createServer(async (req, res) => {
  if (req.method !== 'POST' || req.url !== '/graphql') {
    res.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  let body: { query?: string; variables?: Record<string, unknown> };
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    res.writeHead(400, { 'content-type': 'application/json' }).end('{"errors":[{"message":"invalid JSON"}]}');
    return;
  }
  const result = await graphql({
    schema,
    source: body.query ?? '',
    rootValue,
    contextValue: makeContext(pool),
    variableValues: body.variables ?? null,
  });
  const payload = JSON.stringify(result);
  res.writeHead(200, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(payload),
  });
  res.end(payload);
});
server.listen(Number(process.env.PORT ?? 5679), '127.0.0.1');

const stop = () => server.close(() => void pool.end().then(() => process.exit(0)));
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
