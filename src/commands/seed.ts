// Loading the seed manifests (manifests/*.yaml). Loading is an upsert, so
// running it again changes nothing.
import { seedFiles } from '../db/seed.js';
import { loadManifests, type LoadedManifest } from './manifests.js';
import type { CommandServices } from './types.js';

export async function seed(services: CommandServices): Promise<{ files: LoadedManifest[] }> {
  const { files } = await loadManifests(services, { files: await seedFiles(), dryRun: false });
  return { files };
}
