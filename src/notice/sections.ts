// A section as stored: its Markdown plus what is derived from it when it is
// written (safe HTML, plain text, languages), so reads never re-render.
import { detectLanguage, otherLanguagePassage, passagesOf, primaryLanguage } from './language.js';
import { markdownToHtml, markdownToText } from './render.js';

/** Words that announce a list: "the following", "namely", "as follows", in the notices' languages. */
const ANNOUNCING =
  /\b(following|as follows|namely|these|include|volgende|namelijk|als volgt|onder andere|deze|folgende[nrs]?|wie folgt|nämlich|unter anderem|diese[nrs]?|suivant(e|es|s)?)\b/i;
/**
 * Whether a paragraph ending in a colon announces a list ("Wij nemen de
 * volgende maatregelen:", "…, namelijk:"), rather than labelling what follows
 * ("Hinweis für Android-Geräte:", "…, please write to:" above an address).
 * Either announces something when nothing follows.
 */
export function announcesList(paragraph: string): boolean {
  const text = paragraph.trim();
  return text.endsWith(':') && ANNOUNCING.test(text);
}

export interface SectionSource {
  anchor: string;
  heading: string;
  level: number;
  body: string;
}

export function sectionRecord(section: SectionSource, locale: string) {
  const text = markdownToText(section.body);
  const language = primaryLanguage(locale);
  // A paragraph in another language marks the section, even when the rest is in its own.
  const other = otherLanguagePassage([section.heading, ...passagesOf(text)], language);
  return {
    anchor: section.anchor,
    heading: section.heading,
    level: section.level,
    body: section.body,
    html: markdownToHtml(section.body),
    text,
    language,
    detectedLanguage: other?.language ?? detectLanguage(`${section.heading}. ${text}`),
  };
}
