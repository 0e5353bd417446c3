// Loads the seed manifests (manifests/*.yaml) into the configured database.
// Loading is an upsert, so running it again changes nothing. Beside a running
// server it runs in it (see scripts/cli.ts).
import path from 'node:path';
import { cli, parseArguments, runCommand, UsageError } from './cli.js';

const USAGE = 'usage: npm run db:seed';

await cli(async () => {
  const { positionals } = parseArguments(process.argv.slice(2), {}, USAGE);
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`, USAGE);
  const { files } = await runCommand('db:seed', {});
  for (const { file, changes } of files) {
    console.log(`${path.relative(process.cwd(), file) || file}: ${changes.length} changes`);
  }
});
