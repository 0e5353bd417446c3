// Global IDs ("Processor:<uuid>", base64) and the database ids behind them.
import { decodeGlobalID } from '@pothos/plugin-relay';
import { refuse, type Path } from '../../domain/errors.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The database id behind a global ID (of the given type, when one is given), or null. */
export function idOf(globalId: string, typename?: string): string | null {
  try {
    const decoded = decodeGlobalID(globalId);
    if ((!typename || decoded.typename === typename) && UUID.test(decoded.id)) return decoded.id;
  } catch {
    // not a global ID
  }
  return null;
}

/** The database id behind a global ID of the expected type, or NOT_FOUND at `field`. */
export function localId(globalId: string | number, typename: string, field: Path = ['input', 'id']): string {
  return idOf(String(globalId), typename) ?? refuse('NOT_FOUND', `no ${typename} has this id`, field);
}
