// Which language a piece of text is in, for "this section seems to be in
// English in a German translation". Function words decide first: they are
// what a sentence is made of, whatever it names, so a German sentence about
// "Firebase Cloud Messaging" still reads as German, and a short English
// paragraph stands out. tinyld judges text without enough of them; short
// text is not judged.
import { detect } from 'tinyld';

/** The languages notices here are written in; limiting the choice makes detection steadier. */
const CANDIDATES = ['nl', 'de', 'en', 'fr', 'es', 'it', 'pt', 'pl', 'sv', 'da'];

export const MIN_WORDS_TO_JUDGE = 12;
/** A paragraph with fewer words is not judged on its own (a label, an address, a list of names). */
export const MIN_WORDS_IN_PASSAGE = 10;

// Words that occur in one of the main languages and hardly in the others
// ("die", "in", "is", "was", "an", "wie", "als" are left out: they belong to
// several). A word listed for two languages ("of", "des") counts for neither.
const FUNCTION_WORDS: Record<string, readonly string[]> = {
  de: 'der das und ist nicht wir sie ihre ihr ihren ihnen uns unsere unser mit für von zu zum zur den dem des ein eine einen einem einer auf werden wird wurde sind oder auch bei nach über durch wenn dass sich können kann diese dieser dieses nur aus'.split(
    ' ',
  ),
  en: 'the and of to is are we you your our us with for that this these which from by be been will can or not on at when where who how if they their there any such may'.split(
    ' ',
  ),
  nl: 'het een en van wij we je jij jouw uw onze ons niet met voor dat deze dit zijn worden wordt bij naar door ook kunnen kan wanneer waar welke hoe alleen uit om op aan of'.split(
    ' ',
  ),
  fr: 'le la les et des un une nous vous vos votre notre est sont pour avec dans sur par pas que qui ce cette ces être'.split(
    ' ',
  ),
};
const LOOKUP = new Map<string, string[]>();
for (const [language, words] of Object.entries(FUNCTION_WORDS)) {
  for (const word of words) LOOKUP.set(word, [...(LOOKUP.get(word) ?? []), language]);
}

const wordsOf = (text: string) => text.toLowerCase().match(/\p{L}+/gu) ?? [];

/** The language whose function words the text is made of, when one clearly leads; null otherwise. */
function functionWordScores(words: readonly string[]): Map<string, number> {
  const score = new Map<string, number>();
  for (const word of words) {
    const languages = LOOKUP.get(word);
    if (languages?.length === 1) score.set(languages[0]!, (score.get(languages[0]!) ?? 0) + 1);
  }
  return score;
}

function byFunctionWords(words: readonly string[]): string | null {
  const score = functionWordScores(words);
  const [first, second] = [...score.entries()].sort((a, b) => b[1] - a[1]);
  if (!first || first[1] < 3) return null;
  // A clear lead: twice the runner-up's count.
  return !second || first[1] >= 2 * second[1] ? first[0] : null;
}

export function detectLanguage(text: string): string | null {
  const words = wordsOf(text);
  if (words.length < MIN_WORDS_TO_JUDGE) return null;
  return byFunctionWords(words) ?? (detect(text, { only: CANDIDATES }) || null);
}

/**
 * The passages (paragraphs, list items, or sentences in them) of a section
 * that are in another language than the expected one. Each passage of at least
 * MIN_WORDS_IN_PASSAGE words is judged by its function words only, so names
 * do not tip it; when none can be judged that way, the section as a whole is
 * judged. `whole` says whether every judged passage is in the other language.
 */
export function otherLanguagePassage(
  passages: readonly string[],
  expected: string,
): { language: string; passage: string; whole: boolean } | null {
  const judge = (passage: string) => {
    const words = wordsOf(passage);
    return words.length >= MIN_WORDS_IN_PASSAGE ? byFunctionWords(words) : null;
  };
  const judged = passages.flatMap((passage) => {
    const language = judge(passage);
    if (language && language !== expected) return [{ passage, language }];
    // A sentence left untranslated inside a translated paragraph.
    const sentence = sentencesOf(passage)
      .map((s) => ({ passage: s, language: judge(s) }))
      .find((s) => s.language && s.language !== expected);
    if (sentence) return [sentence as { passage: string; language: string }];
    return language ? [{ passage, language }] : [];
  });
  if (judged.length === 0) {
    const whole = passages.join('\n');
    const overall = detectLanguage(whole);
    if (!overall || overall === expected) return null;
    // Names alone ("Firebase Cloud Messaging", "Apple Push Notification Service") do not make a
    // section English: its few function words must lean that way too.
    const score = functionWordScores(wordsOf(whole));
    if (FUNCTION_WORDS[overall] && (score.get(overall) ?? 0) <= (score.get(expected) ?? 0)) return null;
    return { language: overall, passage: whole, whole: true };
  }
  const other = judged.filter((j) => j.language !== expected);
  if (other.length === 0) return null;
  return { language: other[0]!.language, passage: other[0]!.passage, whole: other.length === judged.length };
}

/** The sentences of a paragraph: split after . ! ? before a capital letter. */
const sentencesOf = (text: string) => text.split(/(?<=[.!?])\s+(?=[\p{Lu}"'“])/u);

/** The paragraphs of plain text: blocks separated by blank lines, list items one by one. */
export function passagesOf(text: string): string[] {
  return text
    .split(/\n\s*\n|\n(?=\s*[-*+]\s)/)
    .map((p) => p.replace(/^\s*[-*+]\s+/, '').trim())
    .filter(Boolean);
}

export function primaryLanguage(locale: string): string {
  return locale.split('-')[0]!.toLowerCase();
}

const NAMES = new Intl.DisplayNames(['en'], { type: 'language' });
export const languageName = (code: string) => NAMES.of(code) ?? code;
