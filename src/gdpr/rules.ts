// The items GDPR Articles 13 and 14 require a privacy notice to give, as data:
// for each, when it applies, which recorded facts satisfy it (the facts come
// first), and what shows that the notice text speaks of it: the facts' own
// values (names, addresses) and words per language that name the same things
// in each. Each rule has a test; the languages' words are tested to agree.
import { factsHoldingOn, type PrivacyFacts } from '../domain/privacy-facts.js';
import { dayOf, validOn, type MaybePeriod, type Timeline } from '../domain/validity.js';

/** What a record may say about when it was valid (contacts and processors today; any record later). */
type Valid = MaybePeriod;

export interface CompletenessInput {
  facts: PrivacyFacts | null;
  entities: ({ legalName: string; role: string; country: string } & Valid)[];
  contacts: ({ key: string; kind: string; email: string | null; phone: string | null; url: string | null } & Valid)[];
  processors: ({
    name: string;
    status: string;
    headquartersCountry: string | null;
    dataLocations: string[];
    transferSafeguard: string;
  } & Valid)[];
  retentionRules: ({ key: string; period: string | null } & Valid)[];
  authorities: { name: string }[];
  /** The organisation's notice versions, which the facts' bounds ("privacy@1.2") name; none: every bound is a date. */
  timeline?: Timeline;
}

export interface Fact {
  label: string;
}

/** The languages the rules have words for. */
export const RULE_LANGUAGES = ['en', 'nl', 'de'] as const;
export type RuleLanguage = (typeof RULE_LANGUAGES)[number];

export interface Rule {
  id: string;
  article: string;
  title: string;
  /** Art. 14 items apply only where data is not collected from the person. */
  applies?: (i: CompletenessInput) => boolean;
  /** The recorded facts that satisfy the item. */
  facts: (i: CompletenessInput) => Fact[];
  /** Why the facts, though present, fall short; null when they do not. */
  shortfall?: (i: CompletenessInput) => string | null;
  /**
   * Words, per language, in a section's heading or text that show the notice
   * speaks of the item. Each language names the same things, so translations
   * agree; a section is matched by the words of every language (translations
   * keep English terms such as "Data Protection Officer").
   */
  words: Record<RuleLanguage, RegExp>;
  /** Headings of sections that share the words but speak of something else ("other controllers"). */
  notAbout?: RegExp;
  /** Values of the facts themselves (legal names, e-mail addresses) whose mention shows a section speaks of the item. */
  evidence?: (i: CompletenessInput) => string[];
}

/**
 * The facts valid on a day: records by their resolved days, the privacy facts'
 * entries by their bounds, with the rules of src/domain/validity.ts.
 */
export function factsOn(input: CompletenessInput, at: Date): CompletenessInput {
  return {
    ...input,
    entities: validOn(input.entities, at),
    contacts: validOn(input.contacts, at),
    processors: validOn(input.processors, at),
    retentionRules: validOn(input.retentionRules, at),
    facts: input.facts ? factsHoldingOn(input.facts, input.timeline ?? [], dayOf(at)) : null,
  };
}

/** EEA member states: transfers elsewhere need a safeguard. */
export const EEA = new Set(
  'AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO'.split(' '),
);

// A retired processor with an end date was filtered by date (factsOn): it counts for the versions it served.
const activeProcessors = (i: CompletenessInput) =>
  i.processors.filter((p) => p.status === 'ACTIVE' || (p.status === 'RETIRED' && p.activeUntil));
const outsideEea = (i: CompletenessInput) =>
  activeProcessors(i).filter((p) =>
    [...p.dataLocations, ...(p.dataLocations.length ? [] : [p.headquartersCountry ?? ''])].some(
      (c) => c && !EEA.has(c),
    ),
  );
const hasSafeguard = (p: { transferSafeguard: string }) => !['UNKNOWN', 'NOT_REQUIRED'].includes(p.transferSafeguard);
// Transfers are filtered by date with the other facts (factsOn).
const currentTransfers = (i: CompletenessInput) => i.facts?.transfers ?? [];
const purposes = (i: CompletenessInput) => i.facts?.purposes ?? [];
const rights = (i: CompletenessInput) => new Set<string>((i.facts?.rights ?? []).map((r) => r.right));
const CORE_RIGHTS = ['A15', 'A16', 'A17', 'A18', 'A20', 'A21'];
const RIGHT_NAMES: Record<string, string> = {
  A15: 'access',
  A16: 'rectification',
  A17: 'erasure',
  A18: 'restriction',
  A20: 'portability',
  A21: 'objection',
};

