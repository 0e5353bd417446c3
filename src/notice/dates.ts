// "Stand: November 2025", "Last updated: 3 March 2026", "Laatst gewijzigd op
// 12 januari 2026", "Datum: 1-3-2025": the line of a notice that says when it
// was written. Read as a date with its precision (a month alone is a month,
// not its first day); the import reports it and uses it when no date is given.

export interface DocumentDate {
  /** YYYY-MM-DD; the first day of the month when only the month is given. */
  date: string;
  precision: 'DAY' | 'MONTH';
  /** The line as written. */
  text: string;
}

const MONTHS: Record<string, number> = {};
const names: [string, number][] = [
  ['january jan januar januari janvier', 1],
  ['february feb februar februari février fevrier', 2],
  ['march mar märz maerz maart mars', 3],
  ['april apr avril', 4],
  ['may mai mei', 5],
  ['june jun juni juin', 6],
  ['july jul juli juillet', 7],
  ['august aug augustus août aout', 8],
  ['september sep sept septembre', 9],
  ['october oct oktober okt octobre', 10],
  ['november nov novembre', 11],
  ['december dec dezember dez décembre decembre', 12],
];
for (const [words, month] of names) for (const w of words.split(' ')) MONTHS[w] = month;

/** The words that introduce a notice's date, in the languages of the notices. */
const LEAD =
  /(?:^|[\s–—(-])(stand|zuletzt (?:aktualisiert|geändert)|letzte (?:aktualisierung|änderung)|gültig ab|last (?:updated|modified|revised|changed)|updated|effective(?: date| from| as of)?|laatst (?:gewijzigd|bijgewerkt|aangepast)|laatste (?:aanpassing|wijziging)|bijgewerkt|versie|datum|date|version)\b(?:\s+(?:on|op|am|vom|per|:))?\s*:?\s*/i;

const pad = (n: number) => String(n).padStart(2, '0');

function valid(y: number, m: number, d: number): boolean {
  const date = new Date(Date.UTC(y, m - 1, d));
  return y >= 1990 && y <= 2100 && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

/** A date at the start of the text: day or month precision; null when none. */
export function parseDate(text: string): (Omit<DocumentDate, 'text'> & { length: number }) | null {
  const t = text.trim().toLowerCase().replace(/\s+/g, ' ');
  const found = read(t);
  return found ? { ...found.value, length: found.length } : null;
}

function read(t: string): { value: Omit<DocumentDate, 'text'>; length: number } | null {
  const at = (m: RegExpExecArray, value: Omit<DocumentDate, 'text'> | null) =>
    value ? { value, length: m[0].length } : null;
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})\b/.exec(t);
  if (m) return at(m, day(+m[1]!, +m[2]!, +m[3]!));
  // 1-3-2025, 01.03.2025, 1/3/2025: day first, as in the notices' languages.
  m = /^(\d{1,2})[./-](\d{1,2})[./-](\d{4})\b/.exec(t);
  if (m) return at(m, day(+m[3]!, +m[2]!, +m[1]!));
  // 3 March 2026, 3. März 2026, 12 januari 2026
  m = /^(\d{1,2})\.?\s+(\p{L}+)\.?,?\s+(\d{4})\b/u.exec(t);
  if (m && MONTHS[m[2]!]) return at(m, day(+m[3]!, MONTHS[m[2]!]!, +m[1]!));
  // March 3, 2026
  m = /^(\p{L}+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b/u.exec(t);
  if (m && MONTHS[m[1]!]) return at(m, day(+m[3]!, MONTHS[m[1]!]!, +m[2]!));
  // November 2025, 11/2025, 2025-11
  m = /^(\p{L}+)\.?\s+(\d{4})\b/u.exec(t);
  if (m && MONTHS[m[1]!]) return at(m, month(+m[2]!, MONTHS[m[1]!]!));
  m = /^(\d{1,2})[./](\d{4})\b/.exec(t) ?? /^(\d{4})-(\d{1,2})\b(?!-)/.exec(t);
  if (m) return at(m, m[1]!.length === 4 ? month(+m[1]!, +m[2]!) : month(+m[2]!, +m[1]!));
  return null;
}

function day(y: number, m: number, d: number) {
  return valid(y, m, d) ? { date: `${y}-${pad(m)}-${pad(d)}`, precision: 'DAY' as const } : null;
}
function month(y: number, m: number) {
  return valid(y, m, 1) ? { date: `${y}-${pad(m)}-01`, precision: 'MONTH' as const } : null;
}

/** The longest line that is only a date statement ("Versie 2.0 – Datum: 1-3-2025" still is). */
const MAX_LINE = 80;

/** The date a short line states, when the line is a date statement and nothing else. */
export function dateLine(line: string): DocumentDate | null {
  const text = line.trim();
  if (!text || text.length > MAX_LINE) return null;
  // Several leads may precede the date ("Versie 2.0 – Datum: …"): try each.
  const lead = new RegExp(LEAD.source, 'gi');
  for (let m = lead.exec(text); m; m = lead.exec(text)) {
    const rest = text.slice(m.index + m[0].length);
    const parsed = parseDate(rest);
    // Nothing of substance may follow the date: a full stop or a bracketed remark at most.
    if (parsed && /^\s*(?:[.)]|\(.*\))?\s*$/.test(rest.trim().slice(parsed.length))) {
      return { date: parsed.date, precision: parsed.precision, text };
    }
  }
  return null;
}
