// Importing a real document (Markdown, HTML or plain text) into sections, and
// reporting what was found: the headings, and warnings a legal team should
// look at (an empty section, a list announced and not given, a section in
// another language than its translation).
import type { Content, Root, RootContent } from 'mdast';
import { toString } from 'mdast-util-to-string';
import rehypeParse from 'rehype-parse';
import rehypeRemark from 'rehype-remark';
import rehypeSanitize from 'rehype-sanitize';
import remarkGfm from 'remark-gfm';
import remarkParse from 'remark-parse';
import remarkStringify from 'remark-stringify';
import { unified } from 'unified';
import { sectionAnchors } from '../domain/anchors.js';
import { detectLanguage, languageName, primaryLanguage } from './language.js';
import { plainTextToMdast } from './plain-text.js';

export type SourceFormat = 'MARKDOWN' | 'HTML' | 'TEXT';

export interface ImportedSection {
  anchor: string;
  heading: string;
  level: number;
  /** Markdown. */
  body: string;
}

export type ImportWarningCode = 'EMPTY_SECTION' | 'LIST_NOT_GIVEN' | 'OTHER_LANGUAGE' | 'NO_HEADINGS';

export interface ImportWarning {
  code: ImportWarningCode;
  anchor: string | null;
  message: string;
}

export interface ImportReport {
  format: SourceFormat;
  title: string | null;
  sections: ImportedSection[];
  warnings: ImportWarning[];
}

export function detectFormat(content: string, filename?: string): SourceFormat {
  const ext = filename?.toLowerCase().split('.').pop();
  if (ext === 'md' || ext === 'markdown') return 'MARKDOWN';
  if (ext === 'html' || ext === 'htm') return 'HTML';
  // A .txt file may still hold Markdown or HTML (an extract saved as text): look inside.
  if (/<(html|body|p|h[1-6]|div|ul|section|article)[\s>]/i.test(content)) return 'HTML';
  const atxHeadings = content.match(/^#{1,6}\s+\S/gm)?.length ?? 0;
  if (atxHeadings >= 2 || (ext !== 'txt' && /\[[^\]]+\]\([^)]+\)/.test(content))) return 'MARKDOWN';
  return 'TEXT';
}

const markdownParser = unified().use(remarkParse).use(remarkGfm);
// HTML is sanitised before it becomes Markdown: nothing executable reaches the sections.
const htmlParser = unified().use(rehypeParse).use(rehypeSanitize).use(rehypeRemark);
const stringifier = unified().use(remarkGfm).use(remarkStringify, { bullet: '-', emphasis: '_', rule: '-' });

export function toMdast(
  content: string,
  format: SourceFormat,
  onProgress?: (done: number, total: number) => void,
): Root {
  if (format === 'TEXT') return plainTextToMdast(content, { onProgress });
  const tree =
    format === 'HTML'
      ? (htmlParser.runSync(htmlParser.parse(content)) as Root)
      : (markdownParser.runSync(markdownParser.parse(content)) as Root);
  onProgress?.(1, 1);
  return tree;
}

export function mdastToMarkdown(nodes: RootContent[]): string {
  if (nodes.length === 0) return '';
  return String(stringifier.stringify({ type: 'root', children: nodes } as Root)).trim();
}

export function importDocument(options: {
  content: string;
  locale: string;
  format?: SourceFormat;
  filename?: string;
  onProgress?: (done: number, total: number) => void;
}): ImportReport {
  const format = options.format ?? detectFormat(options.content, options.filename);
  const tree = toMdast(options.content, format, options.onProgress);
  const topLevel = tree.children.filter((n) => n.type === 'heading' && n.depth === 1);
  const titleNode = topLevel.length === 1 ? topLevel[0]! : null;
  const title = titleNode ? toString(titleNode).trim() : null;

  const raw: { heading: string; level: number; nodes: RootContent[] }[] = [];
  const preamble: RootContent[] = [];
  for (const node of tree.children) {
    if (node === titleNode) continue;
    if (node.type === 'heading') raw.push({ heading: toString(node).trim(), level: node.depth, nodes: [] });
    else if (raw.length === 0) preamble.push(node);
    else raw.at(-1)!.nodes.push(node);
  }
  if (preamble.length > 0) raw.unshift({ heading: title ?? 'Introduction', level: 1, nodes: preamble });

  const drafts = raw.filter((s) => s.heading || s.nodes.length);
  const anchors = sectionAnchors(drafts);
  const sections = drafts.map((s, i) => ({
    anchor: anchors[i]!,
    heading: s.heading,
    level: s.level,
    body: mdastToMarkdown(s.nodes),
  }));
  return { format, title, sections, warnings: warningsFor(drafts, anchors, options.locale) };
}

function warningsFor(
  drafts: { heading: string; level: number; nodes: RootContent[] }[],
  anchors: string[],
  locale: string,
): ImportWarning[] {
  const warnings: ImportWarning[] = [];
  if (drafts.length <= 1) {
    warnings.push({
      code: 'NO_HEADINGS',
      anchor: null,
      message: 'no headings were found: the document is one section',
    });
  }
  const expected = primaryLanguage(locale);
  drafts.forEach((s, i) => {
    const anchor = anchors[i]!;
    const next = drafts[i + 1];
    const hasChildren = next !== undefined && next.level > s.level;
    const bodyText = s.nodes
      .map((n) => toString(n as Content))
      .join('\n')
      .trim();
    if (!bodyText && !hasChildren) {
      warnings.push({ code: 'EMPTY_SECTION', anchor, message: `"${s.heading}" looks empty` });
    }
    const announcing = s.nodes.findIndex(
      (n, j) => n.type === 'paragraph' && toString(n).trim().endsWith(':') && s.nodes[j + 1]?.type !== 'list',
    );
    // A list announced at the very end may be given by the sub-sections that follow.
    if (announcing >= 0 && !(hasChildren && announcing === s.nodes.length - 1)) {
      warnings.push({
        code: 'LIST_NOT_GIVEN',
        anchor,
        message: `"${s.heading}" announces a list that does not follow`,
      });
    }
    const language = detectLanguage(`${s.heading}. ${bodyText}`);
    if (language && language !== expected) {
      warnings.push({
        code: 'OTHER_LANGUAGE',
        anchor,
        message: `"${s.heading}" seems to be in ${languageName(language)} in a ${languageName(expected)} translation`,
      });
    }
  });
  return warnings;
}
