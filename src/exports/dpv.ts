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
    })),
    ...model.processors.map((p) => ({
      ...id('processor', p.key),
      '@type': 'dpv:DataProcessor',
      'schema:name': p.name,
      'dct:description': texts(p.service),
      'dpv:hasLocation': p.dataLocations.map((l) => loc(l.country)),
      ...(p.headquartersCountry ? { 'schema:location': loc(p.headquartersCountry) } : {}),
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
      ...(p.legalBasis ? { 'dpv:hasLegalBasis': gdpr(p.legalBasis) } : {}),
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
    })),
    ...(facts?.transfers ?? []).map((t) => ({
      ...id('transfer', t.key),
      '@type': 'dpv:DataTransfer',
      'dpv:hasThirdCountry': loc(t.country),
      'dpv:hasRecipient': t.recipient,
      'dpv:hasLegalBasis': gdpr(t.safeguard),
      ...(t.activeUntil ? { 'dct:valid': t.activeUntil } : {}),
    })),
    ...(facts?.rights ?? []).map((r) => ({
      ...id('right', r.right),
      '@type': 'dpv:DataSubjectRight',
      'dct:conformsTo': gdpr(r.right),
      ...(r.answerTerm ? { 'dpv:hasDuration': { '@value': r.answerTerm, '@type': 'xsd:duration' } } : {}),
      ...(r.description ? { 'dct:description': texts(r.description) } : {}),
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
