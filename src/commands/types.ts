// What a command needs to run, wherever it runs: in the server that holds the
// database (reached over its control socket, src/control/) or in the
// command-line process itself when no server does. Inputs and outputs are
// plain JSON, so both ways call exactly the same function.
import type { Database } from '../db/client.js';
import type { EventBus } from '../events/bus.js';
import type { Logger } from '../logger.js';

export interface CommandServices {
  db: Database;
  logger: Logger;
  /**
   * After a command has written: the server starts a new response-cache
   * generation (and tells other instances through Redis); a command line
   * process tells instances sharing Redis.
   */
  afterWrite?: () => Promise<void>;
  /** Inside a write's transaction, before it commits (the server's cache generation). */
  beforeCommit?: () => Promise<void>;
  /** The server's change notifications, so its subscribers hear of a command's writes. */
  events?: EventBus;
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
