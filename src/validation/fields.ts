// Field rules shared by the manifest schema and the GraphQL scalars, so a value
// refused in one place is refused everywhere with the same words.
import { GraphQLCountryCode, GraphQLDuration, GraphQLEmailAddress } from 'graphql-scalars';
import { parsePhoneNumberWithError } from 'libphonenumber-js';

export type FieldCheck = (value: string) => string | null;

function viaScalar(parse: (value: unknown) => unknown, reason: string): FieldCheck {
  return (value) => {
    try {
      parse(value);
      return null;
    } catch {
      return reason;
    }
  };
}

/** ISO 3166-1 alpha-2, upper case (the stored form). */
export const checkCountryCode: FieldCheck = (value) =>
  /^[A-Z]{2}$/.test(value)
    ? viaScalar((v) => GraphQLCountryCode.parseValue(v), 'not an ISO 3166-1 alpha-2 country code')(value)
    : 'not an ISO 3166-1 alpha-2 country code (two upper-case letters, e.g. "NL")';

export const checkEmail = viaScalar((v) => GraphQLEmailAddress.parseValue(v), 'not a valid e-mail address');

/** ISO 8601 duration such as P7Y, P1M, P4M15D. */
export const checkDuration: FieldCheck = (value) =>
  /^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/.test(value)
    ? viaScalar((v) => GraphQLDuration.parseValue(v), 'not an ISO 8601 duration')(value)
    : 'not an ISO 8601 duration (e.g. "P7Y", "P1M", "P4M15D")';

/** Phone numbers are stored in E.164 and must be real numbering-plan numbers. */
export const checkPhoneNumber: FieldCheck = (value) => {
  if (!/^\+[1-9]\d{4,14}$/.test(value)) return 'not an E.164 phone number (e.g. "+31207058500")';
  try {
    return parsePhoneNumberWithError(value).isValid() ? null : 'not a valid phone number for its country';
  } catch {
    return 'not a valid phone number';
  }
};

/** Only web links: a javascript: or data: URL must never reach a page. */
export const checkWebUrl: FieldCheck = (value) => {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'not a valid URL';
  }
  return url.protocol === 'https:' || url.protocol === 'http:' ? null : 'only http and https URLs are allowed';
};

/** BCP 47 language tag; returns the canonical form or null. */
export function canonicalLocale(value: string): string | null {
  try {
    const [canonical] = Intl.getCanonicalLocales(value);
    return canonical ?? null;
  } catch {
    return null;
  }
}

export const checkLocale: FieldCheck = (value) =>
  canonicalLocale(value) === null ? 'not a BCP 47 language tag (e.g. "nl", "de-AT")' : null;

/** A calendar date, YYYY-MM-DD, that exists. */
export const checkDate: FieldCheck = (value) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return 'not a date in the form YYYY-MM-DD';
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value) ? null : 'not an existing calendar date';
};

/** A date as a notice gives it: a month (YYYY-MM) or a day (YYYY-MM-DD). */
export const checkPartialDate: FieldCheck = (value) => {
  if (/^\d{4}-\d{2}$/.test(value)) {
    const month = Number(value.slice(5));
    return month >= 1 && month <= 12 ? null : 'not an existing month';
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return checkDate(value);
  return 'not a date in the form YYYY-MM (a month) or YYYY-MM-DD (a day)';
};
