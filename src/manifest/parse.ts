// Reading a manifest: YAML or JSON text → a validated Manifest, or a list of
// problems each naming the path of the field ("contacts.0.email: …").
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { manifestSchema, type Manifest } from './schema.js';

export interface ManifestProblem {
  path: string;
  code: string;
  message: string;
}

export type ParseResult = { ok: true; manifest: Manifest } | { ok: false; problems: ManifestProblem[] };

export function formatPath(path: readonly PropertyKey[]): string {
  return path.map(String).join('.') || '(root)';
}

export function codeOf(issue: z.core.$ZodIssue): string {
  if (issue.code === 'custom' && typeof issue.params?.code === 'string') return issue.params.code;
  switch (issue.code) {
    case 'too_big':
      return 'TOO_LONG';
    case 'too_small':
      return 'TOO_SHORT';
    case 'invalid_value':
      return 'INVALID_VALUE';
    case 'unrecognized_keys':
      return 'UNKNOWN_FIELD';
    case 'invalid_type':
      return issue.input === undefined ? 'REQUIRED' : 'INVALID_TYPE';
    default:
      return 'INVALID';
  }
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

/** Parses YAML (a superset of JSON), so either format is accepted. */
export function parseManifest(source: string): ParseResult {
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
  return validateManifest(doc.toJS({ maxAliasCount: 100 }));
}
