// A section as stored: its Markdown plus what is derived from it when it is
// written (safe HTML, plain text, languages), so reads never re-render.
import { detectLanguage, primaryLanguage } from './language.js';
import { markdownToHtml, markdownToText } from './render.js';

export interface SectionSource {
  anchor: string;
  heading: string;
  level: number;
  body: string;
}

export function sectionRecord(section: SectionSource, locale: string) {
  const text = markdownToText(section.body);
  return {
    anchor: section.anchor,
    heading: section.heading,
    level: section.level,
    body: section.body,
    html: markdownToHtml(section.body),
    text,
    language: primaryLanguage(locale),
    detectedLanguage: detectLanguage(`${section.heading}. ${text}`),
  };
}