export const RULES: Rule[] = [
  {
    id: 'CONTROLLER_IDENTITY',
    article: 'Art. 13(1)(a)',
    title: 'Identity and contact details of the controller',
    facts: (i) => [
      ...i.entities.filter((e) => e.role === 'CONTROLLER').map((e) => ({ label: `controller ${e.legalName}` })),
      ...i.contacts
        .filter((c) => c.kind === 'GENERAL' || c.kind === 'PRIVACY')
        .map((c) => ({ label: `contact ${c.key}` })),
    ],
    shortfall: (i) => (i.entities.some((e) => e.role === 'CONTROLLER') ? null : 'no entity is named as controller'),
    words: {
      en: /who we are|about us|contact(ing)? us|controller/i,
      nl: /wie (zijn|wij)|over ons|contact(gegevens| met (ons|jullie))|verwerkingsverantwoordelijke|verantwoordelijke/i,
      de: /wer wir sind|über uns|kontakt|verantwortliche?r?\b|verantwortlich/i,
    },
    // A section about other controllers (connected services, partners) does not identify this one.
    notAbout:
      /\b(other|third[- ]party|joint|separate)\s+controllers?|\b(andere|overige)\s+(verwerkings)?verantwoordelijken?|\b(andere|weitere|sonstige)n?\s+verantwortlichen?/i,
    evidence: (i) => [
      ...i.entities.filter((e) => e.role === 'CONTROLLER').map((e) => e.legalName),
      ...i.contacts
        .filter((c) => c.kind === 'GENERAL' || c.kind === 'PRIVACY')
        .flatMap((c) => (c.email ? [c.email] : [])),
    ],
  },
  {
    id: 'DPO_CONTACT',
    article: 'Art. 13(1)(b)',
    title: 'Contact details of the data protection officer, where one is designated',
    facts: (i) =>
      i.contacts.filter((c) => c.kind === 'DPO').map((c) => ({ label: `DPO contact ${c.email ?? c.url ?? c.key}` })),
    words: {
      en: /data protection officer|\bdpo\b/i,
      nl: /functionaris (voor (de )?)?gegevensbescherming|\bfg\b|privacy ?officer/i,
      de: /datenschutzbeauftragte|\bdsb\b/i,
    },
    evidence: (i) => i.contacts.filter((c) => c.kind === 'DPO').flatMap((c) => (c.email ? [c.email] : [])),
  },
  {
    id: 'PURPOSES_AND_LEGAL_BASIS',
    article: 'Art. 13(1)(c)',
    title: 'Purposes of the processing and its legal basis',
    facts: (i) =>
      purposes(i).map((p) => ({
        label: `purpose ${p.key}${p.legalBases.length ? ` (${p.legalBases.join(', ')})` : ''}`,
      })),
    shortfall: (i) => {
      const missing = purposes(i).filter((p) => p.legalBases.length === 0);
      return missing.length ? `no legal basis for ${missing.map((p) => p.key).join(', ')}` : null;
    },
    words: {
      en: /why we process|purposes?|legal bas[ie]s|us(e|ing) (of )?(your )?personal/i,
      nl: /waarom verwerken|doel(einden|en)?\b|rechtsgrond|grondslag|gebruik van/i,
      de: /warum verarbeiten|zweck|rechtsgrundlage|verwendung/i,
    },
  },
  {
    id: 'LEGITIMATE_INTERESTS',
    article: 'Art. 13(1)(d)',
    title: 'The legitimate interests pursued, where processing rests on them',
    applies: (i) => purposes(i).some((p) => p.legalBases.includes('A6-1-f')),
    facts: (i) =>
      purposes(i)
        .filter((p) => p.legalBases.includes('A6-1-f') && p.legitimateInterest)
        .map((p) => ({ label: `legitimate interest for ${p.key}` })),
    words: {
      en: /legitimate interest/i,
      nl: /gerechtvaardigd|legitiem(e)? belang/i,
      de: /berechtigte[sn]? interesse/i,
    },
  },
  {
    id: 'RECIPIENTS',
    article: 'Art. 13(1)(e)',
    title: 'Recipients or categories of recipients',
    facts: (i) => [
      ...activeProcessors(i).map((p) => ({ label: `processor ${p.name}` })),
      ...(i.facts?.recipients ?? []).map((r) => ({ label: `recipients: ${r.kind.toLowerCase()}` })),
    ],
    words: {
      en: /recipients|shar(e|ing)|third[- ]part|disclos|processors/i,
      nl: /derde partijen|derden|ontvangers|delen|verstrekken|verwerkers/i,
      de: /empfänger|weitergabe|teilen|dritte|offenlegen|auftragsverarbeiter/i,
    },
    evidence: (i) => activeProcessors(i).map((p) => p.name),
  },
  {
    id: 'THIRD_COUNTRY_TRANSFERS',
    article: 'Art. 13(1)(f)',
    title: 'Transfers to third countries and their safeguards',
    applies: (i) => currentTransfers(i).length > 0 || outsideEea(i).length > 0,
    facts: (i) => [
      ...currentTransfers(i).map((t) => ({
        label: `transfer to ${t.countries.join(', ') || 'a third country'} under ${t.safeguard}`,
      })),
      ...outsideEea(i).map((p) => ({
        label: `processor ${p.name} outside the EEA${hasSafeguard(p) ? ` under ${p.transferSafeguard}` : ', no safeguard named'}`,
      })),
    ],
    shortfall: (i) => {
      const bare = outsideEea(i).filter((p) => !hasSafeguard(p));
      return bare.length ? `no safeguard named for ${bare.map((p) => p.name).join(', ')}` : null;
    },
    words: {
      en: /transfer|outside the (eea|european)|third countr/i,
      nl: /buiten de (eer|eu)|doorgifte|overdracht|overgedragen|derde landen/i,
      de: /drittländer|drittstaat|übertrag|übermittlung|außerhalb (des ewr|der eu)/i,
    },
  },
  {
    id: 'RETENTION',
    article: 'Art. 13(2)(a)',
    title: 'How long data is kept, or the criteria',
    facts: (i) => i.retentionRules.map((r) => ({ label: `retention ${r.key}${r.period ? ` (${r.period})` : ''}` })),
    // Keeping and deleting: a notice says how long, or when data is deleted.
    words: {
      en: /retention|retain|how long|kept (for|until|as long)|keep .{0,40}\b(years?|months?|weeks?|days?|as long)\b|deleted|erased/i,
      nl: /bewaartermijn|bewaard (tot|zolang|gedurende)|bewaren .{0,40}\b(jaar|jaren|maanden|maand|weken|dagen|zolang)\b|hoe lang|verwijderd|gewist|vernietigd/i,
      de: /aufbewahr|speicherdauer|gespeichert (bis|solange|für)|speichern .{0,40}\b(jahre?n?|monate?n?|wochen|tage?n?|solange)\b|wie lange|gelöscht/i,
    },
  },
  {
    id: 'DATA_SUBJECT_RIGHTS',
    article: 'Art. 13(2)(b)',
    title: 'The rights of access, rectification, erasure, restriction, objection and portability',
    facts: (i) =>
      CORE_RIGHTS.filter((r) => rights(i).has(r)).map((r) => ({ label: `right of ${RIGHT_NAMES[r]} (${r})` })),
    shortfall: (i) => {
      const missing = CORE_RIGHTS.filter((r) => !rights(i).has(r));
      return missing.length ? `not offered: ${missing.map((r) => RIGHT_NAMES[r]).join(', ')}` : null;
    },
    words: {
      en: /rights|right to|right of/i,
      nl: /rechten|recht op|recht om/i,
      de: /rechte|recht auf|auskunft/i,
    },
  },
  {
    id: 'WITHDRAW_CONSENT',
    article: 'Art. 13(2)(c)',
    title: 'The right to withdraw consent, where processing rests on it',
    applies: (i) =>
      purposes(i).some((p) => p.legalBases.some((b) => b === 'A6-1-a' || b === 'A9-2-a')) ||
      Boolean(i.facts?.cookies?.consentTool),
    facts: (i) => (rights(i).has('A7-3') ? [{ label: 'right to withdraw consent (A7-3)' }] : []),
    words: {
      en: /withdraw/i,
      nl: /intrekken|in te trekken|ingetrokken/i,
      de: /widerruf/i,
    },
  },
  {
    id: 'RIGHT_TO_COMPLAIN',
    article: 'Art. 13(2)(d)',
    title: 'The right to lodge a complaint with a supervisory authority',
    facts: (i) => [
      ...(rights(i).has('A77') ? [{ label: 'right to complain (A77)' }] : []),
      ...i.authorities.map((a) => ({ label: `authority ${a.name}` })),
    ],
    words: {
      en: /supervisory|complain/i,
      nl: /toezichthouder|toezichthoudende autoriteit|klacht/i,
      de: /aufsichtsbehörde|beschwerde/i,
    },
    evidence: (i) => i.authorities.map((a) => a.name),
  },
  {
    id: 'PROVISION_REQUIREMENT',
    article: 'Art. 13(2)(e)',
    title: 'Whether providing the data is required, and what follows if it is not provided',
    facts: (i) => (i.facts?.provision ? [{ label: `provision: ${i.facts.provision.requirement.toLowerCase()}` }] : []),
    shortfall: (i) =>
      i.facts?.provision && !i.facts.provision.consequences
        ? 'the consequences of not providing data are not stated'
        : null,
    words: {
      en: /required|necessary to|obligat/i,
      nl: /nodig (om|voor)|noodzakelijk|verplicht/i,
      de: /erforderlich|notwendig|verpflichtet/i,
    },
  },
  {
    id: 'AUTOMATED_DECISIONS',
    article: 'Art. 13(2)(f)',
    title: 'Automated decision-making, including profiling',
    facts: (i) =>
      i.facts?.automatedDecisions
        ? [{ label: i.facts.automatedDecisions.used ? 'automated decisions are used' : 'no automated decisions' }]
        : [],
    words: {
      en: /automated decision|profiling/i,
      nl: /geautomatiseerde|profilering/i,
      de: /automatisierte|profiling/i,
    },
  },
  {
    id: 'DATA_CATEGORIES',
    article: 'Art. 14(1)(d)',
    title: 'Categories of personal data, where not collected from the person',
    applies: (i) => (i.facts?.sources.length ?? 0) > 0,
    facts: (i) => (i.facts?.dataCategories ?? []).map((c) => ({ label: `data category ${c.key}` })),
    words: {
      en: /what (personal )?(information|data)|categor|personal (information|data)/i,
      nl: /welke (persoons)?gegevens|soort(en)? (persoonlijke )?gegevens|categorie|persoonlijke gegevens|persoonsgegevens/i,
      de: /welche (arten von )?(personenbezogenen )?daten|kategorie|personenbezogene(n)? daten/i,
    },
  },
  {
    id: 'DATA_SOURCES',
    article: 'Art. 14(2)(f)',
    title: 'The source of the data, where not collected from the person',
    applies: (i) => (i.facts?.sources.length ?? 0) > 0,
    facts: (i) => (i.facts?.sources ?? []).map((s) => ({ label: `source for ${s.dataCategory}` })),
    // Where data comes from: named as a source, or as someone who delivers it.
    words: {
      en: /source|obtain(ed)? (information )?from|\bwe (receive|obtain|get)\b.{0,60}\bfrom\b|provided (to us )?by/i,
      nl: /\bbron|afkomstig|\b(wij|we) (ontvangen|krijgen)\b.{0,60}\bvan\b|\b(ontvangen|krijgen) (wij|we)\b.{0,60}\bvan\b|\blever(t|en) .{0,80}\baan\b/i,
      de: /quelle|von dritten|dritte(n)? erhalten|\b(wir erhalten|erhalten wir)\b.{0,60}\bvon\b|stammen (von|aus)|übermittel(t|n) uns/i,
    },
  },
  {
    id: 'SECURITY_MEASURES',
    article: 'Art. 32 (Art. 13 does not require it)',
    title: 'The technical and organisational measures that protect the data',
    facts: (i) => [
      ...(i.facts?.security?.measures ?? []).map((_, n) => ({ label: `security measure ${n + 1}` })),
      ...(i.facts?.security?.certifications ?? []).map((c) => ({ label: `certification ${c}` })),
    ],
    shortfall: (i) =>
      i.facts?.security && i.facts.security.measures.length === 0 ? 'the list of security measures is empty' : null,
    words: {
      en: /security|protect(ing)? your/i,
      nl: /beveiliging|veiligheid/i,
      de: /sicherheit|schutz (ihrer|der) daten/i,
    },
  },
];
