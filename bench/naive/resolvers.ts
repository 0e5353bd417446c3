// Deliberately naive resolvers: every object and every relation field runs
// its own SQL query, with no batching, no joins and no look-ahead. This is
// the N+1 baseline the API's one-query-per-selection plan is measured against.
import type pg from 'pg';

type Row = Record<string, unknown>;
type Query = (sql: string, params: unknown[]) => Promise<Row[]>;

export interface NaiveContext {
  query: Query;
}

/** The organisation row, with the locale the query asked for carried down to the notice. */
type OrgRow = Row & { id: string; defaultLocale: string; locale?: string | null };

export function makeContext(pool: pg.Pool): NaiveContext {
  return { query: async (sql, params) => (await pool.query(sql, params)).rows };
}

export const rootValue = {
  organisation: async (args: { slug: string; locale?: string }, ctx: NaiveContext) => {
    const [org] = await ctx.query('SELECT * FROM "Organisation" WHERE slug = $1', [args.slug]);
    return org ? new Organisation({ ...(org as OrgRow), locale: args.locale }) : null;
  },
  processors: async (args: { first: number }, ctx: NaiveContext) => {
    const rows = await ctx.query('SELECT * FROM "Processor" ORDER BY name, id LIMIT $1', [args.first]);
    return { edges: rows.map((row) => ({ node: new Processor(row) })) };
  },
};

class Organisation {
  constructor(readonly row: OrgRow) {}
  slug = () => this.row.slug;
  name = () => this.row.name;

  controllerEntities = async (_args: unknown, ctx: NaiveContext) =>
    (
      await ctx.query(
        `SELECT * FROM "ControllerEntity" WHERE "organisationId" = $1
           AND ("activeFrom" IS NULL OR "activeFrom" <= now()) AND ("activeUntil" IS NULL OR "activeUntil" >= now())
         ORDER BY role, "legalName"`,
        [this.row.id],
      )
    ).map((e) => ({ ...e, address: e }));

  contacts = (_args: unknown, ctx: NaiveContext) =>
    ctx.query(
      `SELECT * FROM "Contact" WHERE "organisationId" = $1
         AND ("activeFrom" IS NULL OR "activeFrom" <= now()) AND ("activeUntil" IS NULL OR "activeUntil" >= now())
       ORDER BY kind, key`,
      [this.row.id],
    );

  supervisoryAuthorities = (_args: unknown, ctx: NaiveContext) =>
    ctx.query(
      `SELECT a.* FROM "SupervisoryAuthority" a JOIN "_OrganisationToSupervisoryAuthority" j ON j."B" = a.id
       WHERE j."A" = $1 ORDER BY a.name`,
      [this.row.id],
    );

  /** The latest published version's translation in the asked locale, else the default one, else any. */
  notice = async (_args: unknown, ctx: NaiveContext) => {
    const [notice] = await ctx.query(
      `SELECT id FROM "Notice" WHERE "organisationId" = $1 AND kind = 'PRIVACY' ORDER BY slug LIMIT 1`,
      [this.row.id],
    );
    if (!notice) return null;
    const [version] = await ctx.query(
      `SELECT * FROM "NoticeVersion" WHERE "noticeId" = $1 AND status = 'PUBLISHED' AND "effectiveDate" <= now()
       ORDER BY "effectiveDate" DESC LIMIT 1`,
      [notice.id],
    );
    if (!version) return null;
    const translations = await ctx.query('SELECT * FROM "NoticeTranslation" WHERE "versionId" = $1 ORDER BY locale', [
      version.id,
    ]);
    const wanted = [this.row.locale, this.row.defaultLocale];
    const translation = wanted.map((l) => translations.find((t) => t.locale === l)).find(Boolean) ?? translations[0];
    if (!translation) return null;
    return {
      resolvedLocale: translation.locale,
      version: version.version,
      effectiveDate: version.effectiveDate,
      title: translation.title,
      sections: () =>
        ctx.query('SELECT * FROM "NoticeSection" WHERE "translationId" = $1 ORDER BY position', [translation.id]),
    };
  };
}

class Processor {
  constructor(readonly row: Row) {}
  name = () => this.row.name;

  dataLocations = async (_args: unknown, ctx: NaiveContext) => {
    const rows = await ctx.query(
      'SELECT country FROM "ProcessorDataLocation" WHERE "processorId" = $1 ORDER BY country, locality',
      [this.row.id],
    );
    return [...new Set(rows.map((r) => r.country))];
  };

  organisation = async (_args: unknown, ctx: NaiveContext) => {
    const [org] = await ctx.query('SELECT * FROM "Organisation" WHERE id = $1', [this.row.organisationId]);
    return new Organisation(org as OrgRow);
  };
}
