// Loads the seed manifests (manifests/*.yaml) into the configured database.
// Loading is an upsert, so running it again changes nothing.
import { loadManifestFiles, seedFiles } from '../src/db/seed.js';
import { announceWrite, openForCommand } from './cli.js';

const db = await openForCommand();
// Files before a failing one may have been applied, so a failure counts as a possible write.
let mayHaveWritten = true;
try {
  const loaded = await loadManifestFiles(db.prisma, await seedFiles());
  mayHaveWritten = loaded.some(({ result }) => result.changes.length > 0);
  for (const { file, result } of loaded) {
    console.log(`${file}: ${result.changes.length} changes`);
  }
} finally {
  await db.close();
  if (mayHaveWritten) await announceWrite();
}
