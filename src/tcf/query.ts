// The questions asked across vendors, as database filters: which vendors
// declare a purpose, under which legal basis, keeping data for longer than a
// period. A purpose's retention is its own where the vendor gives one, else
// the vendor's standard retention; one rule here for the API and the tests.
import type { Prisma } from '../db/client.js';
import type { OrganisationSource, TcfLegalBasis } from '../db/generated/enums.js';

/** W3C DPV's GDPR legal bases for the TCF's two: consent (A6-1-a) and legitimate interest (A6-1-f). */
export const dpvLegalBasis: Record<TcfLegalBasis, string> = {
  CONSENT: 'A6-1-a',
  LEGITIMATE_INTEREST: 'A6-1-f',
};

export const otherBasis = (b: TcfLegalBasis): TcfLegalBasis => (b === 'CONSENT' ? 'LEGITIMATE_INTEREST' : 'CONSENT');

/** An ISO 8601 duration in days (a year 365 days, a month 30): "P1Y" → 365, "PT12H" → 0.5; null when it is none. */
export function durationDays(value: string): number | null {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(value);
  if (!m || value === 'P' || value.endsWith('T')) return null;
  const [y, mo, w, d, h, mi, s] = m.slice(1).map((v) => Number(v ?? 0)) as number[];
  return y! * 365 + mo! * 30 + w! * 7 + d! + h! / 24 + mi! / 1440 + s! / 86_400;
}

/** Days as the list gives them, as an ISO 8601 duration kept exact: 365 → "P365D" (a year is not always 365 days). */
export const daysDuration = (days: number | null | undefined) => (days == null ? null : `P${days}D`);

/** Seconds as an ISO 8601 duration: 2592000 → "PT2592000S". */
export const secondsDuration = (seconds: number | bigint | null | undefined) =>
  seconds == null ? null : `PT${seconds}S`;

export interface VendorFilter {
  source?: OrganisationSource | null;
  purpose?: number | null;
  specialPurpose?: number | null;
  legalBasis?: TcfLegalBasis | null;
  includeFlexible?: boolean | null;
  retentionLongerThan?: string | null;
  includeDeleted?: boolean | null;
}

/** Whether any of the vendor filters is set: the answer is then vendors, ordered by GVL id. */
export const asksForVendors = (f: VendorFilter) =>
  f.source === 'TCF' ||
  f.purpose != null ||
  f.specialPurpose != null ||
  f.legalBasis != null ||
  f.retentionLongerThan != null;

/** The organisations a vendor filter selects; {} when none is set. `days` is retentionLongerThan in days. */
export function vendorFilter(f: VendorFilter, days: number | null): Prisma.OrganisationWhereInput {
  const and: Prisma.OrganisationWhereInput[] = [];
  if (f.source) and.push({ source: f.source });
  if (!f.includeDeleted) and.push({ deletedAt: null });
  // Longer than `days`: its own retention, or (without one) the vendor's standard one.
  const longer =
    days === null
      ? null
      : (n: number): Prisma.TcfVendorPurposeWhereInput & Prisma.TcfVendorSpecialPurposeWhereInput => ({
          OR: [{ retentionDays: { gt: n } }, { retentionDays: null, vendor: { standardRetentionDays: { gt: n } } }],
        });
  const n = days === null ? 0 : Math.floor(days);
  const basis: Prisma.TcfVendorPurposeWhereInput = f.legalBasis
    ? f.includeFlexible
      ? { OR: [{ legalBasis: f.legalBasis }, { flexible: true }] }
      : { legalBasis: f.legalBasis }
    : {};
  const vendor: Prisma.TcfVendorWhereInput[] = [];
  if (f.purpose != null || f.legalBasis) {
    vendor.push({
      purposes: {
        some: {
          ...(f.purpose != null ? { tcfId: f.purpose } : {}),
          AND: [basis, longer && f.purpose != null ? longer(n) : {}],
        },
      },
    });
  }
  if (f.specialPurpose != null) {
    vendor.push({
      specialPurposes: { some: { tcfId: f.specialPurpose, ...(longer ? longer(n) : {}) } },
    });
  }
  // Without a purpose to measure, any purpose or special purpose kept longer counts.
  if (longer && f.purpose == null && f.specialPurpose == null) {
    vendor.push({ OR: [{ purposes: { some: longer(n) } }, { specialPurposes: { some: longer(n) } }] });
  }
  if (vendor.length > 0) and.push({ tcfVendor: { is: { AND: vendor } } });
  return and.length > 0 ? { AND: and } : {};
}
