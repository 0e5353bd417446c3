// The three workloads: the same data asked of every server. The API, the
// naive set and the ceiling take the API's query; PostGraphile takes the
// equivalent query in its generated schema (introspected once, by hand).
export interface Workload {
  id: 'W1' | 'W2' | 'W3';
  title: string;
  /** The query in the API's schema (also served by the naive set and, as recorded bytes, the ceiling). */
  query: string;
  /** The same data in PostGraphile's generated schema. */
  postgraphile: string;
  /** What PostGraphile's answer cannot match without plugins, said next to the table. */
  postgraphileNote?: string;
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
      'no date filter without plugins, so PostGraphile also returns contacts no longer in use (5 instead of 2)',
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
];

/** The exact POST body sent for a query: the ceiling looks responses up by it. */
export const requestBody = (query: string): string => JSON.stringify({ query });
