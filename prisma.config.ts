// Prisma CLI configuration (Prisma 7). The CLI is used only for `prisma
// generate` (scripts/prisma-generate.ts): migrations are applied by the
// project's own migrator (src/db/migrate.ts) and authored with `npm run
// db:diff` (scripts/db-diff.ts), because Prisma 7's migrate commands need a
// native schema engine that cannot be downloaded here.
import path from 'node:path';
import { defineConfig } from 'prisma/config';

const databaseUrl = process.env.DATABASE_URL ?? '';

export default defineConfig({
  schema: path.join('prisma', 'schema.prisma'),
  migrations: { path: path.join('prisma', 'migrations') },
  // Only a PostgreSQL server has a URL; the embedded database (the default) has none.
  ...(/^postgres(ql)?:\/\//.test(databaseUrl) ? { datasource: { url: databaseUrl } } : {}),
});
