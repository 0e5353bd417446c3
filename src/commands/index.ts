// The commands the command-line scripts run, by name. The running server
// serves exactly these over its control socket (src/control/server.ts); with
// no server, the script runs the same function itself (scripts/cli.ts).
import { z } from 'zod';
import { createKey, createKeyInput, listKeys, listKeysInput, revokeKey, revokeKeyInput } from './apikeys.js';
import { loadManifests, loadManifestsInput } from './manifests.js';
import { migrate } from './migrate.js';
import { importNoticeDocument, importNoticeInput } from './notices.js';
import { seed } from './seed.js';
import { importVendors, importVendorsInput } from './vendors.js';
import { CommandError, type CommandServices } from './types.js';

export { CommandError, type CommandServices } from './types.js';

interface Command<S extends z.ZodType, O> {
  input: S;
  run(services: CommandServices, input: z.infer<S>): Promise<O>;
}

const none = z.object({}).default({});

function command<S extends z.ZodType, O>(
  input: S,
  run: (services: CommandServices, input: z.infer<S>) => Promise<O>,
): Command<S, O> {
  return { input, run };
}

/** Named as the npm scripts that run them. */
export const commands = {
  'apikey:create': command(createKeyInput, createKey),
  'apikey:revoke': command(revokeKeyInput, revokeKey),
  'apikey:list': command(listKeysInput, listKeys),
  'manifest:load': command(loadManifestsInput, loadManifests),
  'notice:import': command(importNoticeInput, importNoticeDocument),
  'db:seed': command(none, seed),
  'db:migrate': command(none, migrate),
  'vendors:import': command(importVendorsInput, importVendors),
};

export type CommandName = keyof typeof commands;
export type CommandInput<N extends CommandName> = z.input<(typeof commands)[N]['input']>;
export type CommandOutput<N extends CommandName> = Awaited<ReturnType<(typeof commands)[N]['run']>>;

export function isCommandName(name: string): name is CommandName {
  return Object.hasOwn(commands, name);
}

/** Validates the input and runs the command; a bad input is an INVALID_INPUT CommandError. */
export async function runCommand<N extends CommandName>(
  services: CommandServices,
  name: N,
  input: unknown,
): Promise<CommandOutput<N>> {
  const definition = commands[name] as unknown as Command<z.ZodType, CommandOutput<N>>;
  const parsed = definition.input.safeParse(input ?? {});
  if (!parsed.success) {
    throw new CommandError(
      'INVALID_INPUT',
      `invalid input for ${name}`,
      parsed.error.issues.map((i) => `${i.path.join('.') || '(input)'}: ${i.message}`),
    );
  }
  return definition.run(services, parsed.data);
}
