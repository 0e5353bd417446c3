// Authoring a migration offline (`npm run db:diff`): prints the SQL from the
// state prisma/migrations leave a database in to prisma/schema.prisma, or says
// there is no difference. With `--name <name>` it also writes that SQL to
// prisma/migrations/<UTC timestamp>_<name>/migration.sql, as `prisma migrate
// dev --create-only` would; review it before applying (`npm run db:migrate`).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { MIGRATIONS_DIR } from '../src/db/migrate.js';
import { diffMigrationsToSchema } from './migration-diff.js';

const { values } = parseArgs({ options: { name: { type: 'string' } } });

const diff = await diffMigrationsToSchema();
if (diff.empty) {
  console.log('No difference: the migrations already produce prisma/schema.prisma.');
  if (values.name !== undefined) console.log('No migration written.');
  process.exit(0);
}
process.stdout.write(diff.sql);

if (values.name !== undefined) {
  // Prisma's own naming: a UTC timestamp to the second, then the name in snake case.
  const slug = values.name
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!slug) throw new Error('--name needs at least one letter or digit');
  const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
  const dir = path.join(MIGRATIONS_DIR, `${stamp}_${slug}`);
  await mkdir(dir);
  await writeFile(path.join(dir, 'migration.sql'), diff.sql);
  console.error(`\nwrote ${path.relative(process.cwd(), path.join(dir, 'migration.sql'))}`);
}
