// Plain text pasted from a web page → a Markdown syntax tree. Pages lose
// their markup when copied, so headings are recognised by their shape:
// a short line with no closing punctuation that opens a block (on its own,
// or as the first line above a sentence), not a list item, not a label
// ("E-mail: …") and not a date line ("Stand: November 2025"). A table of
// contents at the top (entries listed before they appear as headings) is
// recognised and left out. Heading levels are read, in this order, from the
// headings' numbers ("2.1"), the table of contents (indented entries, or the
// entries listed there being the top level), and the shape of the text (a
// heading directly followed by another, or by a line announcing what follows,
// is the parent of the headings that come next).
import type { BlockContent, Heading, List, ListItem, Paragraph, PhrasingContent, Root, RootContent } from 'mdast';
import { dateLine } from './dates.js';

const BULLET = /^\s*(?:[•·▪◦●‣∙*–-]|o(?=\s))\s+/u;
const NUMBERED = /^\s*(\d{1,2}|[a-z])[.)]\s+/;
const TOC_LABEL = /^(inhoudsopgave|inhoud|table of contents|contents|inhaltsverzeichnis|inhalt|sommaire)$/i;
const MAX_HEADING_CHARS = 100;
const MAX_HEADING_WORDS = 14;
const BACK_TO_TOP =
  /^\s*[↑^]?\s*(scroll naar boven|naar boven|terug naar boven|back to top|to top|nach oben|zurück nach oben)\s*[↑^]?\s*$/i;
/** "2.1 Daten auf Ihrem Gerät", "3. Speicherdauer": a numbered heading. */
const NUMBERED_HEADING = /^\s*(\d{1,2}(?:\.\d{1,2})*)\.?\s+(\S.*)$/;

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
  if (dateLine(text)) return false; // "Laatst gewijzigd 12 januari 2026" is the date, not a heading
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
    // A page's "back to top" link is not part of the text.
    if (BACK_TO_TOP.test(line)) continue;
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

/** A numbered heading's number ("2.1") and text, when the line is one. */
function numberedHeading(line: string): { number: string[]; text: string } | null {
  const m = NUMBERED_HEADING.exec(line);
  if (!m || !isHeadingShaped(m[2]!)) return null;
  return { number: m[1]!.split('.'), text: line.trim() };
}

/**
 * Whether "1. Foo" lines opening blocks count as headings: when their numbers
 * run 1, 2, 3… through the document (or restart under sub-numbers). A list
 * copied from a page numbers every item "1." and is not a run of headings.
 */
function sequentialNumbers(blocks: readonly Block[]): boolean {
  const numbers = blocks.flatMap((b) => {
    const found = numberedHeading(b.lines[0]!);
    const alone = b.lines.length === 1 || (isSentence(b.lines[1]!) && !BULLET.test(b.lines[1]!));
    return found && alone && found.number.length === 1 ? [Number(found.number[0])] : [];
  });
  if (numbers.length < 2) return false;
  // A table of contents lists the numbers once more: count each run from where it restarts.
  return numbers.every((n, i) => i === 0 || n === numbers[i - 1]! + 1 || (n === 1 && numbers[i - 1]! > 1));
}

type Shape = 'alone' | 'attached' | 'listTitle' | 'numbered';
type Item =
  | { kind: 'heading'; text: string; level: number; shape: Shape; number?: string[] }
  | { kind: 'content'; nodes: BlockContent[]; lines: string[] };

