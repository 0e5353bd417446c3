// Applies pending migrations to the configured database, the embedded one or
// a PostgreSQL server (DATABASE_URL), with the project's own migrator: it
// writes Prisma's migration history and takes Prisma's advisory lock, so
// several deploy jobs may run it at once. (The server also migrates the
// embedded database at start, so beside a running server there is nothing
// left to apply.)
import { cli, parseArguments, runCommand, UsageError } from './cli.js';

const USAGE = 'usage: npm run db:migrate';

await cli(async () => {
  const { positionals } = parseArguments(process.argv.slice(2), {}, USAGE);
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`, USAGE);
  const { applied } = await runCommand('db:migrate', {});
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'no pending migrations');
});
