// Which translation of a notice a visitor is served: each locale has its own
// timeline. A translation takes effect on its own date (a locale added to a
// published version later) or else its version's; for each locale, the one in
// force on a day is that of the latest version whose translation in that
// locale had taken effect by then. A visitor is served the best locale they
// asked for among those in force — language first — and when a newer version
// exists only in other languages, the answer says so (isOutdated, with the
// newer version and its locales), so a frontend can offer it. Falling back to
// another language stays visible as isFallback, as before. An archived version
// was withdrawn: it is in force only until the next version takes effect, in
// whatever locales that one has.
import { resolveLocale, type LocaleResolution } from '../locale.js';
import { servedStatuses } from './notice.js';

export interface TimelineTranslation {
  id: string;
  locale: string;
  effectiveDate: Date | null;
}

export interface TimelineVersion {
  id: string;
  version: string;
  effectiveDate: Date;
  status: string;
  translations: readonly TimelineTranslation[];
}

type TranslationOf<V extends TimelineVersion> = V['translations'][number];

export interface ServedTranslation<V extends TimelineVersion> extends LocaleResolution {
  version: V;
  translation: TranslationOf<V>;
  /** The day the served translation took effect. */
  effectiveDate: Date;
  /** Every locale in force on that day. */
  availableLocales: string[];
  /** A newer version exists, in other locales only. */
  newerVersion: { version: V; locales: string[] } | null;
}

const takesEffect = (v: TimelineVersion, t: TimelineTranslation) =>
  t.effectiveDate && t.effectiveDate > v.effectiveDate ? t.effectiveDate : v.effectiveDate;

/** The translation to serve on `at` for visitors who want `wanted`, best first; null when none is in force. */
export function servedTranslation<V extends TimelineVersion>(
  versions: readonly V[],
  wanted: readonly string[],
  defaultLocale: string,
  at: Date,
): ServedTranslation<V> | null {
  // For each locale, its translation in force: from the latest version that had one by then.
  const inForce = new Map<string, { version: V; translation: TranslationOf<V> }>();
  let latest: V | null = null;
  for (const version of versions) {
    if (!(servedStatuses as string[]).includes(version.status) || version.effectiveDate > at) continue;
    for (const translation of version.translations) {
      if (takesEffect(version, translation) > at) continue;
      if (!latest || version.effectiveDate > latest.effectiveDate) latest = version;
      const current = inForce.get(translation.locale);
      if (!current || version.effectiveDate > current.version.effectiveDate) {
        inForce.set(translation.locale, { version, translation });
      }
    }
  }
  // A withdrawn (archived) version no longer speaks for its locales once another took effect.
  for (const [locale, { version }] of inForce) {
    if (version.status === 'ARCHIVED' && latest && latest.effectiveDate > version.effectiveDate) inForce.delete(locale);
  }
  const availableLocales = [...inForce.keys()].sort();
  const choice = resolveLocale(wanted, availableLocales, defaultLocale);
  const served = choice && inForce.get(choice.resolvedLocale);
  if (!choice || !served || !latest) return null;
  const newest = latest;
  const newerVersion =
    newest.id === served.version.id
      ? null
      : {
          version: newest,
          locales: availableLocales.filter((l) => inForce.get(l)!.version.id === newest.id),
        };
  return {
    ...choice,
    ...served,
    effectiveDate: takesEffect(served.version, served.translation),
    availableLocales,
    newerVersion,
  };
}