export function plainTextToMdast(source: string, options: PlainTextOptions = {}): Root {
  const blocks = blocksOf(source);
  const numberedOk = sequentialNumbers(blocks);
  const items: Item[] = [];
  blocks.forEach((block, index) => {
    const [first, ...rest] = block.lines;
    const next = blocks[index + 1]?.lines[0];
    const found = numberedHeading(first!);
    const numbered = found && (found.number.length > 1 || numberedOk) ? found : null;
    const attachedText = rest.length > 0 && isSentence(rest[0]!) && !BULLET.test(rest[0]!);
    if (numbered && (block.lines.length === 1 || attachedText)) {
      items.push({ kind: 'heading', text: numbered.text, level: 2, shape: 'numbered', number: numbered.number });
      if (rest.length) items.push({ kind: 'content', nodes: blockContent(rest), lines: rest });
    } else if (block.lines.length === 1 && (isHeadingShaped(first!) || isListTitle(first!, next))) {
      items.push({
        kind: 'heading',
        text: first!.trim(),
        level: 2,
        shape: isHeadingShaped(first!) ? 'alone' : 'listTitle',
      });
    } else if (isHeadingShaped(first!) && attachedText) {
      // A heading directly above its text, without a blank line: a sub-heading.
      items.push({ kind: 'heading', text: first!.trim(), level: 3, shape: 'attached' });
      items.push({ kind: 'content', nodes: blockContent(rest), lines: rest });
    } else {
      items.push({ kind: 'content', nodes: blockContent(block.lines), lines: block.lines });
    }
    options.onProgress?.(index + 1, blocks.length);
  });

  // The title: a heading-shaped first line.
  const children: RootContent[] = [];
  let start = 0;
  if (items[0]?.kind === 'heading' && items[0].shape !== 'numbered') {
    children.push({ type: 'heading', depth: 1, children: [text(items[0].text)] });
    start = 1;
  }
  const toc = tableOfContents(items, start);
  const body = items.slice(start).filter((_, i) => !toc.drop.has(i + start));
  assignLevels(body, toc.entries);
  for (const item of body) {
    if (item.kind === 'heading') {
      children.push({ type: 'heading', depth: item.level as Heading['depth'], children: [text(item.text)] });
    } else children.push(...item.nodes);
  }
  return { type: 'root', children };
}

interface TocEntry {
  text: string;
  indent: number;
}

/** The entries an item would give as part of a table of contents; null when it cannot be one. */
function tocEntriesOf(item: Item): TocEntry[] | null {
  if (item.kind === 'heading') return [{ text: item.text, indent: 0 }];
  const entries: TocEntry[] = [];
  for (const line of item.lines) {
    const entry = line.replace(BULLET, '').trim();
    if (!isHeadingShaped(entry.replace(NUMBERED_HEADING, '$2'))) return null;
    entries.push({ text: entry, indent: /^\s*/.exec(line.replace(/\t/g, '    '))?.[0].length ?? 0 });
  }
  return entries;
}

/**
 * A table of contents near the top: a run of short entries (headings on their
 * own, or lines of one block) with no text between them whose entries reappear
 * later as headings. The run ends at its last entry that reappears; what
 * follows it is the document (its first heading may be a parent, so directly
 * followed by another heading).
 */
function tableOfContents(items: Item[], start: number): { drop: Set<number>; entries: TocEntry[] } {
  const none = { drop: new Set<number>(), entries: [] };
  // Skip a short preamble (version lines and the like) before the list.
  for (let from = start; from < Math.min(items.length, start + 4); from++) {
    const run: { index: number; entries: TocEntry[] }[] = [];
    for (let i = from; i < items.length; i++) {
      const entries = tocEntriesOf(items[i]!);
      if (!entries) break;
      run.push({ index: i, entries });
    }
    let cut = -1;
    let listed = 0;
    let total = 0;
    const tocEntries: TocEntry[] = [];
    run.forEach(({ index, entries }, r) => {
      const later = new Set(items.slice(index + 1).flatMap((it) => (it.kind === 'heading' ? [entryKey(it.text)] : [])));
      const hits = entries.filter((e) => later.has(entryKey(e.text)) || TOC_LABEL.test(e.text)).length;
      if (hits > 0) {
        cut = r;
        listed += hits;
        total = run.slice(0, r + 1).reduce((n, x) => n + x.entries.length, 0);
      }
    });
    if (cut < 0 || listed < 3 || listed < Math.ceil(total * 0.6)) continue;
    const drop = new Set<number>();
    for (const { index, entries } of run.slice(0, cut + 1)) {
      drop.add(index);
      tocEntries.push(...entries.filter((e) => !TOC_LABEL.test(e.text)));
    }
    return { drop, entries: tocEntries };
  }
  return none;
}

