// Scalars from graphql-scalars, tightened where our data needs more than the
// library checks (upper-case country codes, E.164 phones, http(s) links only,
// canonical BCP 47 tags). The rules are the same ones manifests use.
import { GraphQLError, GraphQLScalarType, Kind, type ValueNode } from 'graphql';
import {
  GraphQLCountryCode,
  GraphQLDate,
  GraphQLDateTime,
  GraphQLDuration,
  GraphQLEmailAddress,
  GraphQLJSONObject,
  GraphQLLocale,
  GraphQLPhoneNumber,
  GraphQLURL,
} from 'graphql-scalars';
import {
  canonicalLocale,
  checkCountryCode,
  checkDuration,
  checkEmail,
  checkLocale,
  checkPartialDate,
  checkPhoneNumber,
  checkWebUrl,
  type FieldCheck,
} from '../validation/fields.js';

function stringScalar(base: GraphQLScalarType, check: FieldCheck, normalise: (v: string) => string = (v) => v) {
  const parse = (value: unknown) => {
    if (typeof value !== 'string') throw new GraphQLError(`${base.name} must be a string`);
    const reason = check(value);
    if (reason) throw new GraphQLError(`${JSON.stringify(value)} is ${reason}`);
    return normalise(value);
  };
  const config = base.toConfig();
  return new GraphQLScalarType({
    name: config.name,
    description: config.description,
    specifiedByURL: config.specifiedByURL,
    serialize: (value) => String(value),
    parseValue: parse,
    parseLiteral: (ast: ValueNode) => {
      if (ast.kind !== Kind.STRING) throw new GraphQLError(`${base.name} must be a string`, { nodes: ast });
      return parse(ast.value);
    },
  });
}

export const scalars = {
  Date: GraphQLDate,
  DateTime: GraphQLDateTime,
  EmailAddress: stringScalar(GraphQLEmailAddress, checkEmail),
  URL: stringScalar(GraphQLURL, checkWebUrl),
  CountryCode: stringScalar(GraphQLCountryCode, checkCountryCode),
  Locale: stringScalar(GraphQLLocale, checkLocale, (v) => canonicalLocale(v) ?? v),
  PhoneNumber: stringScalar(GraphQLPhoneNumber, checkPhoneNumber),
  Duration: stringScalar(GraphQLDuration, checkDuration),
  JSONObject: GraphQLJSONObject,
  PartialDate: new GraphQLScalarType({
    ...stringScalar(GraphQLDate, checkPartialDate).toConfig(),
    name: 'PartialDate',
    description: 'A date as a notice gives it: a month ("2025-11") or a day ("2025-11-03"); its precision is kept.',
    specifiedByURL: undefined,
  }),
};
