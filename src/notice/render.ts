// Markdown → safe HTML and plain text. Everything a browser renders passes
// through rehype-sanitize (GitHub's rules): no script, no event handler, no
// javascript: link survives, whatever the source held.
import rehypeSanitize from 'rehype-sanitize';
import rehypeStringify from 'rehype-stringify';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkRehype from 'remark-rehype';
import remarkStringify from 'remark-stringify';
import stripMarkdown from 'strip-markdown';
import { unified } from 'unified';

const toHtml = unified().use(remarkParse).use(remarkGfm).use(remarkRehype).use(rehypeSanitize).use(rehypeStringify);
// Plain text keeps list items as "- item" so a list still reads as one.
const toText = unified()
  .use(remarkParse)
  .use(remarkGfm)
  .use(stripMarkdown, { keep: ['list', 'listItem'] })
  .use(remarkStringify, { bullet: '-' });

export function markdownToHtml(markdown: string): string {
  return String(toHtml.processSync(markdown)).trim();
}

export function markdownToText(markdown: string): string {
  return (
    String(toText.processSync(markdown))
      // remark-stringify escapes punctuation for Markdown's sake; plain text does not need it.
      .replace(/\\([!-/:-@[-`{-~])/g, '$1')
      .replace(/\n{3,}/g, '\n\n')
      .trim()
  );
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}
