// Imports an IAB TCF Global Vendor List, or a translation of its definitions:
//   npm run vendors:import -- [--dry-run] [--verbose] [--language <bcp47>] <file.json>
// A list (vendor-list.json, GVL v2 or v3) updates every vendor in one
// transaction: vendors added, changed or marked deleted, each audited and
// announced; the same version twice changes nothing; an older version than
// the latest imported is refused. A translation (purposes-de.json) sets one
// language's texts of the purposes, features and data categories; its
// language is taken from the file name when --language is not given.
// Beside a running server the import runs in it (see scripts/cli.ts).
import path from 'node:path';
import cliProgress from 'cli-progress';
import { cli, parseArguments, runCommand, UsageError } from './cli.js';

const USAGE = 'usage: npm run vendors:import -- [--dry-run] [--verbose] [--language <bcp47>] <vendor-list.json>';
/** More new vendors than this are counted, not listed, unless --verbose. */
const LISTED = 50;

await cli(async () => {
  const { values, positionals } = parseArguments(
    process.argv.slice(2),
    { 'dry-run': { type: 'boolean' }, verbose: { type: 'boolean' }, language: { type: 'string' } },
    USAGE,
  );
  const file = positionals[0];
  if (!file) throw new UsageError('no file given', USAGE);
  if (positionals.length > 1) throw new UsageError(`unexpected argument "${positionals[1]}"`, USAGE);
  const language = values.language ?? /^purposes-([a-z]{2,3}(?:-[a-z0-9]+)*)\.json$/i.exec(path.basename(file))?.[1];

  // The bar is drawn only on a terminal; piped output gets the summary alone.
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: 'vendors {bar} {value}/{total} ({percentage}%)', hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  let result;
  try {
    result = await runCommand(
      'vendors:import',
      { file: path.resolve(file), language: language ?? null, dryRun: values['dry-run'] ?? false },
      {
        progress: (done, total) => {
          if (!started) bar.start(total, 0);
          started = true;
          bar.update(done);
        },
      },
    );
  } finally {
    if (started) bar.stop();
  }
  const dry = result.dryRun ? ' (dry run: nothing written)' : '';
  if (result.kind === 'translation') {
    const d = result.definitions;
    console.log(
      `${file}: ${result.locale} texts of ${d.changed} definitions changed${d.unknown ? `, ${d.unknown} unknown skipped` : ''}`,
    );
  } else {
    const l = result.list;
    const v = result.vendors;
    console.log(
      `${file}: list ${l.specVersion}/${l.version} (TCF policy ${l.policyVersion}, ${l.lastUpdated.slice(0, 10)}), ` +
        `${l.vendorCount} vendors${result.newVersion ? '' : ', imported before'}: ${v.added} added, ` +
        `${v.changed} changed, ${v.deleted} deleted; ${v.unchanged} unchanged; ` +
        `definitions ${result.definitions.added} added, ${result.definitions.changed} changed${dry}`,
    );
    const creates = result.changes.filter((c) => c.action === 'CREATE');
    const shown =
      values.verbose || creates.length <= LISTED ? result.changes : result.changes.filter((c) => c.action !== 'CREATE');
    for (const c of shown) {
      console.log(`  ${c.action.padEnd(6)} ${c.gvlId} ${c.name}${c.fields.length ? ` (${c.fields.join(', ')})` : ''}`);
    }
    if (shown.length < result.changes.length) console.log(`  (${creates.length} new vendors; --verbose lists them)`);
  }
  for (const w of result.warnings) console.log(`warning: ${w.field.join('.')}: ${w.message}`);
  console.error(`(${(result.ms / 1000).toFixed(1)} s)`);
});
