// PostGraphile 5 over the same database: the schema it generates from the
// tables Prisma created, served by grafserv on node:http. The comparison
// point for "a GraphQL API generated straight from PostgreSQL". Installed in
// bench/peer/ by the benchmark itself (bench/peer.ts), not by `npm install`.
//   DATABASE_URL=postgres://… PORT=… node bench/peer/server.mjs
import { createServer } from 'node:http';
import console from 'node:console';
import process from 'node:process';
import pg from 'pg';
import { postgraphile } from 'postgraphile';
import { makePgService } from 'postgraphile/adaptors/pg';
import { grafserv } from 'postgraphile/grafserv/node';
import { PostGraphileAmberPreset } from 'postgraphile/presets/amber';

// PostGraphile 5 declares Node >= 22 and calls Promise.withResolvers, which Node 20
// (this project's runtime) lacks: the only Node 22 API it needs, supplied here.
Promise.withResolvers ??= () => {
  let resolve;
  let reject;
  const promise = new Promise((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

const connectionString = process.env.DATABASE_URL;
if (!connectionString) throw new Error('DATABASE_URL is required');
// The same pool size as the API's (src/db/client.ts), so neither gets more connections.
const pool = new pg.Pool({ connectionString, max: 10 });

const pgl = postgraphile({
  extends: [PostGraphileAmberPreset],
  pgServices: [makePgService({ pool, schemas: ['public'] })],
  grafserv: { graphqlPath: '/graphql', graphiql: false, watch: false },
  grafast: { explain: false },
});
const serv = pgl.createServ(grafserv);
const server = createServer();
server.on('error', (error) => {
  console.error(error);
  process.exit(1);
});
await serv.addTo(server);
server.listen(Number(process.env.PORT ?? 5678), '127.0.0.1');

const stop = async () => {
  server.close();
  // Releasing the instance releases its grafserv too.
  await pgl.release();
  await pool.end();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
