// `prisma generate` without a download, for postinstall and `npm run
// db:generate`. Prisma 7's CLI makes sure a native schema engine is on disk
// before any command and fetches it from Prisma's binary host when it is not,
// which this project cannot reach. `generate` never runs that engine, so
// naming any existing file in PRISMA_SCHEMA_ENGINE_BINARY is enough: here a
// stand-in that says so should a command ever try to run it. An engine the
// environment already names is kept. Arguments are passed on to generate.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const cli = createRequire(import.meta.url).resolve('prisma/build/index.js');
const env = { ...process.env };
env.PRISMA_SCHEMA_ENGINE_BINARY ||= fileURLToPath(new URL('./schema-engine-stand-in.sh', import.meta.url));
// Nor the update check: it would only wait on a host that does not answer.
env.CHECKPOINT_DISABLE ??= '1';

const run = spawnSync(process.execPath, [cli, 'generate', ...process.argv.slice(2)], { stdio: 'inherit', env });
if (run.error) throw run.error;
process.exit(run.status ?? 1);
