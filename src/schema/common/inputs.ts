// Input shapes shared by several mutations. Validated values (e-mail, country,
// duration, …) arrive as strings and are checked by the manifest's rules, so a
// bad one is a user error with its path and code, not a parse failure.
import { builder } from '../builder.js';

export const AddressInput = builder.inputType('AddressInput', {
  fields: (t) => ({
    street: t.string(),
    postalCode: t.string(),
    locality: t.string(),
    region: t.string(),
    country: t.string({ required: true, description: 'ISO 3166-1 alpha-2, e.g. "NL".' }),
  }),
});

export const LocalizedStringInput = builder.inputType('LocalizedStringInput', {
  fields: (t) => ({
    locale: t.string({ required: true, description: 'BCP 47, e.g. "nl".' }),
    text: t.string({ required: true }),
  }),
});

/** [{ locale, text }] → { locale: text }; null and undefined pass through. */
export function localizedMap(list: readonly { locale: string; text: string }[] | null | undefined) {
  if (list == null) return list;
  return Object.fromEntries(list.map((t) => [t.locale, t.text]));
}

/** Text to find inside a column (Prisma's `contains`), matched literally: % and _ are not wildcards. */
export const literally = (text: string) => text.replace(/[\\%_]/g, (c) => `\\${c}`);

/** GraphQL inputs carry explicit nulls for "clear"; nested objects are plain copies. */
export function plain<T>(value: T): T {
  return value == null ? value : (JSON.parse(JSON.stringify(value)) as T);
}
