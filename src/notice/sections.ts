// A section as stored: its Markdown plus what is derived from it when it is
// written (safe HTML, plain text, languages), so reads never re-render.
import { detectLanguage, otherLanguagePassage, passagesOf, primaryLanguage } from './language.js';
import { markdownToHtml, markdownToText } from './render.js';

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
