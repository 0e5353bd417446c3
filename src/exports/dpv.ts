// The organisation's privacy facts as JSON-LD in the W3C Data Privacy
// Vocabulary (DPV, with its GDPR and location extensions). Every term is a
// prefixed IRI, so expansion keeps everything (tests expand it in safe mode).
import { postalAddress, type ExportModel } from './model.js';

export const DPV_CONTEXT = {
  dpv: 'https://w3id.org/dpv#',
  'eu-gdpr': 'https://w3id.org/dpv/legal/eu/gdpr#',
  loc: 'https://w3id.org/dpv/loc#',
  dct: 'http://purl.org/dc/terms/',
  schema: 'https://schema.org/',
  xsd: 'http://www.w3.org/2001/XMLSchema#',
};

/** Localised text as language-tagged values. */
const texts = (value: unknown) =>
  Object.entries((value as Record<string, string> | null | undefined) ?? {}).map(([language, text]) => ({
    '@value': text,
    '@language': language,
  }));
const loc = (country: string) => ({ '@id': `loc:${country}` });
const gdpr = (code: string) => ({ '@id': `eu-gdpr:${code}` });
/** A place: a country, or DPV's "within the device" for processing on the user's device only. */
const place = (l: { country?: string | null } | { place: string }) =>
  'country' in l && l.country ? loc(l.country) : { '@id': 'dpv:WithinDevice' };
/** A fact the notice does not state says who added it (PROJECT, ORGANISATION). */
const added = (f: { source?: string | null }) => (f.source && f.source !== 'NOTICE' ? { 'dct:source': f.source } : {});

export function dpvDocument(model: ExportModel, baseUrl: string) {
  const base = `${baseUrl.replace(/\/$/, '')}/organisations/${model.slug}`;
  const id = (kind: string, key: string) => ({ '@id': `${base}#${kind}-${key}` });
  const facts = model.facts;
  const controllers = model.controllerEntities.filter((e) => e.role === 'CONTROLLER');

  const graph: Record<string, unknown>[] = [
    ...model.controllerEntities.map((e) => ({
      ...id('entity', e.key),
      '@type': e.role === 'CONTROLLER' || e.role === 'JOINT_CONTROLLER' ? 'dpv:DataController' : 'dpv:Organisation',
      'schema:legalName': e.legalName,
      'schema:address': postalAddress(e),
      'dpv:hasLocation': loc(e.country),
      ...(e.registrationNumber ? { 'schema:identifier': `${e.registry ?? 'registry'} ${e.registrationNumber}` } : {}),
      ...(e.vatNumber ? { 'schema:vatID': e.vatNumber } : {}),
      ...added(e),
    })),
    ...model.otherControllers.map((c) => ({
      ...id('controller', c.key),
      '@type': c.role === 'JOINT' ? 'dpv:JointDataControllers' : 'dpv:DataController',
      'schema:name': c.name,
      ...(c.legalName ? { 'schema:legalName': c.legalName } : {}),
      'dct:description': texts(c.service),
      ...(c.country ? { 'dpv:hasLocation': loc(c.country) } : {}),
      ...(c.legalReference ? { 'dpv:hasLegalBasis': { 'dct:description': c.legalReference } } : {}),
      ...added(c),
    })),
    ...model.contacts
      .filter((c) => c.kind === 'DPO')
      .map((c) => ({
        ...id('contact', c.key),
        '@type': 'dpv:DataProtectionOfficer',
        ...(c.email ? { 'schema:email': c.email } : {}),
        ...(c.phone ? { 'schema:telephone': c.phone } : {}),
      })),
    ...model.supervisoryAuthorities.map((a) => ({
      ...id('authority', a.slug),
      '@type': 'dpv:SupervisoryAuthority',
      'schema:name': a.name,
      'dpv:hasLocation': loc(a.country),
      ...added(a),
    })),
    ...model.processors.map((p) => ({
      ...id('processor', p.key),
      '@type': 'dpv:DataProcessor',
      'schema:name': p.name,
      'dct:description': texts(p.service),
      'dpv:hasLocation': p.dataLocations.map(place),
      ...(p.headquartersCountry ? { 'schema:location': loc(p.headquartersCountry) } : {}),
      ...(p.street || p.locality ? { 'schema:address': postalAddress(p) } : {}),
      ...added(p),
    })),
    ...(facts?.dataCategories ?? []).map((c) => ({
      ...id('data', c.key),
      '@type': c.special ? ['dpv:PersonalData', 'dpv:SpecialCategoryPersonalData'] : 'dpv:PersonalData',
      'schema:name': texts(c.name),
    })),
    ...(facts?.purposes ?? []).map((p) => ({
      ...id('processing', p.key),
      '@type': 'dpv:PersonalDataHandling',
      'dpv:hasDataController': controllers.map((e) => id('entity', e.key)),
      'dpv:hasPurpose': { '@type': 'dpv:Purpose', 'dct:description': texts(p.description) },
      ...(p.legalBases.length ? { 'dpv:hasLegalBasis': p.legalBases.map(gdpr) } : {}),
      ...(p.dataLocations.length ? { 'dpv:hasLocation': p.dataLocations.map(place) } : {}),
      ...(p.legitimateInterest
        ? {
            'dpv:hasLegitimateInterest': {
              '@type': 'dpv:LegitimateInterest',
              'dct:description': texts(p.legitimateInterest),
            },
          }
        : {}),
      'dpv:hasPersonalData': p.dataCategories.map((c) => id('data', c)),
      'dpv:hasDataProcessor': model.processors.map((x) => id('processor', x.key)),
    })),
    ...model.retentionRules.map((r) => ({
      ...id('retention', r.key),
      '@type': 'dpv:StorageDuration',
      'dct:description': texts(r.dataCategory),
      ...(r.period ? { 'dpv:hasDuration': { '@value': r.period, '@type': 'xsd:duration' } } : {}),
      ...(r.criterion ? { 'dpv:hasStorageCondition': texts(r.criterion) } : {}),
      ...added(r),
    })),
    ...(facts?.transfers ?? []).map((t) => ({
      ...id('transfer', t.key),
      '@type': 'dpv:DataTransfer',
      'dpv:hasThirdCountry': t.countries.map(loc),
      'dpv:hasRecipient': t.recipient,
      // NONE and UNKNOWN have no DPV code: the transfer is stated without a legal basis.
      ...(t.safeguard === 'NONE' || t.safeguard === 'UNKNOWN' ? {} : { 'dpv:hasLegalBasis': gdpr(t.safeguard) }),
      ...added(t),
    })),
    ...(facts?.rights ?? []).map((r) => ({
      ...id('right', r.right),
      '@type': 'dpv:DataSubjectRight',
      'dct:conformsTo': gdpr(r.right),
      ...(r.answerTerm ? { 'dpv:hasDuration': { '@value': r.answerTerm, '@type': 'xsd:duration' } } : {}),
      ...(r.description ? { 'dct:description': texts(r.description) } : {}),
      ...added(r),
    })),
  ];
  return {
    '@context': DPV_CONTEXT,
    '@id': base,
    'schema:name': model.name,
    ...(model.website ? { 'schema:url': model.website } : {}),
    '@graph': graph,
  };
}
