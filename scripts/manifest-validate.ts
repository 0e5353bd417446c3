// Validates manifests without touching a database: `npm run manifest:validate -- <file…>`.
import { readFile } from 'node:fs/promises';
import { parseManifest } from '../src/manifest/parse.js';

let failed = false;
for (const file of process.argv.slice(2)) {
  const result = parseManifest(await readFile(file, 'utf8'));
  if (result.ok) {
    console.log(`${file}: valid`);
  } else {
    failed = true;
    for (const p of result.problems) console.error(`${file}: ${p.path}: ${p.message} [${p.code}]`);
  }
}
process.exitCode = failed ? 1 : 0;
