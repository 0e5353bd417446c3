// The items GDPR Articles 13 and 14 require a privacy notice to give, as data:
// for each, when it applies, which recorded facts satisfy it, and which words
// (per language) show that the notice text speaks of it. Each rule has a test.
import type { PrivacyFacts } from '../domain/privacy-facts.js';

export interface CompletenessInput {
  facts: PrivacyFacts | null;
  entities: { legalName: string; role: string; country: string }[];
  contacts: { key: string; kind: string; email: string | null; phone: string | null; url: string | null }[];
  processors: {
    name: string;
    status: string;
    headquartersCountry: string | null;
    dataLocations: string[];
    transferSafeguard: string;
  }[];
  retentionRules: { key: string; period: string | null }[];
  authorities: { name: string }[];
}

export interface Fact {
  label: string;
}

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
  /** Words in a section's heading or text that show the notice speaks of the item. */
  words: RegExp;
}

/** EEA member states: transfers elsewhere need a safeguard. */
export const EEA = new Set(
  'AT BE BG HR CY CZ DK EE FI FR DE GR HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO'.split(' '),
);

const activeProcessors = (i: CompletenessInput) => i.processors.filter((p) => p.status !== 'RETIRED');
const outsideEea = (i: CompletenessInput) =>
  activeProcessors(i).filter((p) =>
    [...p.dataLocations, ...(p.dataLocations.length ? [] : [p.headquartersCountry ?? ''])].some(
      (c) => c && !EEA.has(c),
    ),
  );
const hasSafeguard = (p: { transferSafeguard: string }) => !['UNKNOWN', 'NOT_REQUIRED'].includes(p.transferSafeguard);
const currentTransfers = (i: CompletenessInput) => (i.facts?.transfers ?? []).filter((t) => !t.validUntil);
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
    words:
      /wie (zijn|wij)|contactgegevens|verantwoordelijke|who we are|contact(ing)? us|controller|verantwortlich|kontakt/i,
  },
  {
    id: 'DPO_CONTACT',
    article: 'Art. 13(1)(b)',
    title: 'Contact details of the data protection officer, where one is designated',
    facts: (i) =>
      i.contacts.filter((c) => c.kind === 'DPO').map((c) => ({ label: `DPO contact ${c.email ?? c.url ?? c.key}` })),
    words: /functionaris gegevensbescherming|data protection officer|datenschutzbeauftragte|\bdpo\b/i,
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
    words:
      /waarom verwerken|doeleinden|rechtsgrond|grondslag|purposes?|legal bas[ie]s|zweck|rechtsgrundlage|gebruik van|use of (your )?personal|verwendung/i,
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
    words: /gerechtvaardigd|legitimate interest|berechtigte[sn]? interesse/i,
  },
  {
    id: 'RECIPIENTS',
    article: 'Art. 13(1)(e)',
    title: 'Recipients or categories of recipients',
    facts: (i) => [
      ...activeProcessors(i).map((p) => ({ label: `processor ${p.name}` })),
      ...(i.facts?.recipients ?? []).map((r) => ({ label: `recipients: ${r.kind.toLowerCase()}` })),
    ],
    words:
      /derde partijen|ontvangers|delen|verwerkers|recipients|shar(e|ing)|third[- ]part|empfänger|weitergabe|teilen/i,
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
    words:
      /buiten de (eer|eu)|doorgifte|overgedragen|derde landen|transfer|outside the (eea|european)|drittländer|übertragen|übermittlung/i,
  },
  {
    id: 'RETENTION',
    article: 'Art. 13(2)(a)',
    title: 'How long data is kept, or the criteria',
    facts: (i) => i.retentionRules.map((r) => ({ label: `retention ${r.key}${r.period ? ` (${r.period})` : ''}` })),
    words: /bewaartermijn|bewaren|retention|retain|aufbewahr|speicherdauer|gespeichert/i,
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
    words: /rechten|recht op|rights|right to|rechte|auskunft/i,
  },
  {
    id: 'WITHDRAW_CONSENT',
    article: 'Art. 13(2)(c)',
    title: 'The right to withdraw consent, where processing rests on it',
    applies: (i) =>
      purposes(i).some((p) => p.legalBases.some((b) => b === 'A6-1-a' || b === 'A9-2-a')) ||
      Boolean(i.facts?.cookies?.consentTool),
    facts: (i) => (rights(i).has('A7-3') ? [{ label: 'right to withdraw consent (A7-3)' }] : []),
    words: /toestemming.{0,40}(intrekken|in te trekken)|intrekken|withdraw|widerruf/i,
  },
  {
    id: 'RIGHT_TO_COMPLAIN',
    article: 'Art. 13(2)(d)',
    title: 'The right to lodge a complaint with a supervisory authority',
    facts: (i) => [
      ...(rights(i).has('A77') ? [{ label: 'right to complain (A77)' }] : []),
      ...i.authorities.map((a) => ({ label: `authority ${a.name}` })),
    ],
    words: /toezichthouder|klacht|autoriteit persoonsgegevens|supervisory|complain|aufsichtsbehörde|beschwerde/i,
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
    words: /nodig (om|voor)|noodzakelijk|verplicht|required|necessary to|obligat|erforderlich|verpflichtet/i,
  },
  {
    id: 'AUTOMATED_DECISIONS',
    article: 'Art. 13(2)(f)',
    title: 'Automated decision-making, including profiling',
    facts: (i) =>
      i.facts?.automatedDecisions
        ? [{ label: i.facts.automatedDecisions.used ? 'automated decisions are used' : 'no automated decisions' }]
        : [],
    words: /geautomatiseerde|automated decision|profil(ing|ering)|automatisierte/i,
  },
  {
    id: 'DATA_CATEGORIES',
    article: 'Art. 14(1)(d)',
    title: 'Categories of personal data, where not collected from the person',
    applies: (i) => (i.facts?.sources.length ?? 0) > 0,
    facts: (i) => (i.facts?.dataCategories ?? []).map((c) => ({ label: `data category ${c.key}` })),
    words:
      /welke (persoons)?gegevens|categorie|categories|personal (information|data)|personenbezogene(n)? daten|datenkategorien/i,
  },
  {
    id: 'DATA_SOURCES',
    article: 'Art. 14(2)(f)',
    title: 'The source of the data, where not collected from the person',
    applies: (i) => (i.facts?.sources.length ?? 0) > 0,
    facts: (i) => (i.facts?.sources ?? []).map((s) => ({ label: `source for ${s.dataCategory}` })),
    words: /\bbron|afkomstig|source|obtain information|quelle|von dritten|dritte(n)? erhalten/i,
  },
];
