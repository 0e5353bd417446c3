// Loads organisation manifests into the configured database:
//   npm run manifest:load -- [--dry-run] <file…>
// Every file is validated before anything is written; each file is applied in
// one transaction, so a refused manifest leaves the database unchanged.
import { loadManifestFiles, ManifestError } from '../src/db/seed.js';
import { commandCaller, commandWriter, openForCommand } from './cli.js';

const args = process.argv.slice(2);
const dryRun = args.includes('--dry-run');
const files = args.filter((a) => !a.startsWith('--'));
if (files.length === 0) {
  console.error('usage: npm run manifest:load -- [--dry-run] <manifest.yaml…>');
  process.exit(2);
}

const db = await openForCommand();
try {
  {
    const loaded = await loadManifestFiles(db.prisma, files, {
      dryRun,
      writer: commandWriter(db),
      caller: commandCaller(),
    });
    for (const { file, result } of loaded) {
      const verb = dryRun ? 'would change' : 'changed';
      console.log(`${file}: ${result.changes.length === 0 ? 'no changes' : `${verb} ${result.changes.length}`}`);
      for (const c of result.changes) {
        console.log(
          `  ${c.action.padEnd(6)} ${c.entity} ${c.key}${c.fields.length ? ` (${c.fields.join(', ')})` : ''}`,
        );
      }
    }
  }
} catch (error) {
  const errors = error instanceof AggregateError ? error.errors : [error];
  for (const e of errors) console.error(e instanceof ManifestError ? e.message : String((e as Error).message ?? e));
  process.exitCode = 1;
} finally {
  await db.close();
}
