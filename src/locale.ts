// BCP 47 locale negotiation, pure: which of the available locales to serve
// for a request, and whether that is a fallback. The chain for each wanted
// locale runs from the most to the least specific tag (de-AT → de), then to
// the organisation's default, then to whatever exists, so an answer is always
// given and always says what it is.
import Negotiator from 'negotiator';
import { canonicalLocale } from './validation/fields.js';

const parsed = new Map<string, string[]>();

/** Locales from an Accept-Language header, best first; malformed entries are skipped. Remembered: browsers send few distinct headers. */
export function parseAcceptLanguage(header: string | null | undefined): string[] {
  if (!header) return [];
  const known = parsed.get(header);
  if (known) return [...known];
  const locales = negotiate(header);
  if (parsed.size >= 1_000) parsed.delete(parsed.keys().next().value!);
  parsed.set(header, locales);
  return [...locales];
}

function negotiate(header: string): string[] {
  const wanted = new Negotiator({
    headers: { 'accept-language': header },
  }).languages();
  const out: string[] = [];
  for (const tag of wanted) {
    if (tag === '*') continue;
    const canonical = canonicalLocale(tag);
    if (canonical && !out.includes(canonical)) out.push(canonical);
  }
  return out;
}

/** de-AT-u-ca-gregory → [de-AT-u-ca-gregory, de-AT, de]. */
export function truncations(locale: string): string[] {
  const parts = locale.split('-');
  const out: string[] = [];
  for (let n = parts.length; n > 0; n--) {
    // A lone singleton ("x", "u") is not a tag of its own.
    if (parts[n - 1]!.length === 1) continue;
    out.push(parts.slice(0, n).join('-'));
  }
  return out;
}

export function fallbackChain(wanted: readonly string[], defaultLocale: string): string[] {
  const chain: string[] = [];
  for (const locale of [...wanted, defaultLocale]) {
    for (const tag of truncations(locale)) if (!chain.includes(tag)) chain.push(tag);
  }
  return chain;
}

export interface LocaleResolution {
  /** What was asked for: the first wanted locale, or the default when nothing was asked. */
  requestedLocale: string;
  resolvedLocale: string;
  isFallback: boolean;
}

/**
 * Chooses among `available` (e.g. the locales of a notice version). Matching
 * ignores case; a wanted "en" also matches an available "en-GB" when nothing
 * closer exists. Returns null only when nothing is available.
 */
export function resolveLocale(
  wanted: readonly string[],
  available: readonly string[],
  defaultLocale: string,
): LocaleResolution | null {
  if (available.length === 0) return null;
  const requestedLocale = wanted[0] ?? defaultLocale;
  const byLower = new Map(available.map((a) => [a.toLowerCase(), a]));
  const sortedAvailable = [...available].sort();
  const result = (resolvedLocale: string): LocaleResolution => ({
    requestedLocale,
    resolvedLocale,
    isFallback: resolvedLocale.toLowerCase() !== requestedLocale.toLowerCase(),
  });
  for (const tag of fallbackChain(wanted, defaultLocale)) {
    const exact = byLower.get(tag.toLowerCase());
    if (exact) return result(exact);
    const language = tag.split('-')[0]!.toLowerCase();
    if (tag.toLowerCase() === language) {
      const regional = sortedAvailable.find((a) => a.toLowerCase().startsWith(`${language}-`));
      if (regional) return result(regional);
    }
  }
  return result(sortedAvailable[0]!);
}

/** A localised text map ({ nl: "…", en: "…" }) read in the best available locale. */
export function pickLocalized(
  text: unknown,
  wanted: readonly string[],
  defaultLocale: string,
): { text: string; locale: string } | null {
  if (!text || typeof text !== 'object') return null;
  const map = text as Record<string, string>;
  const resolution = resolveLocale(wanted, Object.keys(map), defaultLocale);
  return resolution
    ? {
        text: map[resolution.resolvedLocale]!,
        locale: resolution.resolvedLocale,
      }
    : null;
}
