// How complete each translation of a version is: which sections it lacks
// compared with the fullest translation, and which of its sections appear to
// be in another language than the translation's own.
import { primaryLanguage } from './language.js';

interface Section {
  anchor: string;
  heading: string;
  position: number;
  detectedLanguage: string | null;
}

export interface TranslationStatusShape {
  locale: string;
  sectionCount: number;
  /** Sections of the fullest translation with no counterpart here (matched by position). */
  missingSections: { position: number; heading: string; fromLocale: string }[];
  otherLanguageSections: { anchor: string; heading: string; detectedLanguage: string }[];
}

export function translationStatus(translations: readonly { locale: string; sections: readonly Section[] }[]) {
  const fullest = [...translations].sort((a, b) => b.sections.length - a.sections.length)[0];
  return translations.map<TranslationStatusShape>((t) => ({
    locale: t.locale,
    sectionCount: t.sections.length,
    // Headings differ between languages, so sections are matched by their place in the document.
    missingSections:
      fullest && fullest !== t
        ? fullest.sections
            .slice(t.sections.length)
            .map((s) => ({ position: s.position, heading: s.heading, fromLocale: fullest.locale }))
        : [],
    otherLanguageSections: t.sections
      .filter((s) => s.detectedLanguage && s.detectedLanguage !== primaryLanguage(t.locale))
      .map((s) => ({ anchor: s.anchor, heading: s.heading, detectedLanguage: s.detectedLanguage! })),
  }));
}
