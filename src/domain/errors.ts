// Refusals are data: every write answers with user errors, each with the path
// of the field at fault, a stable code and a sentence. The same shape serves
// GraphQL payloads, manifests and the command line.
export const userErrorCodes = [
  'INVALID',
  'INVALID_EMAIL',
  'INVALID_COUNTRY',
  'INVALID_DURATION',
  'INVALID_PHONE',
  'INVALID_URL',
  'INVALID_DATE',
  'INVALID_LOCALE',
  'INVALID_VALUE',
  'INVALID_TYPE',
  'REQUIRED',
  'TOO_LONG',
  'TOO_SHORT',
  'UNKNOWN_FIELD',
  'DUPLICATE',
  'SYNTAX',
  'NOT_FOUND',
  'CONFLICT',
  'FORBIDDEN',
] as const;
export type UserErrorCode = (typeof userErrorCodes)[number];

export interface UserErrorShape {
  /** The path of the field at fault, e.g. ["input", "email"]; null when no field is. */
  field: string[] | null;
  code: UserErrorCode;
  message: string;
  /** With CONFLICT on a revision: the revision that is stored now. */
  currentRevision?: number;
}

/** Thrown inside a write to abort its transaction and answer with user errors. */
export class UserInputError extends Error {
  constructor(readonly userErrors: UserErrorShape[]) {
    super(userErrors.map((e) => e.message).join('; '));
  }
}

export type Path = readonly (string | number)[];

export const pathOf = (path: Path): string[] => path.map(String);

export function refuse(code: UserErrorCode, message: string, field: Path | null = null, extra = {}): never {
  throw new UserInputError([{ code, message, field: field ? pathOf(field) : null, ...extra }]);
}

export function isUserErrorCode(code: string): code is UserErrorCode {
  return (userErrorCodes as readonly string[]).includes(code);
}

/** The same errors, as if they had been found at `base` (a manifest record's path, a mutation's input). */
export function under(base: Path, errors: UserErrorShape[]): UserErrorShape[] {
  return errors.map((e) => ({
    ...e,
    field: e.field ? [...pathOf(base), ...e.field] : base.length ? pathOf(base) : null,
  }));
}
