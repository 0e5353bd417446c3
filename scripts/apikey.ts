// API key management:
//   npm run apikey:create -- --name <label> --scope <scope> [--scope …] [--expires <YYYY-MM-DD>]
//   npm run apikey:revoke -- <id or prefix>
//   npm run apikey:list
// The key is printed once, at creation; only its hash is stored.
import { parseArgs } from 'node:util';
import { createApiKey, revokeApiKey } from '../src/auth/store.js';
import { openForCommand } from './cli.js';

const [command = '', ...rest] = process.argv.slice(2);
const { values, positionals } = parseArgs({
  args: rest,
  allowPositionals: true,
  options: {
    name: { type: 'string' },
    scope: { type: 'string', multiple: true },
    expires: { type: 'string' },
  },
});

const db = await openForCommand();
try {
  if (command === 'create') {
    const expiresAt = values.expires ? new Date(`${values.expires}T00:00:00Z`) : null;
    if (expiresAt && Number.isNaN(expiresAt.getTime())) throw new Error('--expires takes a date, YYYY-MM-DD');
    const created = await createApiKey(db.prisma, { label: values.name ?? '', scopes: values.scope ?? [], expiresAt });
    console.log(`created key ${created.prefix} "${created.label}" (${created.scopes.join(', ')})`);
    console.log('Store it now; it is not shown again:');
    console.log(created.key);
  } else if (command === 'revoke') {
    const target = positionals[0];
    if (!target) throw new Error('usage: npm run apikey:revoke -- <id or prefix>');
    const key = await revokeApiKey(db.prisma, target);
    if (!key) throw new Error(`no key has the id or prefix "${target}"`);
    console.log(`revoked key ${key.prefix} "${key.label}"`);
  } else if (command === 'list') {
    for (const k of await db.prisma.apiKey.findMany({ orderBy: { createdAt: 'asc' } })) {
      const state = k.revokedAt ? 'revoked' : k.expiresAt && k.expiresAt < new Date() ? 'expired' : 'active';
      console.log(
        [k.prefix, state, k.label, k.scopes.join(','), `last used ${k.lastUsedAt?.toISOString() ?? 'never'}`].join(
          '\t',
        ),
      );
    }
  } else {
    throw new Error('usage: apikey create|revoke|list');
  }
} catch (error) {
  console.error((error as Error).message);
  process.exitCode = 1;
} finally {
  await db.close();
}
