// The IAB TCF Global Vendor List as published, read strictly where its
// structure matters and leniently where real lists are untidy (unknown
// fields are kept out of the way, nulls read as absent). Three formats:
//
//   - GVL v2 (gvlSpecificationVersion 2, TCF v2.0/2.1): a `policyUrl` per
//     vendor, definitions with `descriptionLegal`;
//   - GVL v3 as published for TCF v2.2 (gvlSpecificationVersion 3, policy
//     version 4): `urls` per language, `dataRetention`, cookie facts,
//     `dataDeclaration` and the list's `dataCategories`, definitions with
//     `illustrations`;
//   - GVL v3 with TCF policy version 5: the same vendors, and `standardTexts`.
//
// A translation file (purposes-de.json) holds only the definitions, in one
// language the file itself does not name.
import { z } from 'zod';
import { problemsOf } from '../domain/validate.js';
import type { UserErrorShape } from '../domain/errors.js';

/** The largest list text read: today's lists are about 1 MB, with room for growth. */
export const MAX_LIST_BYTES = 20_000_000;

const absent = <T extends z.ZodType>(schema: T) =>
  schema
    .nullish()
    .transform((v) => v ?? undefined)
    .optional();

const definitionId = z.number().int().min(1).max(1_000_000);
const ids = z.array(definitionId).max(200);
const idList = absent(ids).transform((v) => v ?? []);
const longText = z.string().max(20_000);
const url = z.string().max(2000);
const dayCount = z.number().min(-1_000_000).max(1_000_000_000);
const dayMap = absent(z.record(z.string().regex(/^\d{1,4}$/), dayCount)).transform((v) => v ?? {});

const definition = z.looseObject({
  id: definitionId,
  name: longText,
  description: longText,
  descriptionLegal: absent(longText),
  illustrations: absent(z.array(longText).max(50)),
});
const definitions = absent(z.record(z.string(), definition)).transform((v) => v ?? {});

const vendor = z.looseObject({
  id: z.number().int().min(1).max(1_000_000),
  name: z.string().max(500),
  purposes: idList,
  legIntPurposes: idList,
  flexiblePurposes: idList,
  specialPurposes: idList,
  features: idList,
  specialFeatures: idList,
  policyUrl: absent(url),
  deletedDate: absent(z.iso.datetime({ offset: true })),
  overflow: absent(z.looseObject({ httpGetLimit: absent(z.number().int().min(1).max(1_000_000)) })),
  cookieMaxAgeSeconds: absent(z.number()),
  usesCookies: absent(z.boolean()),
  cookieRefresh: absent(z.boolean()),
  usesNonCookieAccess: absent(z.boolean()),
  deviceStorageDisclosureUrl: absent(url),
  dataRetention: absent(z.looseObject({ stdRetention: absent(dayCount), purposes: dayMap, specialPurposes: dayMap })),
  urls: absent(
    z.array(z.looseObject({ langId: z.string().max(50), privacy: absent(url), legIntClaim: absent(url) })).max(200),
  ),
  dataDeclaration: absent(ids),
});
export type GvlVendor = z.output<typeof vendor>;

const keyedById = <T extends { id: number }>(
  record: Record<string, T>,
  ctx: z.core.$RefinementCtx,
  path: (string | number)[],
) => {
  for (const [key, value] of Object.entries(record)) {
    if (key !== String(value.id)) {
      ctx.addIssue({
        code: 'custom',
        path: [...path, key, 'id'],
        message: `listed under "${key}" but has id ${value.id}`,
      });
    }
  }
};

const definitionSections = ['purposes', 'specialPurposes', 'features', 'specialFeatures', 'dataCategories'] as const;
export type DefinitionSection = (typeof definitionSections)[number];

export const vendorListSchema = z
  .looseObject({
    gvlSpecificationVersion: z
      .number()
      .int()
      .refine((v) => v === 2 || v === 3, {
        message: 'only Global Vendor List specifications 2 and 3 (TCF v2.0–v2.3) are understood',
      }),
    vendorListVersion: z.number().int().min(1).max(1_000_000),
    tcfPolicyVersion: z.number().int().min(1).max(1_000_000),
    lastUpdated: z.iso.datetime({ offset: true }),
    purposes: definitions,
    specialPurposes: definitions,
    features: definitions,
    specialFeatures: definitions,
    dataCategories: definitions,
    standardTexts: absent(z.record(z.string().max(100), z.string().max(5000))),
    vendors: z.record(z.string(), vendor).refine((v) => Object.keys(v).length <= 50_000, 'more than 50,000 vendors'),
  })
  .superRefine((list, ctx) => {
    for (const section of definitionSections) keyedById(list[section], ctx, [section]);
    keyedById(list.vendors, ctx, ['vendors']);
  });
export type GvlList = z.output<typeof vendorListSchema>;

export const translationSchema = z
  .looseObject({
    gvlSpecificationVersion: absent(z.number().int()),
    vendorListVersion: absent(z.number().int()),
    purposes: definitions,
    specialPurposes: definitions,
    features: definitions,
    specialFeatures: definitions,
    dataCategories: definitions,
  })
  .superRefine((file, ctx) => {
    for (const section of definitionSections) keyedById(file[section], ctx, [section]);
    if (definitionSections.every((s) => Object.keys(file[s]).length === 0)) {
      ctx.addIssue({ code: 'custom', message: 'no purposes, features or data categories to translate' });
    }
  });
export type GvlTranslation = z.output<typeof translationSchema>;

export type ParsedDocument =
  | { ok: true; kind: 'list'; list: GvlList }
  | { ok: true; kind: 'translation'; translation: GvlTranslation }
  | { ok: false; problems: UserErrorShape[] };

/**
 * Reads a vendor list or a translation file. A document with `vendors` is a
 * list; one with definitions only is a translation. Problems have the path of
 * the value at fault (["vendors", "8", "purposes", "0"]).
 */
export function parseVendorDocument(text: string): ParsedDocument {
  if (Buffer.byteLength(text) > MAX_LIST_BYTES) {
    return {
      ok: false,
      problems: [{ field: null, code: 'TOO_LONG', message: `a vendor list may have at most ${MAX_LIST_BYTES} bytes` }],
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [{ field: null, code: 'SYNTAX', message: `not JSON: ${(error as Error).message}` }] };
  }
  if (!json || typeof json !== 'object' || Array.isArray(json)) {
    return { ok: false, problems: [{ field: null, code: 'INVALID_TYPE', message: 'a vendor list is a JSON object' }] };
  }
  if ('vendors' in json) {
    const parsed = vendorListSchema.safeParse(json);
    return parsed.success
      ? { ok: true, kind: 'list', list: parsed.data }
      : { ok: false, problems: problemsOf(parsed.error).slice(0, 50) };
  }
  const parsed = translationSchema.safeParse(json);
  return parsed.success
    ? { ok: true, kind: 'translation', translation: parsed.data }
    : { ok: false, problems: problemsOf(parsed.error).slice(0, 50) };
}

export { definitionSections };
