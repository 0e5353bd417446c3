// The workloads: the same data asked of every server. The API, the naive set
// and the ceiling take the API's query; PostGraphile takes the equivalent
// query in its generated schema (introspected once, by hand).
import type { ServerName } from './report.js';

export interface Workload {
  id: 'W1' | 'W2' | 'W3' | 'W4';
  title: string;
  /** The query in the API's schema (also served by the naive set and, as recorded bytes, the ceiling). */
  query: string;
  /** The same data in PostGraphile's generated schema. */
  postgraphile: string;
  /** What PostGraphile's answer cannot match without plugins, said next to the table. */
  postgraphileNote?: string;
  /** The servers that serve it, when not all do (the naive set knows only W1–W3). */
  servers?: ServerName[];
}

export const workloads: Workload[] = [
  {
    id: 'W1',
    title: "frontend's notice (mailcamp, nl)",
    query:
      '{ organisation(slug: "mailcamp", locale: "nl") { notice { resolvedLocale version effectiveDate title ' +
      'sections { anchor heading level body } } } }',
    // No locale negotiation: the latest version's nl translation, sections by position.
    postgraphile:
      '{ allOrganisations(condition: { slug: "mailcamp" }) { nodes { noticesByOrganisationId(orderBy: SLUG_ASC, first: 1) ' +
      '{ nodes { noticeVersionsByNoticeId(orderBy: EFFECTIVE_DATE_DESC, first: 1) { nodes { status version effectiveDate ' +
      'noticeTranslationsByVersionId(condition: { locale: "nl" }) { nodes { locale title ' +
      'noticeSectionsByTranslationId(orderBy: POSITION_ASC) { nodes { anchor heading level body } } } } } } } } } } }',
    postgraphileNote:
      'Amber offers conditions only on indexed columns, so the version is the latest by date (its status is ' +
      'returned, not filtered on) and the locale has no fallback',
  },
  {
    id: 'W2',
    title: "integrator's organisation (mimecast)",
    query:
      '{ organisation(slug: "mimecast") { name controllerEntities { legalName registrationNumber ' +
      'address { street postalCode locality country } } contacts { kind email phone } ' +
      'supervisoryAuthorities { name country } } }',
    postgraphile:
      '{ allOrganisations(condition: { slug: "mimecast" }) { nodes { name ' +
      'controllerEntitiesByOrganisationId { nodes { legalName registrationNumber street postalCode locality country } } ' +
      'contactsByOrganisationId(orderBy: KEY_ASC) { nodes { kind email phone } } ' +
      '_organisationToSupervisoryAuthoritiesByA { nodes { supervisoryAuthorityByB { name country } } } } } }',
    postgraphileNote:
      'no date filter without plugins, so PostGraphile also returns the contacts and the controller entity no longer in use',
  },
  {
    id: 'W3',
    title: 'processors across organisations (first 100)',
    query: '{ processors(first: 100) { edges { node { name dataLocations organisation { slug name } } } } }',
    postgraphile:
      '{ allProcessors(first: 100, orderBy: [NAME_ASC, PRIMARY_KEY_ASC]) { edges { node { name ' +
      'processorDataLocationsByProcessorId(orderBy: [COUNTRY_ASC, LOCALITY_ASC]) { nodes { country } } ' +
      'organisationByOrganisationId { slug name } } } } }',
  },
  {
    id: 'W4',
    title: 'TCF vendors with purpose 7 under legitimate interest, and their retention (first 100)',
    query:
      '{ organisations(source: TCF, purpose: 7, legalBasis: LEGITIMATE_INTEREST, first: 100) { totalCount ' +
      'edges { node { gvlId name tcfVendor { standardRetentionDays ' +
      'purposes { tcfId legalBasis flexible retentionDays } } } } } }',
    // From the purpose side: Amber's conditions are on indexed columns, and a relation's existence is no condition.
    postgraphile:
      '{ allTcfVendorPurposes(condition: { tcfId: 7 }, first: 100, orderBy: PRIMARY_KEY_ASC) { totalCount ' +
      'nodes { legalBasis tcfVendorByVendorId { gvlId name standardRetentionDays deletedDate ' +
      'tcfVendorPurposesByVendorId(orderBy: TCF_ID_ASC) { nodes { tcfId legalBasis flexible retentionDays } } } } } }',
    postgraphileNote:
      'Amber filters only on a leading index column and cannot ask for a related row, so W4 reads purpose 7 ' +
      'under either legal basis, deleted vendors included, returns the basis and retention for the client to ' +
      'filter, and gives the vendor’s own retention without the standard one filled in',
    servers: ['api', 'api+cache', 'api+redis', 'ceiling', 'postgraphile'],
  },
];

/** Whether a server serves a workload. */
export const serves = (w: Workload, server: ServerName) => !w.servers || w.servers.includes(server);

/** The exact POST body sent for a query: the ceiling looks responses up by it. */
export const requestBody = (query: string): string => JSON.stringify({ query });
