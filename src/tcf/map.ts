// From the list as published to the project's records: each vendor to an
// organisation (source TCF, its GVL id) and its declarations (TcfVendor), each
// definition to a TcfDefinition. Real lists hold untidy values — URLs with
// spaces or without a scheme, a language written "sr - cyrl", a flexible
// purpose the vendor never declared — and one vendor's slip must not refuse a
// thousand others: what can be read is read (and said so), what cannot is
// left out with a warning naming the vendor and the field.
import type { TcfDefinitionKind, TcfLegalBasis } from '../db/generated/enums.js';
import type { OrganisationItem } from '../domain/organisation.js';
import type { TcfDefinitionItem } from '../domain/tcf-definition.js';
import type { TcfVendorFacts } from '../domain/tcf-vendor.js';
import { canonicalLocale, checkWebUrl } from '../validation/fields.js';
import type { DefinitionSection, GvlList, GvlTranslation, GvlVendor } from './format.js';

export interface ImportWarning {
  /** The vendor concerned; null for the list itself. */
  gvlId: number | null;
  field: string[];
  message: string;
}

export const sectionKinds: Record<DefinitionSection, TcfDefinitionKind> = {
  purposes: 'PURPOSE',
  specialPurposes: 'SPECIAL_PURPOSE',
  features: 'FEATURE',
  specialFeatures: 'SPECIAL_FEATURE',
  dataCategories: 'DATA_CATEGORY',
};

/** The GVL is published in English; its translations come as separate files. */
export const LIST_LOCALE = 'en';

/** The slug of a vendor's organisation: its GVL id never changes, its name may. */
export const vendorSlug = (gvlId: number) => `tcf-${gvlId}`;

/** The list's instants, normalised as the records keep them. */
export const instantOf = (value: string) => new Date(value).toISOString();

type Warn = (field: (string | number)[], message: string) => void;

