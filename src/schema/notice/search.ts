// searchNotices: full-text search over the notices in force (or all published
// versions), in the language's own configuration.
import { encodeGlobalID, resolveOffsetConnection } from '@pothos/plugin-relay';
import { GraphQLError } from 'graphql';
import { primaryLanguage } from '../../notice/language.js';
import { searchSections, snippetHtml, snippetText, type SearchHitRow } from '../../notice/search.js';
import { builder } from '../builder.js';
import { checkPageSize } from '../pagination.js';

const MAX_QUERY_LENGTH = 200;

const SearchHit = builder.objectRef<SearchHitRow>('NoticeSearchHit').implement({
  description: 'A section that matches, with where to link to.',
  fields: (t) => ({
    organisationSlug: t.exposeString('organisationSlug'),
    organisationName: t.exposeString('organisationName'),
    version: t.exposeString('version'),
    versionId: t.id({ resolve: (h) => encodeGlobalID('NoticeVersion', h.versionId) }),
    effectiveDate: t.expose('effectiveDate', { type: 'Date' }),
    locale: t.expose('locale', { type: 'Locale' }),
    sectionId: t.id({ resolve: (h) => encodeGlobalID('NoticeSection', h.sectionId) }),
    anchor: t.exposeString('anchor', { description: 'Link to the section with #anchor.' }),
    heading: t.exposeString('heading'),
    level: t.exposeInt('level'),
    rank: t.exposeFloat('rank'),
    snippet: t.string({ description: 'The matching passage as plain text.', resolve: (h) => snippetText(h.snippet) }),
    snippetHtml: t.string({
      description: 'The matching passage as safe HTML, the matched words in <mark>.',
      resolve: (h) => snippetHtml(h.snippet),
    }),
  }),
});

builder.queryField('searchNotices', (t) =>
  t.connection(
    {
      type: SearchHit,
      description:
        'Sections of published notices that match the query, best first. Words are matched by their stem in the section’s language (Dutch, German, English; exact words otherwise); quotes, OR and -word work as on web search engines.',
      args: {
        query: t.arg.string({ required: true }),
        locale: t.arg({ type: 'Locale', required: false, description: 'Search only translations in this language.' }),
        organisation: t.arg.string({ required: false, description: 'Search only this organisation (slug).' }),
        includeHistorical: t.arg.boolean({
          defaultValue: false,
          description: 'Also search versions no longer in force.',
        }),
      },
      resolve: async (_root, args, ctx) => {
        const query = args.query.trim();
        if (!query || query.length > MAX_QUERY_LENGTH) {
          throw new GraphQLError(`"query" must be 1 to ${MAX_QUERY_LENGTH} characters`, {
            extensions: { code: 'BAD_USER_INPUT', argument: 'query' },
          });
        }
        checkPageSize(args);
        let total = 0;
        const connection = await resolveOffsetConnection({ args }, async ({ limit, offset }) => {
          const rows = await searchSections(ctx.prisma, {
            query,
            language: args.locale ? primaryLanguage(args.locale) : null,
            organisation: args.organisation,
            includeHistorical: args.includeHistorical ?? false,
            now: ctx.now(),
            limit,
            offset,
          });
          total = rows[0]?.total ?? 0;
          return rows;
        });
        return { ...connection, totalCount: total };
      },
    },
    {
      name: 'NoticeSearchConnection',
      fields: (c) => ({
        totalCount: c.int({ resolve: (conn) => (conn as unknown as { totalCount: number }).totalCount }),
      }),
    },
  ),
);
