// Which language a piece of text is in, for "this section seems to be in
// English in a German translation". tinyld needs some text to be sure;
// short text is not judged.
import { detect } from 'tinyld';

/** The languages notices here are written in; limiting the choice makes detection steadier. */
const CANDIDATES = ['nl', 'de', 'en', 'fr', 'es', 'it', 'pt', 'pl', 'sv', 'da'];

export const MIN_WORDS_TO_JUDGE = 12;

export function detectLanguage(text: string): string | null {
  if (text.split(/\s+/).filter(Boolean).length < MIN_WORDS_TO_JUDGE) return null;
  return detect(text, { only: CANDIDATES }) || null;
}

export function primaryLanguage(locale: string): string {
  return locale.split('-')[0]!.toLowerCase();
}

const NAMES = new Intl.DisplayNames(['en'], { type: 'language' });
export const languageName = (code: string) => NAMES.of(code) ?? code;
