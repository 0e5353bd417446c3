// A whole translation rendered from its stored sections: Markdown, safe HTML
// (each heading carries its anchor as id) and plain text, plus a table of
// contents. Section HTML was sanitised when written; headings are escaped here.
// The title is the level-1 heading; a section keeps its own level (a level-2
// section is an <h2>, as it was written).
import { escapeHtml } from './render.js';

export interface RenderedSection {
  anchor: string;
  heading: string;
  level: number;
  body: string;
  html: string;
  text: string;
}

const headingLevel = (level: number) => Math.min(6, Math.max(1, level));

export function documentMarkdown(title: string, sections: readonly RenderedSection[]): string {
  const parts = [`# ${title}`];
  for (const s of sections) {
    parts.push(`${'#'.repeat(headingLevel(s.level))} ${s.heading}`);
    if (s.body.trim()) parts.push(s.body.trim());
  }
  return `${parts.join('\n\n')}\n`;
}

export function documentHtml(title: string, sections: readonly RenderedSection[]): string {
  const parts = [`<h1>${escapeHtml(title)}</h1>`];
  for (const s of sections) {
    const tag = `h${headingLevel(s.level)}`;
    parts.push(`<${tag} id="${escapeHtml(s.anchor)}">${escapeHtml(s.heading)}</${tag}>`);
    if (s.html) parts.push(s.html);
  }
  return parts.join('\n');
}

export function documentText(title: string, sections: readonly RenderedSection[]): string {
  const parts = [title];
  for (const s of sections) {
    parts.push(s.heading);
    if (s.text) parts.push(s.text);
  }
  return `${parts.join('\n\n')}\n`;
}
