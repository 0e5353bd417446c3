// Reading a manifest: YAML or JSON text → a validated Manifest, or a list of
// problems each naming the path of the field ("contacts.0.email: …"). Text is
// bounded before it is parsed: its size, control characters (PostgreSQL cannot
// store a NUL) and YAML aliases (an alias bomb expands a few lines into
// gigabytes) are refused with a line number, never as a fault.
import { parseDocument } from 'yaml';
import type { UserErrorCode } from '../domain/errors.js';
import { codeOf } from '../domain/validate.js';
import { manifestSchema, type Manifest } from './schema.js';

export interface ManifestProblem {
  path: string;
  code: UserErrorCode;
  message: string;
}

export type ParseResult = { ok: true; manifest: Manifest } | { ok: false; problems: ManifestProblem[] };

export const MAX_MANIFEST_BYTES = 2_000_000;
const MAX_ALIASES = 100;
// C0 controls other than tab, line feed and carriage return; and DEL.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

export function formatPath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.') || '(root)';
}

export function validateManifest(data: unknown): ParseResult {
  const result = manifestSchema.safeParse(data);
  if (result.success) return { ok: true, manifest: result.data };
  return {
    ok: false,
    problems: result.error.issues.map((issue) => ({
      path: formatPath(issue.path),
      code: codeOf(issue),
      message: issue.message,
    })),
  };
}

const lineOf = (source: string, index: number) => source.slice(0, index).split('\n').length;

/** Parses YAML (a superset of JSON), so either format is accepted. */
export function parseManifest(source: string): ParseResult {
  const refuse = (path: string, code: UserErrorCode, message: string): ParseResult => ({
    ok: false,
    problems: [{ path, code, message }],
  });
  if (Buffer.byteLength(source) > MAX_MANIFEST_BYTES) {
    return refuse('(document)', 'TOO_LONG', `a manifest may be at most ${MAX_MANIFEST_BYTES / 1_000_000} MB`);
  }
  const control = CONTROL.exec(source);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).padStart(4, '0');
    return refuse(`line ${lineOf(source, control.index)}`, 'INVALID', `a control character (U+${code}) is not allowed`);
  }
  if (!source.isWellFormed()) return refuse('(document)', 'INVALID', 'the text holds an unpaired UTF-16 surrogate');
  const doc = parseDocument(source, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((error) => ({
        path: error.linePos ? `line ${error.linePos[0].line}` : '(document)',
        code: 'SYNTAX',
        message: error.message.split('\n')[0] ?? error.message,
      })),
    };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: MAX_ALIASES });
  } catch (error) {
    return refuse('(document)', 'SYNTAX', `${(error as Error).message} (at most ${MAX_ALIASES} alias expansions)`);
  }
  return validateManifest(data);
}
