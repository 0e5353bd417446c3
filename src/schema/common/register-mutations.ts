// Declares the create / update / (delete | retire) mutations of a record an
// organisation owns, Shopify-style: `<noun>Create(input)` → `<Noun>Payload {
// <noun>, userErrors }`. Authorisation is declared here, once: writing needs
// `write:<organisation>` (or write:* / admin), and a refusal is a FORBIDDEN
// user error rather than a top-level error.
import type { z } from 'zod';
import { builder, type InputFields } from '../builder.js';
import {
  createChild,
  organisationSlugOf,
  removeChild,
  updateChild,
  type ChildSpec,
  type OwnedRow,
} from './child-mutations.js';
import { forbiddenFor, UserError, type UserErrorShape } from './user-errors.js';

interface Registration<Row extends OwnedRow, S extends z.ZodType> {
  /** "processor" → processorCreate, ProcessorPayload, … */
  noun: string;
  spec: ChildSpec<Row, S>;
  /** The object type the payload carries. */
  ref: object;
  /** The domain's input fields; `required` is true for create. */
  fields: (t: InputFields, required: boolean) => Record<string, unknown>;
  /** GraphQL input → manifest-shaped patch. */
  patch: (input: Record<string, unknown>) => Record<string, unknown>;
  /** "delete" removes the record; "retire" keeps it with its history. */
  end:
    | 'delete'
    | { name: 'retire'; description: string; patch: (input: Record<string, unknown>) => Record<string, unknown> };
}

type Payload = { userErrors: UserErrorShape[]; deletedId?: string | null } & Record<string, unknown>;

export function registerChildMutations<Row extends OwnedRow, S extends z.ZodType>(r: Registration<Row, S>) {
  const Noun = r.noun.charAt(0).toUpperCase() + r.noun.slice(1);
  const field = r.spec.field;

  const CreateInput = builder.inputType(`${Noun}CreateInput`, {
    fields: (t) => ({
      organisation: t.string({ required: true, description: 'The organisation’s slug.' }),
      key: t.string({ description: 'Stable key within the organisation; derived from the name when omitted.' }),
      ...(r.fields(t, true) as object),
    }),
  });
  const UpdateInput = builder.inputType(`${Noun}UpdateInput`, {
    fields: (t) => ({
      id: t.id({ required: true }),
      expectedRevision: t.int({ required: true, description: 'The revision this change is based on.' }),
      ...(r.fields(t, false) as object),
    }),
  });
  const endName = r.end === 'delete' ? 'Delete' : 'Retire';
  const EndInput = builder.inputType(`${Noun}${endName}Input`, {
    fields: (t) => ({
      id: t.id({ required: true }),
      expectedRevision: t.int({ required: true }),
      ...(r.end === 'delete'
        ? {}
        : { activeUntil: t.string({ description: 'The last day, YYYY-MM-DD; today when omitted.' }) }),
    }),
  });

  const PayloadRef = builder.objectRef<Payload>(`${Noun}Payload`).implement({
    fields: (t) => ({
      [field]: t.field({ type: r.ref as never, nullable: true, resolve: (p: Payload) => (p[field] ?? null) as never }),
      ...(r.end === 'delete'
        ? { deletedId: t.id({ nullable: true, resolve: (p: Payload) => p.deletedId ?? null }) }
        : {}),
      userErrors: t.field({ type: [UserError], resolve: (p: Payload) => p.userErrors }),
    }),
  });

  const byId = async (args: { input: { id: string | number } }, ctx: Parameters<typeof organisationSlugOf>[0]) => ({
    writeOrganisation: await organisationSlugOf(ctx, r.spec.typename, String(args.input.id)),
  });

  builder.mutationFields((t) => ({
    [`${r.noun}Create`]: t.field({
      type: PayloadRef,
      args: { input: t.arg({ type: CreateInput, required: true }) },
      authScopes: (_root, args) => ({
        writeOrganisation: String((args.input as { organisation: string }).organisation),
      }),
      unauthorizedResolver: (_root, _args, ctx) => forbiddenFor(ctx),
      resolve: (_root, args, ctx) => {
        const input = args.input as Record<string, unknown>;
        const { organisation, ...rest } = input;
        return createChild(ctx, r.spec, String(organisation), r.patch(rest)) as Promise<Payload>;
      },
    }),
    [`${r.noun}Update`]: t.field({
      type: PayloadRef,
      args: { input: t.arg({ type: UpdateInput, required: true }) },
      authScopes: (_root, args, ctx) => byId(args as never, ctx),
      unauthorizedResolver: (_root, _args, ctx) => forbiddenFor(ctx),
      resolve: (_root, args, ctx) => {
        const { id, expectedRevision, ...rest } = args.input as Record<string, unknown>;
        return updateChild(ctx, r.spec, String(id), Number(expectedRevision), r.patch(rest)) as Promise<Payload>;
      },
    }),
    [`${r.noun}${endName}`]: t.field({
      type: PayloadRef,
      description: r.end === 'delete' ? `Deletes the ${r.noun}.` : r.end.description,
      args: { input: t.arg({ type: EndInput, required: true }) },
      authScopes: (_root, args, ctx) => byId(args as never, ctx),
      unauthorizedResolver: (_root, _args, ctx) => forbiddenFor(ctx),
      resolve: (_root, args, ctx) => {
        const input = args.input as Record<string, unknown>;
        const id = String(input.id);
        const expected = Number(input.expectedRevision);
        if (r.end === 'delete') return removeChild(ctx, r.spec, id, expected) as Promise<Payload>;
        return updateChild(ctx, r.spec, id, expected, r.end.patch(input), 'RETIRE') as Promise<Payload>;
      },
    }),
  }));
}