/** A heading as a table of contents lists it: without its number, case or punctuation. */
const entryKey = (s: string) => norm(s.replace(NUMBERED_HEADING, '$2'));

/** Heading levels: from their numbers, else the table of contents, else the shape of the text. */
function assignLevels(items: Item[], toc: readonly TocEntry[]) {
  const headings = items.filter((it): it is Extract<Item, { kind: 'heading' }> => it.kind === 'heading');
  if (headings.length === 0) return;
  const indents = [...new Set(toc.map((e) => e.indent))].sort((a, b) => a - b);
  const tocLevel = new Map(toc.map((e) => [entryKey(e.text), 2 + indents.indexOf(e.indent)]));
  const listed = (h: { text: string }) => tocLevel.has(entryKey(h.text));
  // The table of contents lists the top level only when some headings are not in it.
  const topLevelOnly = indents.length === 1 && headings.some(listed) && !headings.every(listed);
  let parentLevel = 2;
  for (const h of headings) {
    if (h.number) h.level = Math.min(6, 1 + h.number.length);
    else if (indents.length > 1 && listed(h)) h.level = Math.min(6, tocLevel.get(entryKey(h.text))!);
    else if (topLevelOnly && listed(h)) h.level = 2;
    else {
      // Not in the table of contents: a sub-section of the last heading that is.
      if (topLevelOnly || indents.length > 1) h.level = Math.min(6, parentLevel + 1);
      continue;
    }
    parentLevel = h.level;
  }
  const structural = !topLevelOnly && indents.length <= 1;
  if (structural) parentsByShape(items);
  // The top level is 2 (1 is the title), whatever the shapes gave.
  const min = Math.min(...headings.map((h) => h.level));
  if (min > 2) for (const h of headings) h.level -= min - 2;
}

/**
 * A heading directly followed by another heading, or whose text ends by
 * announcing what follows ("…the following:"), is a parent: the headings that
 * come next, of the shape of its first child, are one level below it, until
 * a heading of another shape or the next parent.
 */
function parentsByShape(items: Item[]) {
  for (let i = 0; i < items.length; i++) {
    const parent = items[i]!;
    if (parent.kind !== 'heading' || parent.number) continue;
    let j = i + 1;
    const content = items[j]?.kind === 'content' ? (items[j++] as Extract<Item, { kind: 'content' }>) : null;
    if (content && !content.lines.at(-1)!.trim().endsWith(':')) continue;
    const first = items[j];
    if (first?.kind !== 'heading' || first.number || first.level > parent.level) continue;
    const children = items.slice(j).filter((it) => it.kind === 'heading');
    // Announced sub-sections name alike things ("Recht op inzage", "Recht op correctie"); headings
    // that merely follow a line ending in a colon (a list left out) do not.
    const alike = (h: { text: string; shape: Shape }) =>
      h.shape === 'listTitle' || firstWord(h.text) === firstWord(first.text);
    if (content && !(children.length >= 2 && alike(children[1]!))) continue;
    for (let k = j; k < items.length; k++) {
      const child = items[k]!;
      if (child.kind !== 'heading') continue;
      if (child.shape !== first.shape || child.number || (k > j && startsGroup(items, k))) break;
      if (content && !alike(child)) break;
      child.level = Math.min(6, parent.level + 1);
    }
  }
}

/** Whether the heading at k is itself a parent, by the rule above. */
function startsGroup(items: Item[], k: number): boolean {
  const next = items[k + 1];
  if (next?.kind === 'heading') return true;
  return next?.kind === 'content' && next.lines.at(-1)!.trim().endsWith(':') && items[k + 2]?.kind === 'heading';
}

const firstWord = (s: string) => s.trim().split(/\s+/)[0]!.toLowerCase();

const norm = (s: string | undefined) =>
  (s ?? '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
