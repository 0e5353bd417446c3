// Loads the seed manifests (manifests/*.yaml) into the configured database.
// Loading is an upsert, so running it again changes nothing.
import { loadManifestFiles, seedFiles } from '../src/db/seed.js';
import { commandCaller, commandWriter, openForCommand } from './cli.js';

const db = await openForCommand();
try {
  const loaded = await loadManifestFiles(db.prisma, await seedFiles(), {
    writer: commandWriter(db),
    caller: commandCaller(),
  });
  for (const { file, result } of loaded) {
    console.log(`${file}: ${result.changes.length} changes`);
  }
} finally {
  await db.close();
}
