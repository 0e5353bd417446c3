// What changed between two versions of a translation: sections added, removed
// and changed (matched by anchor), with word-level changes inside a changed
// section, the way a reader compares two versions of a policy.
import { diffWords } from 'diff';

export interface DiffableSection {
  anchor: string;
  heading: string;
  level: number;
  text: string;
}

export interface TextChange {
  kind: 'ADDED' | 'REMOVED' | 'UNCHANGED';
  text: string;
}

export interface SectionChange<S extends DiffableSection> {
  anchor: string;
  before: S;
  after: S;
  changes: TextChange[];
}

export interface SectionDiff<S extends DiffableSection> {
  added: S[];
  removed: S[];
  changed: SectionChange<S>[];
  unchanged: number;
}

const content = (s: DiffableSection) => `${s.heading}\n${s.text}`;

export function wordChanges(before: string, after: string): TextChange[] {
  return diffWords(before, after).map((part) => ({
    kind: part.added ? 'ADDED' : part.removed ? 'REMOVED' : 'UNCHANGED',
    text: part.value,
  }));
}

/** Changes from `from` to `to`. */
export function diffSections<S extends DiffableSection>(from: readonly S[], to: readonly S[]): SectionDiff<S> {
  const before = new Map(from.map((s) => [s.anchor, s]));
  const after = new Map(to.map((s) => [s.anchor, s]));
  const diff: SectionDiff<S> = { added: [], removed: [], changed: [], unchanged: 0 };
  for (const s of to) {
    const old = before.get(s.anchor);
    if (!old) diff.added.push(s);
    else if (content(old) === content(s) && old.level === s.level) diff.unchanged += 1;
    else diff.changed.push({ anchor: s.anchor, before: old, after: s, changes: wordChanges(content(old), content(s)) });
  }
  for (const s of from) if (!after.has(s.anchor)) diff.removed.push(s);
  return diff;
}
