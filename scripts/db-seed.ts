// Loads the seed manifests (manifests/*.yaml) into the configured database.
// Loading is an upsert, so running it again changes nothing.
import { loadManifestFiles, seedFiles } from '../src/db/seed.js';
import { openForCommand } from './cli.js';

const db = await openForCommand();
try {
  for (const { file, result } of await loadManifestFiles(db.prisma, await seedFiles())) {
    console.log(`${file}: ${result.changes.length} changes`);
  }
} finally {
  await db.close();
}
