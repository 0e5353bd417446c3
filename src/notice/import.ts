// Importing a real document (Markdown, HTML or plain text) into sections as
// written, and reporting what was found: the title (from the document), the
// date it states ("Stand: November 2025"), the headings with their levels,
// and warnings a legal team should look at (an empty section, a list
// announced and not given, a passage in another language than its
// translation). A table of contents is recognised and left out: the
// sections are the document.
import type { Element, ElementContent, Root as HastRoot, RootContent as HastContent } from 'hast';
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
import { dateLine, type DocumentDate } from './dates.js';
import { languageName, otherLanguagePassage, primaryLanguage } from './language.js';
import { plainTextToMdast } from './plain-text.js';
import { announcesList } from './sections.js';

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
  /** The document's own title: its only level-1 heading, else the HTML <title>. */
  title: string | null;
  /** The date the document states, with its precision; the import uses it when given none. */
  date: DocumentDate | null;
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

/** What a web page holds besides its text: the head, scripts, navigation (a table of contents among it). */
const NOT_CONTENT = new Set(['head', 'script', 'style', 'template', 'noscript', 'nav']);

function elements(node: HastRoot | Element, name: string): Element[] {
  const found: Element[] = [];
  const walk = (n: HastRoot | ElementContent | HastContent) => {
    if (n.type === 'element' && n.tagName === name) found.push(n);
    if ('children' in n) for (const c of n.children) walk(c);
  };
  walk(node);
  return found;
}

function hastText(node: ElementContent | Element): string {
  if (node.type === 'text') return node.value;
  return 'children' in node ? node.children.map((c) => hastText(c as ElementContent)).join('') : '';
}

/** The text of a page: its <main> (or only <article>) when it has one, without head, scripts and navigation. */
function pageContent() {
  return (tree: HastRoot) => {
    const main =
      elements(tree, 'main')[0] ?? (elements(tree, 'article').length === 1 ? elements(tree, 'article')[0] : null);
    if (main) tree.children = [main];
    const prune = (parent: HastRoot | Element) => {
      parent.children = parent.children.filter(
        (c) => !(c.type === 'element' && NOT_CONTENT.has(c.tagName)),
      ) as typeof parent.children;
      for (const c of parent.children) if (c.type === 'element') prune(c);
    };
    prune(tree);
  };
}

const markdownParser = unified().use(remarkParse).use(remarkGfm);
// HTML is sanitised before it becomes Markdown: nothing executable reaches the sections.
const htmlParser = unified().use(rehypeParse).use(pageContent).use(rehypeSanitize).use(rehypeRemark);
const htmlTitleParser = unified().use(rehypeParse);
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

/** The <title> of an HTML page, when it has one. */
export function htmlTitle(content: string): string | null {
  const title = elements(htmlTitleParser.parse(content), 'title')[0];
  const text = title ? hastText(title).replace(/\s+/g, ' ').trim() : '';
  return text || null;
}

export function mdastToMarkdown(nodes: RootContent[]): string {
  if (nodes.length === 0) return '';
  return String(stringifier.stringify({ type: 'root', children: nodes } as Root)).trim();
}

/** "Introduction" in the translation's language, for text before the first heading. */
const INTRODUCTION: Record<string, string> = {
  de: 'Einleitung',
  nl: 'Inleiding',
  en: 'Introduction',
  fr: 'Introduction',
  es: 'Introducción',
  it: 'Introduzione',
  pt: 'Introdução',
  pl: 'Wstęp',
  sv: 'Inledning',
  da: 'Indledning',
};

const TOC_HEADING =
  /^(inhoudsopgave|inhoud|table of contents|contents|inhaltsverzeichnis|inhalt|sommaire|índice|indice)$/i;
const key = (s: string) =>
  s
    .toLowerCase()
    .replace(/^\s*\d+(\.\d+)*\.?\s+/, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/** The entries of a list, nested lists included. */
function listEntries(node: RootContent): { text: string; link: boolean }[] {
  if (node.type !== 'list') return [];
  return node.children.flatMap((item) =>
    item.children.flatMap((child) =>
      child.type === 'list'
        ? listEntries(child)
        : [
            {
              text: toString(child).trim(),
              link:
                child.type === 'paragraph' && child.children.some((c) => c.type === 'link' && c.url.startsWith('#')),
            },
          ],
    ),
  );
}

/**
 * Leaves out a table of contents: a list most of whose entries are in-page
 * links or name headings that follow, with the heading that introduces it
 * ("Inhalt", "Contents") when it has one.
 */
function withoutTableOfContents(nodes: RootContent[]): RootContent[] {
  const out: RootContent[] = [];
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i]!;
    if (node.type === 'list') {
      const entries = listEntries(node);
      const later = new Set(nodes.slice(i + 1).flatMap((n) => (n.type === 'heading' ? [key(toString(n))] : [])));
      const listed = entries.filter((e) => e.link || later.has(key(e.text))).length;
      if (entries.length >= 3 && listed >= Math.ceil(entries.length * 0.8)) {
        const label = out.at(-1);
        if (label?.type === 'heading' && TOC_HEADING.test(toString(label).trim())) out.pop();
        continue;
      }
    }
    out.push(node);
  }
  // A heading "Contents" left with nothing under it (its list was in the page's navigation).
  return out.filter(
    (n, i) =>
      !(n.type === 'heading' && TOC_HEADING.test(toString(n).trim()) && (out[i + 1]?.type ?? 'heading') === 'heading'),
  );
}

