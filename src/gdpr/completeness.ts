// The completeness report of a notice version: every Art. 13 item (and the
// Art. 14 items where data is not collected from the person), its status, and
// the facts and sections that satisfy it. The structured facts valid on the
// version's date come first; the text second: a section speaks of an item when
// its heading or text names it (in any of the rules' languages, which name the
// same things) or mentions one of the facts' values. A section that announces
// a list and gives none is PARTIAL.
import { announcesList } from '../notice/sections.js';
import { factsOn, RULE_LANGUAGES, RULES, type CompletenessInput, type Fact, type Rule } from './rules.js';

export type ItemStatus = 'PRESENT' | 'PARTIAL' | 'MISSING' | 'NOT_APPLICABLE';

export interface SectionText {
  anchor: string;
  heading: string;
  /** 2 for a top-level section; deeper sections are its sub-sections. */
  level?: number;
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

/**
 * A section that ends by announcing a list ("…de volgende maatregelen:") that
 * does not follow: neither in the section nor as its sub-sections (the same
 * rule the import's LIST_NOT_GIVEN warning follows). A label over a paragraph
 * ("Hinweis für Android-Geräte:") is not such an announcement.
 */
export function announcesMissingList(section: SectionText, next?: SectionText): boolean {
  const blocks = section.body
    .split(/\n\s*\n/)
    .map((b) => b.trim())
    .filter(Boolean);
  const subSections = next !== undefined && (next.level ?? 2) > (section.level ?? 2);
  return blocks.some((block, i) => {
    if (!block.endsWith(':')) return false;
    const after = blocks[i + 1];
    if (after === undefined) return !subSections;
    // Items may also come as labelled paragraphs ("If you are in Europe, contact:").
    return !/^([-*+]|\d+[.)]|\|)\s?/.test(after) && !after.split('\n')[0]!.trim().endsWith(':') && announcesList(block);
  });
}

const anyLanguage = (rule: Rule, text: string) => RULE_LANGUAGES.some((l) => rule.words[l].test(text));

/** Whether the text names one of the facts' values (a legal name, an e-mail address). */
function mentions(text: string, values: readonly string[]): boolean {
  const lower = text.toLowerCase();
  return values.some((v) => v.trim().length >= 4 && lower.includes(v.trim().toLowerCase()));
}

/** Sections whose heading names the item; failing those, sections whose text names it or one of its facts' values. */
function sectionsFor(rule: Rule, input: CompletenessInput, sections: readonly SectionText[]) {
  const candidates = sections.filter((s) => !rule.notAbout?.test(s.heading));
  const byHeading = candidates.filter((s) => anyLanguage(rule, s.heading));
  if (byHeading.length > 0) return { matched: byHeading, about: byHeading };
  const values = rule.evidence?.(input) ?? [];
  return { matched: candidates.filter((s) => anyLanguage(rule, s.text) || mentions(s.text, values)), about: [] };
}

export function evaluateRule(rule: Rule, input: CompletenessInput, sections: readonly SectionText[]): CompletenessItem {
  const base = { id: rule.id, article: rule.article, title: rule.title };
  if (rule.applies && !rule.applies(input)) {
    return { ...base, status: 'NOT_APPLICABLE', facts: [], sections: [], note: null };
  }
  const facts = rule.facts(input);
  const { matched, about } = sectionsFor(rule, input, sections);
  const refs = matched.map(({ anchor, heading }) => ({ anchor, heading }));
  // Only a section about the item can leave its list out; a passing mention elsewhere cannot.
  const emptyList = about.find((s) => announcesMissingList(s, sections[sections.indexOf(s) + 1]));
  // A shortfall counts once the item is addressed at all, by facts or by text.
  const shortfall = facts.length > 0 || matched.length > 0 ? (rule.shortfall?.(input) ?? null) : null;
  let status: ItemStatus;
  let note: string | null = null;
  if (emptyList) {
    status = 'PARTIAL';
    note = `"${emptyList.heading}" announces a list that does not follow${shortfall ? `; ${shortfall}` : ''}`;
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

/**
 * The report for one translation. With `at` (the version's effective date),
 * only the facts valid on that day count: an archived version does not count
 * a contact that started later.
 */
export function completeness(
  input: CompletenessInput,
  sections: readonly SectionText[],
  options: { at?: Date } = {},
): CompletenessReport {
  const facts = options.at ? factsOn(input, options.at) : input;
  const items = RULES.map((rule) => evaluateRule(rule, facts, sections));
  const applicable = items.filter((i) => i.status !== 'NOT_APPLICABLE');
  const points = applicable.reduce(
    (sum, i) => sum + (i.status === 'PRESENT' ? 1 : i.status === 'PARTIAL' ? 0.5 : 0),
    0,
  );
  return { score: applicable.length ? Math.round((100 * points) / applicable.length) : 0, items };
}
