// Expected failures are data: every mutation payload carries `userErrors`,
// each with the path of the input field, a stable code and a sentence.
import { describeProblem } from '../../auth/actor.js';
import { builder } from '../builder.js';
import type { Context } from '../context.js';

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
  field: string[] | null;
  code: UserErrorCode;
  message: string;
  /** With CONFLICT: the revision that is stored now. */
  currentRevision?: number;
}

export const UserErrorCodeEnum = builder.enumType('UserErrorCode', { values: userErrorCodes });

export const UserError = builder.objectRef<UserErrorShape>('UserError').implement({
  description: 'Why a mutation was refused. Nothing was written.',
  fields: (t) => ({
    field: t.exposeStringList('field', {
      nullable: true,
      description: 'The path of the input field at fault, e.g. ["input", "email"]; null when no field is.',
    }),
    code: t.expose('code', { type: UserErrorCodeEnum }),
    message: t.exposeString('message'),
    currentRevision: t.exposeInt('currentRevision', {
      nullable: true,
      description: 'With CONFLICT: the revision stored now. Re-read the object and try again.',
    }),
  }),
});

/** Thrown inside a write to abort its transaction and answer with user errors. */
export class UserInputError extends Error {
  constructor(readonly userErrors: UserErrorShape[]) {
    super(userErrors.map((e) => e.message).join('; '));
  }
}

export function refuse(code: UserErrorCode, message: string, field: string[] | null = null, extra = {}): never {
  throw new UserInputError([{ code, message, field, ...extra }]);
}

export function isUserErrorCode(code: string): code is UserErrorCode {
  return (userErrorCodes as readonly string[]).includes(code);
}

/** The payload of a refused mutation: says why, in the caller's terms. */
export function forbiddenFor(ctx: Context) {
  return {
    userErrors: [{ field: null, code: 'FORBIDDEN' as const, message: `Forbidden: ${describeProblem(ctx.caller)}.` }],
  };
}
