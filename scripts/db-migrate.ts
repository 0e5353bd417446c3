// Applies pending migrations. On a PostgreSQL server (DATABASE_URL) this is
// Prisma's own `migrate deploy`; the embedded database is migrated in-process
// (the server also does this at start, so beside a running server there is
// nothing left to apply).
import { spawnSync } from 'node:child_process';
import { loadConfig } from '../src/config.js';
import { cli, parseArguments, runCommand, UsageError } from './cli.js';

const USAGE = 'usage: npm run db:migrate';

await cli(async () => {
  const { positionals } = parseArguments(process.argv.slice(2), {}, USAGE);
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`, USAGE);
  if (loadConfig().database.kind === 'postgres') {
    const run = spawnSync('npx', ['prisma', 'migrate', 'deploy'], { stdio: 'inherit', env: process.env });
    process.exitCode = run.status ?? 1;
    return;
  }
  const { applied } = await runCommand('db:migrate', {});
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'no pending migrations');
});
