// Helpers for running the suite against a PostgreSQL server.
export const TEMPLATE_DB = 'privacy_facts_template';

export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** The maintenance database, from which databases are created and dropped. */
export function adminUrl(url: string): string {
  return withDatabase(url, 'postgres');
}