/** The date line of the document: a short paragraph before the first heading or among the last ones. */
function takeDate(nodes: RootContent[]): { date: DocumentDate | null; nodes: RootContent[] } {
  const firstHeading = nodes.findIndex((n) => n.type === 'heading');
  const candidates = nodes
    .map((n, i) => i)
    .filter((i) => (firstHeading < 0 || i < firstHeading || i >= nodes.length - 3) && nodes[i]!.type === 'paragraph');
  for (const i of candidates) {
    const date = dateLine(toString(nodes[i]!));
    if (date) return { date, nodes: nodes.filter((_, j) => j !== i) };
  }
  return { date: null, nodes };
}

interface Draft {
  heading: string;
  level: number;
  nodes: RootContent[];
}

export function importDocument(options: {
  content: string;
  locale: string;
  format?: SourceFormat;
  filename?: string;
  onProgress?: (done: number, total: number) => void;
  /** Leave a date line in the text (Markdown written through the API, which gives its dates apart). */
  keepDateLine?: boolean;
}): ImportReport {
  const format = options.format ?? detectFormat(options.content, options.filename);
  const tree = toMdast(options.content, format, options.onProgress);
  // The title is the document's only level-1 heading, when it comes first; it is not a section.
  const topLevel = tree.children.filter((n) => n.type === 'heading' && n.depth === 1);
  const firstHeading = tree.children.find((n) => n.type === 'heading');
  const titleNode = topLevel.length === 1 && topLevel[0] === firstHeading ? topLevel[0]! : null;
  const title =
    (titleNode ? toString(titleNode).trim() : null) || (format === 'HTML' ? htmlTitle(options.content) : null);

  const content = withoutTableOfContents(tree.children.filter((n) => n !== titleNode));
  const { date, nodes } = options.keepDateLine ? { date: null, nodes: content } : takeDate(content);
  const raw: Draft[] = [];
  const preamble: RootContent[] = [];
  for (const node of nodes) {
    if (node.type === 'heading') raw.push({ heading: toString(node).trim(), level: node.depth, nodes: [] });
    else if (raw.length === 0) preamble.push(node);
    else raw.at(-1)!.nodes.push(node);
  }
  if (preamble.length > 0) {
    // Text before the first heading: an introduction, named in the translation's language.
    const heading = INTRODUCTION[primaryLanguage(options.locale)] ?? title ?? INTRODUCTION.en!;
    raw.unshift({ heading, level: raw[0]?.level ?? 2, nodes: preamble });
  }

  const drafts = raw.filter((s) => s.heading || s.nodes.length);
  const anchors = sectionAnchors(drafts);
  const sections = drafts.map((s, i) => ({
    anchor: anchors[i]!,
    heading: s.heading,
    level: s.level,
    body: mdastToMarkdown(s.nodes),
  }));
  return { format, title, date, sections, warnings: warningsFor(drafts, anchors, options.locale) };
}

/** The passages of a section as text: paragraphs, and list items one by one. */
function passages(nodes: RootContent[]): string[] {
  return nodes.flatMap((n) =>
    n.type === 'list' ? n.children.map((item) => toString(item).trim()) : [toString(n as Content).trim()],
  );
}

const quote = (text: string) => (text.length > 60 ? `${text.slice(0, 57).trimEnd()}…` : text);

function warningsFor(drafts: Draft[], anchors: string[], locale: string): ImportWarning[] {
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
    // A line ending in a colon announces what follows: a list, a table, the sub-sections, or (a short
    // label: "Hinweis für Android-Geräte:") a paragraph. Something is missing when nothing follows, or
    // when a sentence announcing a list is followed by neither list nor table.
    const missing = s.nodes.some((n, j) => {
      if (n.type !== 'paragraph' || !toString(n).trim().endsWith(':')) return false;
      const after = s.nodes[j + 1];
      if (!after) return !hasChildren;
      // Items may also come as labelled paragraphs ("If you are in Europe, contact:").
      const labelled = after.type === 'paragraph' && toString(after).trim().split('\n')[0]!.trim().endsWith(':');
      return after.type !== 'list' && after.type !== 'table' && !labelled && announcesList(toString(n));
    });
    if (missing) {
      warnings.push({
        code: 'LIST_NOT_GIVEN',
        anchor,
        message: `"${s.heading}" announces a list that does not follow`,
      });
    }
    const other = otherLanguagePassage([s.heading, ...passages(s.nodes)], expected);
    if (other) {
      warnings.push({
        code: 'OTHER_LANGUAGE',
        anchor,
        message: other.whole
          ? `"${s.heading}" seems to be in ${languageName(other.language)} in a ${languageName(expected)} translation`
          : `"${s.heading}" has a passage in ${languageName(other.language)} in a ${languageName(expected)} translation: "${quote(other.passage)}"`,
      });
    }
  });
  return warnings;
}