/** A URL as the list gives it, trimmed; one without a scheme read as https; otherwise left out. */
function webUrl(value: string | undefined, warn: Warn, field: (string | number)[]): string | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (!checkWebUrl(trimmed)) return trimmed;
  if (/^[\w-]+(\.[\w-]+)+([/?#:]|$)/.test(trimmed) && !checkWebUrl(`https://${trimmed}`)) {
    warn(field, `"${trimmed}" has no scheme; read as https://${trimmed}`);
    return `https://${trimmed}`;
  }
  warn(field, `"${trimmed}" is not an http(s) URL; left out`);
  return undefined;
}

/** "en", "sr - cyrl" → "sr-Cyrl"; null when it is no language tag. */
export function languageOf(langId: string): string | null {
  return canonicalLocale(langId.trim().replace(/\s*-\s*/g, '-'));
}

function dayValue(value: number | undefined, warn: Warn, field: (string | number)[]): number | undefined {
  if (value === undefined) return undefined;
  if (Number.isInteger(value) && value >= 0 && value <= 1_000_000) return value;
  warn(field, `${value} is not a number of days; left out`);
  return undefined;
}

/** What the list says of one vendor, as the project's records. */
export function vendorRecords(
  list: GvlList,
  v: GvlVendor,
  warnings: ImportWarning[],
): {
  organisation: Omit<OrganisationItem, 'supervisoryAuthorities' | 'website' | 'defaultLocale'>;
  facts: TcfVendorFacts;
} {
  const warn: Warn = (field, message) =>
    warnings.push({ gvlId: v.id, field: ['vendors', String(v.id), ...field.map(String)], message });
  const known = (section: DefinitionSection, id: number, field: (string | number)[]) => {
    if (list[section][String(id)]) return true;
    warn(field, `${section} ${id} is not defined in this list; left out`);
    return false;
  };
  const retention = v.dataRetention;

  const consent = new Set(v.purposes);
  const declared = new Set([...v.purposes, ...v.legIntPurposes]);
  v.flexiblePurposes.forEach((id, i) => {
    if (!declared.has(id))
      warn(['flexiblePurposes', i], `purpose ${id} is flexible but declared under no legal basis; left out`);
  });
  v.legIntPurposes.forEach((id, i) => {
    if (consent.has(id))
      warn(['legIntPurposes', i], `purpose ${id} is declared under consent and legitimate interest; read as consent`);
  });
  const purposes = [...declared]
    .filter((id) => known('purposes', id, ['purposes']))
    .map((id) => ({
      id,
      legalBasis: (consent.has(id) ? 'CONSENT' : 'LEGITIMATE_INTEREST') as TcfLegalBasis,
      flexible: v.flexiblePurposes.includes(id),
      retentionDays: dayValue(retention?.purposes[String(id)], warn, ['dataRetention', 'purposes', id]),
    }));
  for (const id of Object.keys(retention?.purposes ?? {})) {
    if (!declared.has(Number(id)))
      warn(
        ['dataRetention', 'purposes', id],
        `a retention for purpose ${id}, which the vendor does not declare; left out`,
      );
  }
  const specialPurposes = [...new Set(v.specialPurposes)]
    .filter((id) => known('specialPurposes', id, ['specialPurposes']))
    .map((id) => ({
      id,
      retentionDays: dayValue(retention?.specialPurposes[String(id)], warn, ['dataRetention', 'specialPurposes', id]),
    }));
  for (const id of Object.keys(retention?.specialPurposes ?? {})) {
    if (!v.specialPurposes.includes(Number(id)))
      warn(
        ['dataRetention', 'specialPurposes', id],
        `a retention for special purpose ${id}, which the vendor does not declare; left out`,
      );
  }

  const urls: TcfVendorFacts['urls'] = [];
  (v.urls ?? []).forEach((u, i) => {
    const locale = languageOf(u.langId);
    if (!locale) return warn(['urls', i, 'langId'], `"${u.langId}" is not a language tag; these URLs are left out`);
    if (urls.some((known) => known.locale?.toLowerCase() === locale.toLowerCase()))
      return warn(['urls', i, 'langId'], `a second set of URLs for "${locale}"; left out`);
    const privacy = webUrl(u.privacy, warn, ['urls', i, 'privacy']);
    const legIntClaim = webUrl(u.legIntClaim, warn, ['urls', i, 'legIntClaim']);
    if (privacy || legIntClaim) urls.push({ locale, privacy, legIntClaim });
  });
  // v2 lists: one policy URL, in a language the list does not say.
  const policyUrl = urls.length === 0 ? webUrl(v.policyUrl, warn, ['policyUrl']) : undefined;
  if (policyUrl) urls.push({ privacy: policyUrl });

  let cookieMaxAgeSeconds = v.cookieMaxAgeSeconds;
  if (cookieMaxAgeSeconds !== undefined && !(Number.isInteger(cookieMaxAgeSeconds) && cookieMaxAgeSeconds >= 0)) {
    warn(['cookieMaxAgeSeconds'], `${cookieMaxAgeSeconds} is not a number of seconds; left out`);
    cookieMaxAgeSeconds = undefined;
  } else if (cookieMaxAgeSeconds !== undefined && cookieMaxAgeSeconds > Number.MAX_SAFE_INTEGER) {
    warn(['cookieMaxAgeSeconds'], `${cookieMaxAgeSeconds} seconds is more than can be kept exactly; left out`);
    cookieMaxAgeSeconds = undefined;
  }

  const name = v.name.trim() || `Vendor ${v.id}`;
  const deletedDate = v.deletedDate ? instantOf(v.deletedDate) : undefined;
  return {
    organisation: { slug: vendorSlug(v.id), name, source: 'TCF', gvlId: v.id, deletedAt: deletedDate },
    facts: {
      gvlId: v.id,
      name,
      purposes,
      specialPurposes,
      features: v.features.filter((id, i) => known('features', id, ['features', i])),
      specialFeatures: v.specialFeatures.filter((id, i) => known('specialFeatures', id, ['specialFeatures', i])),
      dataCategories: (v.dataDeclaration ?? []).filter((id, i) => known('dataCategories', id, ['dataDeclaration', i])),
      standardRetentionDays: dayValue(retention?.stdRetention, warn, ['dataRetention', 'stdRetention']),
      usesCookies: v.usesCookies,
      cookieMaxAgeSeconds,
      cookieRefresh: v.cookieRefresh,
      usesNonCookieAccess: v.usesNonCookieAccess,
      deviceStorageDisclosureUrl: webUrl(v.deviceStorageDisclosureUrl, warn, ['deviceStorageDisclosureUrl']),
      urls,
      overflowHttpGetLimit: v.overflow?.httpGetLimit,
      deletedDate,
    },
  };
}

const trimmed = (value: string | undefined) => {
  const t = value?.trim();
  return t ? t : undefined;
};

/** One definition's texts in one locale, as the list or a translation file gives them. */
export interface DefinitionTexts {
  kind: TcfDefinitionKind;
  tcfId: number;
  name?: string;
  description?: string;
  descriptionLegal?: string;
  illustrations?: string[];
}

/** Every definition of a list or translation file, section by section. */
export function definitionTexts(doc: GvlList | GvlTranslation): DefinitionTexts[] {
  return (Object.keys(sectionKinds) as DefinitionSection[]).flatMap((section) =>
    Object.values(doc[section])
      .sort((a, b) => a.id - b.id)
      .map((d) => ({
        kind: sectionKinds[section],
        tcfId: d.id,
        name: trimmed(d.name),
        description: trimmed(d.description),
        descriptionLegal: trimmed(d.descriptionLegal),
        illustrations: d.illustrations?.map((t) => t.trim()).filter(Boolean),
      })),
  );
}

/**
 * A definition with one locale's texts set. Texts of other locales stay when
 * they translate the same specification; a list of another specification
 * replaces them all (its wording is new).
 */
export function withTexts(
  stored: TcfDefinitionItem | null,
  texts: DefinitionTexts,
  locale: string,
  specVersion: number,
): TcfDefinitionItem {
  const keep = stored && stored.specVersion === specVersion ? stored : null;
  const set = <T>(map: Record<string, T> | undefined, value: T | undefined): Record<string, T> | undefined => {
    const out = { ...(map ?? {}) };
    if (value === undefined || (Array.isArray(value) && value.length === 0)) delete out[locale];
    else out[locale] = value;
    return Object.keys(out).length > 0 ? out : undefined;
  };
  return {
    kind: texts.kind,
    tcfId: texts.tcfId,
    name: set(keep?.name, texts.name ?? texts.description) ?? {},
    description: set(keep?.description, texts.description ?? texts.name) ?? {},
    illustrations: set(keep?.illustrations, texts.illustrations),
    descriptionLegal: set(keep?.descriptionLegal, texts.descriptionLegal),
    specVersion,
  };
}
