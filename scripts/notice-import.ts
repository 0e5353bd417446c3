// Imports a document as one locale of a draft notice version:
//   npm run notice:import -- --organisation <slug> --locale <bcp47> --version <label>
//                            [--effective <YYYY-MM-DD>] [--notice privacy] [--format markdown|html|text] [--title "…"] <file>
// Prints the sections and warnings found; publish the draft with the API when it reads well.
// Beside a running server the import runs in it (see scripts/cli.ts).
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { cli, CliError, parseArguments, runCommand, UsageError } from './cli.js';

const USAGE =
  'usage: npm run notice:import -- --organisation <slug> --locale <bcp47> --version <label>\n' +
  '         [--effective <YYYY-MM-DD>] [--notice privacy] [--format markdown|html|text] [--title "…"] <file>\n' +
  '       without --effective, the date the document states ("Stand: November 2025") is used';

await cli(async () => {
  const { values, positionals } = parseArguments(
    process.argv.slice(2),
    {
      organisation: { type: 'string' },
      locale: { type: 'string' },
      version: { type: 'string' },
      effective: { type: 'string' },
      notice: { type: 'string', default: 'privacy' },
      format: { type: 'string' },
      title: { type: 'string' },
    },
    USAGE,
  );
  const file = positionals[0];
  const missing = (['organisation', 'locale', 'version'] as const).filter((k) => !values[k]);
  if (missing.length > 0) throw new UsageError(`missing ${missing.map((k) => `--${k}`).join(', ')}`, USAGE);
  if (!file) throw new UsageError('no file given', USAGE);
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`, USAGE);
  const format = values.format?.toUpperCase();
  if (format !== undefined && format !== 'MARKDOWN' && format !== 'HTML' && format !== 'TEXT') {
    throw new UsageError(`--format takes markdown, html or text, not "${values.format}"`, USAGE);
  }
  let content: string;
  try {
    content = await readFile(file, 'utf8');
  } catch (error) {
    throw new CliError(
      `cannot read ${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`,
    );
  }

  let shown = -1;
  const result = await runCommand(
    'notice:import',
    {
      organisation: values.organisation!,
      notice: values.notice,
      locale: values.locale!,
      version: values.version!,
      effectiveDate: values.effective ?? null,
      content,
      format: format ?? null,
      title: values.title ?? null,
      filename: path.basename(file),
    },
    {
      progress: (done, total) => {
        // Long documents show their progress in tenths.
        const tenth = Math.floor((done / total) * 10);
        if (total >= 50 && tenth > shown) {
          shown = tenth;
          process.stderr.write(`reading ${file}: ${tenth * 10}% (${done}/${total} blocks)\n`);
        }
      },
    },
  );
  if (result.userErrors.length > 0) {
    for (const e of result.userErrors) console.error(`${file}: ${e.field?.join('.') ?? ''}: ${e.message} [${e.code}]`);
    process.exitCode = 1;
    return;
  }
  const report = result.report!;
  console.log(`${file}: ${report.format.toLowerCase()}, "${report.title ?? ''}", ${report.sections.length} sections`);
  if (report.date) {
    console.log(
      `dated ${report.date.date}${report.date.precision === 'MONTH' ? ' (month)' : ''}: "${report.date.text}"`,
    );
  }
  // Level 2 is the top level (1 is the title).
  for (const s of report.sections) console.log(`${'  '.repeat(Math.max(0, s.level - 2))}- ${s.heading}  #${s.anchor}`);
  for (const w of report.warnings) console.log(`warning: ${w.message} [${w.code}]`);
  const effective = result.version?.effectiveDate ?? values.effective;
  console.log(
    `saved as draft version ${values.version} (${values.locale}), effective ${effective}; publish it with noticeVersionPublish`,
  );
});
