// The create / update / delete (or retire) mutations of the records an
// organisation owns (controller entities, contacts, processors, retention
// rules), generated from one registration each: the GraphQL input fields and
// how they become the record's fields. Everything else — authorisation,
// validation, revisions, audit, notifications — is the writer's.
import type { RecordType } from '../../domain/record.js';
import { refuse } from '../../domain/errors.js';
import { organisationBySlug } from '../../domain/organisation.js';
import { newKey, type OrganisationParent } from '../../domain/owned.js';
import { patched, type WriteSession } from '../../domain/writer.js';
import { builder, type InputFields } from '../builder.js';
import { localId } from './ids.js';
import { UserError, type UserErrorShape } from './user-errors.js';
import { mutate } from './write.js';

interface Registration<Item extends object, Row extends { id: string; organisationId: string }> {
  /** "processor" → processorCreate, ProcessorPayload, … */
  noun: string;
  type: RecordType<Item, Row, OrganisationParent>;
  /** The object type the payload carries. */
  ref: object;
  /** The domain's input fields; `required` is true for create. */
  fields: (t: InputFields, required: boolean) => Record<string, unknown>;
  /** GraphQL input → the record's fields (null clears a field, undefined keeps it). */
  patch: (input: Record<string, unknown>) => Record<string, unknown>;
  /** Input that names other records by global ID, turned into the record's references. */
  prepare?: (
    session: WriteSession,
    organisationId: string,
    patch: Record<string, unknown>,
  ) => Promise<Record<string, unknown>>;
  /** The name a new record's key is made from when the input gives none. */
  nameOf: (patch: Record<string, unknown>) => string;
  /** "delete" removes the record; "retire" keeps it with its history. */
  end:
    | 'delete'
    | {
        name: 'retire';
        description: string;
        patch: (input: Record<string, unknown>, today: string) => Record<string, unknown>;
      };
}

export function registerChildMutations<Item extends object, Row extends { id: string; organisationId: string }>(
  r: Registration<Item, Row>,
) {
  const Noun = r.noun.charAt(0).toUpperCase() + r.noun.slice(1);
  const { typename } = r.type;

  const CreateInput = builder.inputType(`${Noun}CreateInput`, {
    fields: (t) => ({
      organisation: t.string({ required: true, description: 'The organisation’s slug.' }),
      key: t.string({ description: 'Stable key within the organisation; made from the name when omitted.' }),
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

  type Shape = { userErrors: UserErrorShape[]; deletedId?: string } & Record<string, unknown>;
  const PayloadRef = builder.objectRef<Shape>(`${Noun}Payload`).implement({
    fields: (t) => ({
      [r.noun]: t.field({ type: r.ref as never, nullable: true, resolve: (p: Shape) => (p[r.noun] ?? null) as never }),
      ...(r.end === 'delete'
        ? { deletedId: t.id({ nullable: true, resolve: (p: Shape) => p.deletedId ?? null }) }
        : {}),
      userErrors: t.field({ type: [UserError], resolve: (p: Shape) => p.userErrors }),
    }),
  });

  const prepared = async (s: WriteSession, organisationId: string, input: Record<string, unknown>) => {
    const patch = r.patch(input);
    return r.prepare ? r.prepare(s, organisationId, patch) : patch;
  };

  builder.mutationFields((t) => ({
    [`${r.noun}Create`]: t.field({
      type: PayloadRef,
      args: { input: t.arg({ type: CreateInput, required: true }) },
      resolve: (_root, args, ctx) =>
        mutate(ctx, r.noun, async (s) => {
          const { organisation: slug, ...input } = args.input as Record<string, unknown>;
          const organisation = await organisationBySlug(s.tx, String(slug));
          if (!organisation) refuse('NOT_FOUND', `no organisation has the slug "${slug}"`, ['input', 'organisation']);
          const patch = await prepared(s, organisation.id, input);
          if (!patch.key) {
            patch.key = await newKey(s.tx, typename, organisation.id, r.nameOf(patch));
            // Chosen here, so a concurrent create that takes it first means: choose again.
            s.derived.add('input.key');
          }
          return s.create(r.type, { organisationId: organisation.id }, patched({}, patch), ['input']);
        }),
    }),
    [`${r.noun}Update`]: t.field({
      type: PayloadRef,
      args: { input: t.arg({ type: UpdateInput, required: true }) },
      resolve: (_root, args, ctx) =>
        mutate(ctx, r.noun, async (s) => {
          const { id, expectedRevision, ...input } = args.input as Record<string, unknown>;
          const row = await s.load(r.type, localId(id as string, typename), ['input', 'id']);
          const patch = await prepared(s, row.organisationId, input);
          return s.update(r.type, row, { patch, expectedRevision: Number(expectedRevision) }, ['input']);
        }),
    }),
    [`${r.noun}${endName}`]: t.field({
      type: PayloadRef,
      description: r.end === 'delete' ? `Deletes the ${r.noun}.` : r.end.description,
      args: { input: t.arg({ type: EndInput, required: true }) },
      resolve: async (_root, args, ctx) => {
        const input = args.input as Record<string, unknown>;
        const expectedRevision = Number(input.expectedRevision);
        const end = r.end;
        if (end === 'delete') {
          return mutate(ctx, 'deletedId', async (s) => {
            const row = await s.load(r.type, localId(input.id as string, typename), ['input', 'id']);
            await s.remove(r.type, row, expectedRevision, ['input']);
            return String(input.id);
          });
        }
        return mutate(ctx, r.noun, async (s) => {
          const row = await s.load(r.type, localId(input.id as string, typename), ['input', 'id']);
          const patch = end.patch(input, s.today);
          return s.update(r.type, row, { patch, expectedRevision, action: 'RETIRE' }, ['input']);
        });
      },
    }),
  }));
}
