// Prisma CLI configuration: Rust-free, migrations through a JavaScript driver
// adapter so nothing is downloaded. PGlite by default; a PostgreSQL server
// when DATABASE_URL is a postgres:// URL.
import path from 'node:path';
import type { SqlMigrationAwareDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import { defineConfig } from 'prisma/config';

const databaseUrl = process.env.DATABASE_URL ?? '';
const usesServer = /^postgres(ql)?:\/\//.test(databaseUrl);
// The schema must always validate, so the CLI sees a syntactically valid URL.
if (!usesServer) process.env.DATABASE_URL = 'postgresql://pglite@localhost/pglite';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  async adapter() {
    if (usesServer) {
      // adapter-pg 6.19 cannot read migration metadata from a server
      // (prisma/orm#27403); 7.x can, and is used only here.
      const { PrismaPg } = await import('@prisma/adapter-pg-migrate');
      return new PrismaPg({ connectionString: databaseUrl });
    }
    const { PGlite } = await import('@electric-sql/pglite');
    const { PrismaPGlite } = await import('pglite-prisma-adapter');
    // The CLI never touches the embedded database's directory: it would leave it
    // unclean on exit. The server migrates that one itself at start
    // (src/db/migrate.ts); here an in-memory instance serves `migrate diff`.
    // pglite-prisma-adapter pins an older driver-adapter-utils; the runtime contract is the same.
    return new PrismaPGlite(new PGlite()) as unknown as SqlMigrationAwareDriverAdapterFactory;
  },
});
