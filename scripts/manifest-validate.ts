// Validates manifests without touching a database: `npm run manifest:validate -- <file…>`.
import { readFile } from 'node:fs/promises';
import { parseManifest } from '../src/manifest/parse.js';
import { cli, parseArguments, UsageError } from './cli.js';

const USAGE = 'usage: npm run manifest:validate -- <manifest.yaml…>';

await cli(async () => {
  const { positionals: files } = parseArguments(process.argv.slice(2), {}, USAGE);
  if (files.length === 0) throw new UsageError('no manifest given', USAGE);
  let failed = false;
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      const why =
        code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'a directory, not a file' : (error as Error).message;
      console.error(`${file}: cannot read it: ${why}`);
      failed = true;
      continue;
    }
    const result = parseManifest(text);
    if (result.ok) {
      console.log(`${file}: valid`);
    } else {
      failed = true;
      for (const p of result.problems) console.error(`${file}: ${p.path}: ${p.message} [${p.code}]`);
    }
  }
  process.exitCode = failed ? 1 : 0;
});
