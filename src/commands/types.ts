// What a command needs to run, wherever it runs: in the server that holds the
// database (reached over its control socket, src/control/) or in the
// command-line process itself when no server does. Inputs and outputs are
// plain JSON, so both ways call exactly the same function.
import { randomUUID } from 'node:crypto';
import { systemCaller } from '../auth/actor.js';
import type { Database } from '../db/client.js';
import type { UserErrorShape } from '../domain/errors.js';
import type { WriteOutcome, Writer, WriteSession } from '../domain/writer.js';
import type { Logger } from '../logger.js';

export interface CommandServices {
  db: Database;
  logger: Logger;
  /**
   * Every write goes through it: in the server, the server's own writer (its
   * notifications and response cache see the change); in a command-line
   * process, one that tells instances sharing Redis.
   */
  writer: Writer;
  /** Progress of long commands (a notice import), for the person waiting. */
  progress?: (done: number, total: number) => void;
  /** Who asked, for the audit trail ("command line (alice)"). */
  user?: string;
}

export type CommandErrorCode = 'INVALID_INPUT' | 'NOT_FOUND' | 'REFUSED';

/** An expected failure: the command line prints its message (and details) and exits 1. */
export class CommandError extends Error {
  constructor(
    readonly code: CommandErrorCode,
    message: string,
    /** One line per problem, when there are several (a manifest's). */
    readonly details: string[] = [],
  ) {
    super(message);
  }

  toJSON() {
    return { code: this.code, message: this.message, details: this.details };
  }
}

/** Runs a command's unit of work as the command line (admin), audited under the user's name. */
export function writeAsCommand<R>(
  services: CommandServices,
  work: (session: WriteSession) => Promise<R>,
  options: { dryRun?: boolean } = {},
): Promise<WriteOutcome<R>> {
  const caller = systemCaller(`command line (${services.user ?? 'unknown user'})`);
  return services.writer.run({ caller, requestId: randomUUID() }, work, options);
}

/** A refused write as a command's refusal: one line per problem, with its field. */
export function refused(message: string, errors: UserErrorShape[]): CommandError {
  const details = errors.map((e) => `${e.field?.join('.') || '(input)'}: ${e.message} [${e.code}]`);
  return new CommandError(errors.some((e) => e.code === 'NOT_FOUND') ? 'NOT_FOUND' : 'REFUSED', message, details);
}
