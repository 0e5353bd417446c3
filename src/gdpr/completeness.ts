// The completeness report of a notice version: every Art. 13 item (and the
// Art. 14 items where data is not collected from the person), its status, and
// the facts and sections that satisfy it. Structured facts and the notice text
// are both checked: a section that announces a list and gives none is PARTIAL.
import { RULES, type CompletenessInput, type Fact, type Rule } from './rules.js';

export type ItemStatus = 'PRESENT' | 'PARTIAL' | 'MISSING' | 'NOT_APPLICABLE';

export interface SectionText {
  anchor: string;
  heading: string;
  body: string;
  text: string;
}

export interface CompletenessItem {
  id: string;
  article: string;
  title: string;
  status: ItemStatus;
  facts: Fact[];
  sections: { anchor: string; heading: string }[];
  note: string | null;
}

export interface CompletenessReport {
  /** 0–100: present items count whole, partial ones half, over the items that apply. */
  score: number;
  items: CompletenessItem[];
}

/** A section with a paragraph announcing a list ("…de volgende maatregelen:") that no list follows. */
export function announcesMissingList(section: SectionText): boolean {
  const blocks = section.body
    .split(/\n\s*\n/)
    .map((b) => b.trim())
    .filter(Boolean);
  return blocks.some((block, i) => block.endsWith(':') && !/^([-*+]|\d+[.)])\s/.test(blocks[i + 1] ?? ''));
}

/** Sections whose heading names the item; failing those, sections whose text mentions it. */
function sectionsFor(rule: Rule, sections: readonly SectionText[]) {
  const byHeading = sections.filter((s) => rule.words.test(s.heading));
  if (byHeading.length > 0) return { matched: byHeading, about: byHeading };
  return { matched: sections.filter((s) => rule.words.test(s.text)), about: [] };
}

export function evaluateRule(rule: Rule, input: CompletenessInput, sections: readonly SectionText[]): CompletenessItem {
  const base = { id: rule.id, article: rule.article, title: rule.title };
  if (rule.applies && !rule.applies(input)) {
    return { ...base, status: 'NOT_APPLICABLE', facts: [], sections: [], note: null };
  }
  const facts = rule.facts(input);
  const { matched, about } = sectionsFor(rule, sections);
  const refs = matched.map(({ anchor, heading }) => ({ anchor, heading }));
  // Only a section about the item can leave its list out; a passing mention elsewhere cannot.
  const emptyList = about.find(announcesMissingList);
  // A shortfall counts once the item is addressed at all, by facts or by text.
  const shortfall = facts.length > 0 || matched.length > 0 ? (rule.shortfall?.(input) ?? null) : null;
  let status: ItemStatus;
  let note: string | null = null;
  if (emptyList) {
    status = 'PARTIAL';
    note = `"${emptyList.heading}" announces a list that does not follow`;
  } else if (shortfall) {
    status = 'PARTIAL';
    note = shortfall;
  } else if (facts.length > 0 && matched.length > 0) {
    status = 'PRESENT';
  } else if (facts.length > 0) {
    status = 'PARTIAL';
    note = 'recorded, but no section of the notice speaks of it';
  } else if (matched.length > 0) {
    status = 'PARTIAL';
    note = 'the notice speaks of it, but no facts are recorded';
  } else {
    status = 'MISSING';
  }
  return { ...base, status, facts, sections: refs, note };
}

export function completeness(input: CompletenessInput, sections: readonly SectionText[]): CompletenessReport {
  const items = RULES.map((rule) => evaluateRule(rule, input, sections));
  const applicable = items.filter((i) => i.status !== 'NOT_APPLICABLE');
  const points = applicable.reduce(
    (sum, i) => sum + (i.status === 'PRESENT' ? 1 : i.status === 'PARTIAL' ? 0.5 : 0),
    0,
  );
  return { score: applicable.length ? Math.round((100 * points) / applicable.length) : 0, items };
}
