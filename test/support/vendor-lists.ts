// Real TCF Global Vendor Lists for tests, from the @cookiehub/iabtcf-testing
// package (a devDependency): the lists are read where the package installs
// them and never copied into this repository.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { systemCaller } from '../../src/auth/actor.js';
import type { Database } from '../../src/db/client.js';
import { Writer } from '../../src/domain/writer.js';
import { importVendorDocument } from '../../src/tcf/document.js';

const require = createRequire(import.meta.url);

/** A file of the package's vendor lists: "v2/vendor-list-v50.json", "v2.2/vendor-list-v17.json", "v2/purposes-de.json". */
export const vendorListFile = (name: string) => require.resolve(`@cookiehub/iabtcf-testing/lib/vendorlist/${name}`);

/** Imports a list or translation file as the command line does, and returns the report. */
export async function importVendorListFile(db: Database, file: string, language?: string) {
  const outcome = await importVendorDocument(
    new Writer({ prisma: db.prisma }),
    { caller: systemCaller('test'), requestId: `import ${path.basename(file)}` },
    await readFile(file, 'utf8'),
    { language },
  );
  if (!outcome.ok) throw new Error(`${file}: ${JSON.stringify(outcome.userErrors)}`);
  return outcome.report;
}
