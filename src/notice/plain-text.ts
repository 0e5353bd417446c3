// Plain text pasted from a web page → a Markdown syntax tree. Pages lose
// their markup when copied, so headings are recognised by their shape:
// a short line with no closing punctuation that opens a block (on its own,
// or as the first line above a sentence), not a list item and not a label
// ("E-mail: …"). A table of contents at the top (headings listed once before
// they appear with their text) is recognised and left out.
import type { BlockContent, Heading, List, ListItem, Paragraph, PhrasingContent, Root, RootContent } from 'mdast';

const BULLET = /^\s*(?:[•·▪◦●‣∙*–-]|o(?=\s))\s+/u;
const NUMBERED = /^\s*(\d{1,2}|[a-z])[.)]\s+/;
const TOC_LABEL = /^(inhoudsopgave|inhoud|table of contents|contents|inhaltsverzeichnis|inhalt|sommaire)$/i;
const MAX_HEADING_CHARS = 100;
const MAX_HEADING_WORDS = 14;

function isHeadingShaped(line: string): boolean {
  const text = line.trim();
  // Question headings ("What are my rights and how do I exercise them?") run longer.
  const question = text.endsWith('?');
  if (!text || text.length > (question ? 160 : MAX_HEADING_CHARS)) return false;
  if (text.split(/\s+/).length > (question ? 22 : MAX_HEADING_WORDS)) return false;
  if (BULLET.test(line) || NUMBERED.test(line)) return false;
  if (/[.,;:]$/.test(text)) return false;
  if (/:\s/.test(text)) return false; // "E-mailadres: info@…" is a label, not a heading
  if (/@|https?:\/\//.test(text)) return false;
  if (/^[+(\d]/.test(text) && /\d{3}/.test(text)) return false; // phone numbers, postcodes
  return /^[\p{Lu}\p{N}¿¡"'“]/u.test(text);
}

/** "Recht op inzage." above a bulleted list: a short title that happens to end with a full stop. */
function isListTitle(line: string, nextLine: string | undefined): boolean {
  const text = line.trim();
  return (
    nextLine !== undefined &&
    BULLET.test(nextLine) &&
    /\.$/.test(text) &&
    text.split(/\s+/).length <= 8 &&
    isHeadingShaped(text.slice(0, -1))
  );
}

/** A line that reads as running text: long, or ending like a sentence. */
const isSentence = (line: string) => line.trim().length > 60 || /[.!?:;]$/.test(line.trim());

interface Block {
  lines: string[];
}

function blocksOf(text: string): Block[] {
  const blocks: Block[] = [];
  let current: string[] = [];
  for (const raw of text.replace(/\r\n?/g, '\n').split('\n')) {
    const line = raw.replace(/\u00a0/g, ' ').replace(/\s+$/, '');
    if (line.trim() === '') {
      if (current.length) blocks.push({ lines: current });
      current = [];
    } else current.push(line);
  }
  if (current.length) blocks.push({ lines: current });
  return blocks;
}

const text = (value: string): PhrasingContent => ({ type: 'text', value });

/** Lines of one paragraph keep their breaks (addresses, signatures). */
function paragraph(lines: string[]): Paragraph {
  const children: PhrasingContent[] = [];
  lines.forEach((line, i) => {
    if (i > 0) children.push({ type: 'break' });
    children.push(text(line.trim()));
  });
  return { type: 'paragraph', children };
}

/** Splits a block into runs of list items and plain lines. */
function blockContent(lines: string[]): BlockContent[] {
  const out: BlockContent[] = [];
  let plain: string[] = [];
  let list: List | null = null;
  const flushPlain = () => {
    if (plain.length) out.push(paragraph(plain));
    plain = [];
  };
  for (const line of lines) {
    const bullet = BULLET.exec(line);
    const numbered = bullet ? null : NUMBERED.exec(line);
    if (bullet || numbered) {
      flushPlain();
      const ordered = Boolean(numbered);
      if (!list || list.ordered !== ordered) {
        list = { type: 'list', ordered, spread: false, children: [] };
        out.push(list);
      }
      const item: ListItem = {
        type: 'listItem',
        spread: false,
        children: [paragraph([line.slice((bullet ?? numbered)![0].length)])],
      };
      list.children.push(item);
    } else if (list && /^\s{2,}/.test(line)) {
      // An indented line continues the list item above it.
      const last = list.children.at(-1)!.children[0] as Paragraph;
      last.children.push({ type: 'break' }, text(line.trim()));
    } else {
      list = null;
      plain.push(line);
    }
  }
  flushPlain();
  return out;
}

export interface PlainTextOptions {
  onProgress?: (done: number, total: number) => void;
}

export function plainTextToMdast(source: string, options: PlainTextOptions = {}): Root {
  const blocks = blocksOf(source);
  type Item = { kind: 'heading'; text: string; level: number } | { kind: 'content'; nodes: BlockContent[] };
  const items: Item[] = [];
  blocks.forEach((block, index) => {
    const [first, ...rest] = block.lines;
    const next = blocks[index + 1]?.lines[0];
    if (block.lines.length === 1 && (isHeadingShaped(first!) || isListTitle(first!, next))) {
      items.push({ kind: 'heading', text: first!.trim(), level: 2 });
    } else if (rest.length > 0 && isHeadingShaped(first!) && isSentence(rest[0]!) && !BULLET.test(rest[0]!)) {
      // A heading directly above its text, without a blank line: a sub-heading.
      items.push({ kind: 'heading', text: first!.trim(), level: 3 });
      items.push({ kind: 'content', nodes: blockContent(rest) });
    } else {
      items.push({ kind: 'content', nodes: blockContent(block.lines) });
    }
    options.onProgress?.(index + 1, blocks.length);
  });

  // The title: a heading-shaped first line.
  const children: RootContent[] = [];
  let start = 0;
  if (items[0]?.kind === 'heading') {
    children.push({ type: 'heading', depth: 1, children: [text(items[0].text)] });
    start = 1;
  }
  const tocDrop = tableOfContents(items, start);
  for (let i = start; i < items.length; i++) {
    if (tocDrop.has(i)) continue;
    const item = items[i]!;
    if (item.kind === 'heading') {
      children.push({ type: 'heading', depth: item.level as Heading['depth'], children: [text(item.text)] });
    } else children.push(...item.nodes);
  }
  return { type: 'root', children };
}

/**
 * Indexes of a table of contents near the top: a run of headings with no text
 * between them whose entries reappear later as headings. The last heading of
 * the run is a real one (its text follows).
 */
function tableOfContents(items: { kind: string; text?: string }[], start: number): Set<number> {
  const drop = new Set<number>();
  // Skip a short preamble (version lines and the like) before the list.
  for (let from = start; from < Math.min(items.length, start + 4); from++) {
    let end = from;
    while (end < items.length && items[end]!.kind === 'heading') end++;
    const run = items.slice(from, end - 1);
    if (run.length < 3) continue;
    const later = new Set(items.slice(end - 1).flatMap((it) => (it.kind === 'heading' ? [norm(it.text)] : [])));
    const listed = run.filter((it) => later.has(norm(it.text)) || TOC_LABEL.test((it.text ?? '').trim()));
    if (listed.length >= Math.ceil(run.length * 0.6)) {
      for (let i = from; i < end - 1; i++) drop.add(i);
      return drop;
    }
  }
  return drop;
}

const norm = (s: string | undefined) =>
  (s ?? '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
