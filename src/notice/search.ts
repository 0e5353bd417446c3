// Full-text search over published notice sections, in each language's own
// PostgreSQL configuration (Dutch, German and English stemming; `simple` for
// the rest), ranked, with highlighted snippets. Dutch glues words into
// compounds ("bewaartermijnen"), which stemming alone does not split, so a
// Dutch query also matches compounds that begin with the query's verb stem
// ("bewaren" → "bewaar…").
import type { PrismaClient } from '../db/client.js';
import { translationInForceSql } from '../domain/notice.js';
import { escapeHtml } from './render.js';

export const SEARCH_CONFIGS: Record<string, string> = { nl: 'dutch', de: 'german', en: 'english' };
const ALL_LANGUAGES = ['nl', 'de', 'en', 'other'] as const;

/**
 * The stem Dutch uses in compounds, from an infinitive: bewaren → bewaar,
 * verwerken → verwerk, geven → geef, lezen → lees. Words of other shapes give
 * nothing; short stems are not expanded (too many matches).
 */
export function dutchCompoundStems(word: string): string[] {
  const w = word.toLowerCase();
  if (!/^\p{L}{5,}$/u.test(w) || !w.endsWith('en')) return [];
  let stem = w.slice(0, -2);
  // An open syllable keeps its long vowel in the stem: bewa-ren → bewaar.
  const open = /([^aeiou])([aeiou])([^aeiou])$/.exec(stem);
  if (open && !/(aa|ee|oo|uu)$/.test(stem.slice(0, -1))) stem = `${stem.slice(0, -2)}${open[2]}${open[2]}${open[3]}`;
  stem = stem.replace(/v$/, 'f').replace(/z$/, 's');
  // A doubled consonant is single at the end of a stem: zetten → zet.
  stem = stem.replace(/([^aeiou])\1$/, '$1');
  return stem.length >= 4 ? [stem] : [];
}

export interface SearchOptions {
  query: string;
  /** Limit to one language (the primary subtag of a locale). */
  language?: string | null;
  organisation?: string | null;
  includeHistorical?: boolean;
  now: Date;
  limit: number;
  offset: number;
}

export interface SearchHitRow {
  sectionId: string;
  anchor: string;
  heading: string;
  level: number;
  locale: string;
  versionId: string;
  version: string;
  effectiveDate: Date;
  organisationSlug: string;
  organisationName: string;
  rank: number;
  snippet: string;
  total: number;
}

const START = '\u0002';
const STOP = '\u0003';

function branch(language: (typeof ALL_LANGUAGES)[number], p: (value: unknown) => string, query: string) {
  const config = language === 'other' ? 'simple' : SEARCH_CONFIGS[language]!;
  const vector = `to_tsvector('${config}', s."heading" || ' ' || s."text")`;
  const where = language === 'other' ? `s."language" NOT IN ('nl', 'de', 'en')` : `s."language" = '${language}'`;
  const prefixes =
    language === 'nl'
      ? [...new Set(query.split(/\s+/).flatMap(dutchCompoundStems))].map((stem) => `${stem}:*`).join(' | ')
      : '';
  const tsquery = prefixes
    ? `(websearch_to_tsquery('${config}', ${p(query)}) || to_tsquery('simple', ${p(prefixes)}))`
    : `websearch_to_tsquery('${config}', ${p(query)})`;
  return `SELECT s."id" AS "sectionId", s."anchor", s."heading", s."level", s."text", '${config}' AS config,
      ts_rank(${vector}, ${tsquery}) AS rank, ${tsquery} AS q
    FROM "NoticeSection" s
    WHERE ${where} AND ${vector} @@ ${tsquery}`;
}

export async function searchSections(prisma: PrismaClient, o: SearchOptions): Promise<SearchHitRow[]> {
  const params: unknown[] = [];
  const p = (value: unknown) => {
    params.push(value);
    return `$${params.length}`;
  };
  const languages = o.language
    ? [ALL_LANGUAGES.includes(o.language as never) ? (o.language as (typeof ALL_LANGUAGES)[number]) : 'other']
    : ALL_LANGUAGES;
  const matches = languages.map((l) => branch(l, p, o.query)).join('\nUNION ALL\n');
  const inForce = o.includeHistorical ? '' : `AND ${translationInForceSql('t', 'v', p(o.now))}`;
  const organisation = o.organisation ? `AND o."slug" = ${p(o.organisation)}` : '';
  const sql = `
    WITH m AS (${matches})
    SELECT m."sectionId", m."anchor", m."heading", m."level", t."locale", v."id" AS "versionId", v."version",
      v."effectiveDate", o."slug" AS "organisationSlug", o."name" AS "organisationName", m.rank::float8 AS rank,
      ts_headline(m.config::regconfig, m."heading" || ' — ' || m."text", m.q,
        'StartSel=${START}, StopSel=${STOP}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "') AS snippet,
      count(*) OVER ()::int AS total
    FROM m
    JOIN "NoticeSection" s ON s."id" = m."sectionId"
    JOIN "NoticeTranslation" t ON t."id" = s."translationId"
    JOIN "NoticeVersion" v ON v."id" = t."versionId"
    JOIN "Notice" n ON n."id" = v."noticeId"
    JOIN "Organisation" o ON o."id" = n."organisationId"
    WHERE v."status" IN ('PUBLISHED', 'ARCHIVED') ${inForce} ${organisation}
    ORDER BY m.rank DESC, m."sectionId"
    LIMIT ${p(o.limit)} OFFSET ${p(o.offset)}`;
  return prisma.$queryRawUnsafe<SearchHitRow[]>(sql, ...params);
}

export function snippetText(snippet: string): string {
  return snippet.replaceAll(START, '').replaceAll(STOP, '');
}

/** The snippet as safe HTML: the text escaped, the matches in <mark>. */
export function snippetHtml(snippet: string): string {
  return escapeHtml(snippet).replaceAll(START, '<mark>').replaceAll(STOP, '</mark>');
}
