// The building blocks of domain records: checked strings, localised text,
// addresses. Every record type and the manifest format build on these.
import { z } from 'zod';
import {
  canonicalLocale,
  checkCountryCode,
  checkDate,
  checkDuration,
  checkEmail,
  checkLocale,
  checkPhoneNumber,
  checkWebUrl,
  type FieldCheck,
} from '../validation/fields.js';

export const LIMITS = {
  shortText: 200,
  longText: 20_000,
  listSize: 500,
  sections: 300,
} as const;

/** A string that must pass one of the shared field rules; `code` is the stable error code. */
function checked(check: FieldCheck, code: string, max: number = LIMITS.shortText) {
  return z
    .string()
    .max(max)
    .superRefine((value, ctx) => {
      const reason = check(value);
      if (reason) ctx.addIssue({ code: 'custom', message: reason, params: { code } });
    });
}

// C0 controls other than tab, line feed and carriage return; and DEL. PostgreSQL cannot store a NUL.
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/** Text as it may be stored: no control characters, no unpaired surrogates. */
export const storable = (value: string) => !CONTROL.test(value) && value.isWellFormed();
const STORABLE = { message: 'may not contain control characters (such as NUL) or unpaired surrogates' };

/** Any text of a record, up to `max` characters (may be empty). */
export const prose = (max: number = LIMITS.longText) => z.string().max(max).refine(storable, STORABLE);

export const text = (max: number = LIMITS.shortText) => z.string().trim().min(1).max(max).refine(storable, STORABLE);
export const key = z
  .string()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, 'must be lower-case letters, digits and single hyphens (e.g. "zendesk")')
  .max(80);

export const countryCode = checked(checkCountryCode, 'INVALID_COUNTRY', 2);
export const email = checked(checkEmail, 'INVALID_EMAIL');
export const phoneNumber = checked(checkPhoneNumber, 'INVALID_PHONE');
export const webUrl = checked(checkWebUrl, 'INVALID_URL', 2000);
export const duration = checked(checkDuration, 'INVALID_DURATION', 40);
export const calendarDate = checked(checkDate, 'INVALID_DATE', 10);
/** An instant (ISO 8601 with an offset), kept in UTC to the millisecond: "2020-06-17T00:00:00.000Z". */
export const instant = z.iso.datetime({ offset: true }).transform((value) => new Date(value).toISOString());
export const locale = checked(checkLocale, 'INVALID_LOCALE', 35).transform((value) => canonicalLocale(value) ?? value);

/** Localised prose: { nl: "…", en: "…" }, at least one locale. */
export const localizedText = (max: number = LIMITS.longText) =>
  z
    .record(z.string(), text(max))
    .superRefine((value, ctx) => {
      const keys = Object.keys(value);
      if (keys.length === 0) ctx.addIssue({ code: 'custom', message: 'needs at least one locale' });
      for (const k of keys) {
        const reason = checkLocale(k);
        if (reason)
          ctx.addIssue({
            code: 'custom',
            path: [k],
            message: reason,
            params: { code: 'INVALID_LOCALE' },
          });
      }
    })
    .transform((value) => Object.fromEntries(Object.entries(value).map(([k, v]) => [canonicalLocale(k) ?? k, v])));

export const address = z.strictObject({
  street: text().optional(),
  postalCode: text(20).optional(),
  locality: text().optional(),
  region: text().optional(),
  country: countryCode,
});
