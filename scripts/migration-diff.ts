// The SQL that takes a database from the state prisma/migrations leave it in
// to the one prisma/schema.prisma describes: what `prisma migrate diff
// --from-migrations … --to-schema …` prints, computed offline. Prisma 7's CLI
// runs that in a native schema engine it would have to download; here
// Prisma's schema engine compiled to WebAssembly (@prisma/schema-engine-wasm,
// the build that matches the client's engines) runs in-process instead, with
// an in-memory PGlite behind the driver adapter it talks to: the migrations
// are replayed into it as the shadow database and compared with the schema.
// The engine's JavaScript API is undocumented; this is how Prisma 6's CLI
// drove it.
import { readdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { MigrationList, SchemaEngine } from '@prisma/schema-engine-wasm/schema_engine_bg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { MIGRATIONS_DIR } from '../src/db/migrate.js';

export const SCHEMA_FILE = fileURLToPath(new URL('../prisma/schema.prisma', import.meta.url));

export interface MigrationDiff {
  /** True when the migrations already produce the schema. */
  empty: boolean;
  /** The migration script; Prisma's "-- This is an empty migration." when there is nothing to do. */
  sql: string;
}

let engineClass: Promise<typeof SchemaEngine> | undefined;

/** Instantiates the WebAssembly module once, as wasm-bindgen's own loader would (Node cannot import .wasm). */
function loadEngine(): Promise<typeof SchemaEngine> {
  engineClass ??= (async () => {
    const bindings = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const wasmFile = path.join(
      path.dirname(createRequire(import.meta.url).resolve('@prisma/schema-engine-wasm/schema_engine_bg')),
      'schema_engine_bg.wasm',
    );
    const instance = new WebAssembly.Instance(new WebAssembly.Module(await readFile(wasmFile)), {
      './schema_engine_bg.js': bindings,
    });
    const exports = instance.exports as WebAssembly.Exports & { __wbindgen_start(): void };
    bindings.__wbg_set_wasm(exports);
    exports.__wbindgen_start();
    return bindings.SchemaEngine;
  })();
  return engineClass;
}

/** The migrations folder as the engine reads it (the shape Prisma's CLI passes). */
export async function migrationList(dir = MIGRATIONS_DIR): Promise<MigrationList> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort();
  const lockfile = path.join(dir, 'migration_lock.toml');
  return {
    baseDir: dir,
    lockfile: { path: 'migration_lock.toml', content: await readFile(lockfile, 'utf8').catch(() => null) },
    shadowDbInitScript: '',
    migrationDirectories: await Promise.all(
      names.map(async (name) => ({
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: { tag: 'ok' as const, value: await readFile(path.join(dir, name, 'migration.sql'), 'utf8') },
        },
      })),
    ),
  };
}

export async function diffMigrationsToSchema(
  options: { schemaFile?: string; migrationsDir?: string } = {},
): Promise<MigrationDiff> {
  const schemaFile = options.schemaFile ?? SCHEMA_FILE;
  const schema = await readFile(schemaFile, 'utf8');
  const Engine = await loadEngine();
  // One in-memory PGlite serves as the shadow database the migrations are
  // replayed into and as the engine's own connection, which a diff between
  // migrations and a schema never reads. (The adapter's own shadow database
  // would be a second instance, never closed.)
  const database = new PGlite();
  const pglite = new PrismaPGlite(database);
  const factory: SqlMigrationAwareDriverAdapterFactory = {
    provider: pglite.provider,
    adapterName: pglite.adapterName,
    connect: () => pglite.connect(),
    connectToShadowDb: () => pglite.connect(),
  };
  const engine = await Engine.new(
    { datamodels: [[schemaFile, schema]] },
    () => undefined,
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  try {
    const result = await engine.diff({
      from: { tag: 'migrations', ...(await migrationList(options.migrationsDir)) },
      to: { tag: 'schemaDatamodel', files: [{ path: schemaFile, content: schema }] },
      script: true,
      // Exit code 2 when the diff is not empty, as `migrate diff --exit-code`.
      exitCode: true,
      filters: { externalTables: [], externalEnums: [] },
    });
    return { empty: result.exitCode === 0, sql: result.stdout ?? '' };
  } finally {
    engine.free();
    await database.close();
  }
}
