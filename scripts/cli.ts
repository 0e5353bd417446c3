// Shared by the command-line scripts: which database the configuration names.
import type { Config } from '../src/config.js';
import type { DatabaseTarget } from '../src/db/client.js';

export function databaseTarget(config: Config): DatabaseTarget {
  return config.database.kind === 'pglite'
    ? { kind: 'pglite', dataDir: config.database.dataDir }
    : { kind: 'postgres', url: config.database.url, poolSize: 2 };
}
