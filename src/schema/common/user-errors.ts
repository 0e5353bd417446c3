// The GraphQL shape of user errors (src/domain/errors.ts): every mutation
// payload carries them, each with the path of the input field, a stable code
// and a sentence.
import { userErrorCodes, type UserErrorShape } from '../../domain/errors.js';
import { builder } from '../builder.js';

export type { UserErrorShape } from '../../domain/errors.js';

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

/** A payload type: the changed object under `field`, and the user errors. */
export function payloadType<K extends string>(name: string, field: K, ref: object, description?: string) {
  type Shape = { userErrors: UserErrorShape[] } & { [P in K]?: unknown };
  return builder.objectRef<Shape>(name).implement({
    description,
    fields: (t) => ({
      [field]: t.field({ type: ref as never, nullable: true, resolve: (p: Shape) => (p[field] ?? null) as never }),
      userErrors: t.field({ type: [UserError], resolve: (p: Shape) => p.userErrors }),
    }),
  });
}
