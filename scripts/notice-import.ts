// Imports a document as one locale of a draft notice version:
//   npm run notice:import -- --organisation <slug> --locale <bcp47> --version <label> --effective <YYYY-MM-DD>
//                            [--notice privacy] [--format markdown|html|text] [--title "…"] <file>
// Prints the sections and warnings found; publish the draft with the API when it reads well.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { SourceFormat } from '../src/notice/import.js';
import { randomUUID } from 'node:crypto';
import { importNotice } from '../src/domain/notice-authoring.js';
import { commandCaller, commandWriter, openForCommand } from './cli.js';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    organisation: { type: 'string' },
    locale: { type: 'string' },
    version: { type: 'string' },
    effective: { type: 'string' },
    notice: { type: 'string', default: 'privacy' },
    format: { type: 'string' },
    title: { type: 'string' },
  },
});
const file = positionals[0];
if (!file || !values.organisation || !values.locale || !values.version || !values.effective) {
  console.error(
    'usage: npm run notice:import -- --organisation <slug> --locale <bcp47> --version <label> --effective <YYYY-MM-DD> <file>',
  );
  process.exit(2);
}

const { organisation, locale, version, effective } = values;
const content = await readFile(file, 'utf8');
const db = await openForCommand();
try {
  let shown = -1;
  const outcome = await commandWriter(db).run({ caller: commandCaller(), requestId: randomUUID() }, (session) =>
    importNotice(
      session,
      {
        organisation,
        notice: values.notice,
        locale,
        version,
        effectiveDate: effective,
        content,
        format: values.format ? (values.format.toUpperCase() as SourceFormat) : null,
        title: values.title,
        filename: path.basename(file),
      },
      (done, total) => {
        // Long documents show their progress in tenths.
        const tenth = Math.floor((done / total) * 10);
        if (total >= 50 && tenth > shown) {
          shown = tenth;
          process.stderr.write(`reading ${file}: ${tenth * 10}% (${done}/${total} blocks)\n`);
        }
      },
    ),
  );
  if (!outcome.ok) {
    for (const e of outcome.userErrors) console.error(`${file}: ${e.field?.join('.') ?? ''}: ${e.message} [${e.code}]`);
    process.exitCode = 1;
  } else {
    const { report } = outcome.value;
    console.log(`${file}: ${report.format.toLowerCase()}, "${report.title ?? ''}", ${report.sections.length} sections`);
    for (const s of report.sections)
      console.log(`${'  '.repeat(Math.max(0, s.level - 1))}- ${s.heading}  #${s.anchor}`);
    for (const w of report.warnings) console.log(`warning: ${w.message} [${w.code}]`);
    console.log(`saved as draft version ${values.version} (${values.locale}); publish it with noticeVersionPublish`);
  }
} finally {
  await db.close();
}
