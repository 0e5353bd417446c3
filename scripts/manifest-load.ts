// Loads organisation manifests into the configured database:
//   npm run manifest:load -- [--dry-run] <file…>
// Every file is validated before anything is written; each file is applied in
// one transaction, so a refused manifest leaves the database unchanged. Beside
// a running server the load runs in it (see scripts/cli.ts).
import path from 'node:path';
import { cli, parseArguments, runCommand, UsageError } from './cli.js';

const USAGE = 'usage: npm run manifest:load -- [--dry-run] <manifest.yaml…>';

await cli(async () => {
  const { values, positionals } = parseArguments(process.argv.slice(2), { 'dry-run': { type: 'boolean' } }, USAGE);
  if (positionals.length === 0) throw new UsageError('no manifest given', USAGE);
  const dryRun = values['dry-run'] ?? false;
  // Absolute, for the server, whose working directory may be another.
  const loaded = await runCommand('manifest:load', { files: positionals.map((f) => path.resolve(f)), dryRun });
  for (const { file, changes } of loaded.files) {
    const shown = path.relative(process.cwd(), file) || file;
    const verb = dryRun ? 'would change' : 'changed';
    console.log(`${shown}: ${changes.length === 0 ? 'no changes' : `${verb} ${changes.length}`}`);
    for (const c of changes) {
      console.log(`  ${c.action.padEnd(6)} ${c.entity} ${c.key}${c.fields.length ? ` (${c.fields.join(', ')})` : ''}`);
    }
  }
});
