// Zod's refusals in our terms: a stable code and the path of each problem.
import type { z } from 'zod';
import {
  isUserErrorCode,
  under,
  UserInputError,
  type Path,
  type UserErrorCode,
  type UserErrorShape,
} from './errors.js';

export function codeOf(issue: z.core.$ZodIssue): UserErrorCode {
  if (issue.code === 'custom' && typeof issue.params?.code === 'string' && isUserErrorCode(issue.params.code)) {
    return issue.params.code;
  }
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

export function problemsOf(error: z.ZodError): UserErrorShape[] {
  return error.issues.map((issue) => ({
    field: issue.path.map(String),
    code: codeOf(issue),
    message: issue.message,
  }));
}

/** Validates with a zod schema; problems become user errors under `base`. */
export function validate<S extends z.ZodType>(schema: S, value: unknown, base: Path = []): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new UserInputError(under(base, problemsOf(result.error)));
}
