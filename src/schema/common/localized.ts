// Localised text fields: resolved to one string in the best locale for the
// request (see src/locale.ts), with every translation available for tools.
import type { GraphQLResolveInfo } from 'graphql';
import { pickLocalized } from '../../locale.js';
import { builder } from '../builder.js';
import { wantedLocales, type Context } from '../context.js';

export const LocalizedString = builder.objectRef<{ locale: string; text: string }>('LocalizedString').implement({
  description: 'One translation of a localised text.',
  fields: (t) => ({
    locale: t.expose('locale', { type: 'Locale' }),
    text: t.exposeString('text'),
  }),
});

export function translationsOf(value: unknown) {
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, string>)
    .map(([locale, text]) => ({ locale, text }))
    .sort((a, b) => a.locale.localeCompare(b.locale));
}

export function localizedText(
  value: unknown,
  ctx: Context,
  info: GraphQLResolveInfo,
  own: string | null | undefined,
  defaultLocale: string,
): string | null {
  return pickLocalized(value, wantedLocales(ctx, info, own), defaultLocale)?.text ?? null;
}
