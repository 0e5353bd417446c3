// API key management:
//   npm run apikey:create -- --name <label> --scope <scope> [--scope …] [--expires <YYYY-MM-DD>]
//   npm run apikey:revoke -- <id or prefix>
//   npm run apikey:list
// The key is printed once, at creation; only its hash is stored. Beside a
// running server the command runs in it (see scripts/cli.ts).
import { parseExpiry } from '../src/commands/apikeys.js';
import { cli, parseArguments, runCommand, UsageError } from './cli.js';

const USAGE = `usage:
  npm run apikey:create -- --name <label> --scope <scope> [--scope <scope>…] [--expires <YYYY-MM-DD>]
  npm run apikey:revoke -- <id or prefix>
  npm run apikey:list
scopes: read, write:<organisation-slug>, write:*, admin`;

await cli(async () => {
  const [command = '', ...rest] = process.argv.slice(2);
  if (command === 'create') {
    const { values, positionals } = parseArguments(
      rest,
      { name: { type: 'string' }, scope: { type: 'string', multiple: true }, expires: { type: 'string' } },
      USAGE,
    );
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`, USAGE);
    if (!values.name?.trim()) throw new UsageError('--name is required: a label that says who uses the key', USAGE);
    if (!values.scope?.length) throw new UsageError('at least one --scope is required', USAGE);
    if (values.expires !== undefined) {
      const expiry = parseExpiry(values.expires);
      if ('problem' in expiry) throw new UsageError(`--expires: ${expiry.problem}`, USAGE);
    }
    const created = await runCommand('apikey:create', {
      label: values.name,
      scopes: values.scope,
      expires: values.expires ?? null,
    });
    const until = created.expiresAt ? `, expires ${created.expiresAt}` : '';
    console.log(`created key ${created.prefix} "${created.label}" (${created.scopes.join(', ')}${until})`);
    console.log('Store it now; it is not shown again:');
    console.log(created.key);
  } else if (command === 'revoke') {
    const { positionals } = parseArguments(rest, {}, USAGE);
    if (positionals.length !== 1) throw new UsageError('give the id or prefix of one key', USAGE);
    const revoked = await runCommand('apikey:revoke', { key: positionals[0]! });
    console.log(
      revoked.alreadyRevoked
        ? `key ${revoked.prefix} "${revoked.label}" was already revoked`
        : `revoked key ${revoked.prefix} "${revoked.label}"`,
    );
  } else if (command === 'list') {
    const { positionals } = parseArguments(rest, {}, USAGE);
    if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`, USAGE);
    const { keys } = await runCommand('apikey:list', {});
    for (const k of keys) {
      console.log([k.prefix, k.state, k.label, k.scopes.join(','), `last used ${k.lastUsedAt ?? 'never'}`].join('\t'));
    }
  } else {
    throw new UsageError(command ? `unknown command "${command}"` : 'no command given', USAGE);
  }
});
