// The Transparency Information Language (TILT) document of an organisation:
// its privacy facts in the published TILT JSON schema's shape, one language.
import { createHash } from 'node:crypto';
import { postalAddress, reader, type ExportModel } from './model.js';

const RIGHT_EMAIL_KINDS = ['DATA_SUBJECT_REQUESTS', 'DPO', 'PRIVACY', 'GENERAL'];

/** DPV's "A6-1-b" as TILT's "GDPR-6-1-b". */
export const tiltReference = (code: string) => `GDPR-${code.replace(/^A/, '')}`;

type Right = NonNullable<ExportModel['facts']>['rights'][number];

const withReference = (text: string, reference: string | null) => (reference ? `${text} (${reference})` : text);

export function tiltDocument(model: ExportModel, locale = model.defaultLocale) {
  const t = reader(model, locale);
  const facts = model.facts;
  const controller = model.controllerEntities.find((e) => e.role === 'CONTROLLER') ?? model.controllerEntities[0];
  const contactFor = (...kinds: string[]) =>
    kinds.map((k) => model.contacts.find((c) => c.kind === k && c.email)).find(Boolean) ?? null;
  const general = contactFor('PRIVACY', 'GENERAL', 'DPO', 'DATA_SUBJECT_REQUESTS');
  // TILT requires a DPO block; where none is designated, the privacy contact answers instead.
  const dpo = contactFor('DPO', 'PRIVACY', 'DATA_SUBJECT_REQUESTS', 'GENERAL');
  const rightsContact = contactFor(...RIGHT_EMAIL_KINDS);
  const rights = new Map((facts?.rights ?? []).map((r) => [r.right, r]));
  const identification = [...rights.values()].some((r) => r.identificationRequired) ? ['Proof of identity'] : [];
  // A right's own URL, else that of one of its channels (an online portal).
  const urlOf = (offered: (Right | undefined)[]) =>
    offered.map((r) => r?.url ?? r?.channels.find((c) => c.url)?.url).find(Boolean);
  const right = (codes: string[], fallback: string) => {
    const offered = codes.map((c) => rights.get(c as never)).filter(Boolean);
    return {
      available: offered.length > 0,
      description:
        offered
          .map((r) => t(r!.description))
          .filter(Boolean)
          .join(' ') || fallback,
      ...(rightsContact?.email ? { email: rightsContact.email } : {}),
      ...(urlOf(offered) ? { url: urlOf(offered) } : {}),
      identificationEvidences: identification,
    };
  };
  const authority = model.supervisoryAuthorities[0];
  const categories = facts?.dataCategories ?? [];
  const recipients = [
    ...model.processors.map((p) => ({
      name: p.legalName ?? p.name,
      country:
        p.headquartersCountry ??
        p.country ??
        p.dataLocations.find((l) => l.country)?.country ??
        controller?.country ??
        '',
      category: t(p.service) || p.role.toLowerCase(),
    })),
    ...model.otherControllers.map((c) => ({
      name: c.legalName ?? c.name,
      ...(c.country ? { country: c.country } : {}),
      category: t(c.service) || 'controller',
    })),
    ...(facts?.recipients ?? []).map((r) => ({
      ...(r.name ? { name: r.name } : {}),
      ...(r.address?.country ? { country: r.address.country } : {}),
      category: t(r.description) || r.kind.toLowerCase(),
    })),
  ];
  const storage = model.retentionRules.map((r) => ({
    temporal: r.period ? [{ description: withReference(t(r.dataCategory), r.legalReference), ttl: r.period }] : [],
    purposeConditional: r.period ? [] : [withReference(t(r.criterion) || t(r.dataCategory), r.legalReference)],
    // TILT wants coded references here ("GDPR-6-1-c"); national law is named in the descriptions instead.
    legalBasisConditional: [],
    // "After issue or the last status change, whichever is earlier": the shorter of the periods.
    aggregationFunction: r.countFrom === 'EARLIEST' ? 'min' : 'max',
  }));
  const provision = facts?.provision;

  const body = {
    controller: {
      name: controller?.legalName ?? model.name,
      address: controller ? postalAddress(controller) : '',
      country: controller?.country ?? '',
      representative: {
        name: general?.name ?? general?.department ?? model.name,
        email: general?.email ?? '',
        ...(general?.phone ? { phone: general.phone } : {}),
      },
    },
    dataProtectionOfficer: {
      name: dpo?.name ?? dpo?.department ?? (dpo?.kind === 'DPO' ? 'Data protection officer' : 'Privacy contact'),
      address: dpo ? postalAddress(dpo) : '',
      country: dpo?.country ?? controller?.country ?? '',
      email: dpo?.email ?? '',
      ...(dpo?.phone ? { phone: dpo.phone } : {}),
    },
    dataDisclosed: categories.map((c) => {
      const purposes = (facts?.purposes ?? []).filter((p) => p.dataCategories.includes(c.key));
      return {
        _id: `${model.slug}-${c.key}`,
        category: t(c.name),
        purposes: purposes.map((p) => ({ purpose: p.key, description: t(p.description) })),
        legalBases: [...new Set(purposes.flatMap((p) => p.legalBases))].map((b) => ({
          reference: tiltReference(b),
          description: `Art. ${b.replaceAll('-', ' ')} GDPR`,
        })),
        legitimateInterests: purposes
          .filter((p) => p.legalBases.includes('A6-1-f'))
          .map((p) => ({ exists: true, reasoning: t(p.legitimateInterest) || t(p.description) })),
        recipients,
        storage,
        nonDisclosure: {
          legalRequirement: provision?.requirement === 'STATUTORY' || provision?.requirement === 'MIXED',
          contractualRegulation: provision?.requirement === 'CONTRACTUAL' || provision?.requirement === 'MIXED',
          obligationToProvide: provision ? provision.requirement !== 'VOLUNTARY' : false,
          consequences: t(provision?.consequences),
        },
      };
    }),
    // One entry per named country with a named safeguard: "another third country", or no or an
    // unknown safeguard, has nothing TILT could state, so such a transfer adds none.
    thirdCountryTransfers: (facts?.transfers ?? [])
      .filter((tr) => tr.safeguard !== 'NONE' && tr.safeguard !== 'UNKNOWN')
      .flatMap((tr) => tr.countries.map((country) => ({ tr, country })))
      .map(({ tr, country }) => ({
        country,
        adequacyDecision: {
          available: tr.safeguard === 'A45-3',
          description: tr.safeguard === 'A45-3' ? t(tr.description) : '',
        },
        appropriateGuarantees: {
          available: tr.safeguard.startsWith('A46'),
          description: tr.safeguard.startsWith('A46') ? t(tr.description) || tr.safeguard : '',
        },
        presenceOfEnforceableRightsAndEffectiveRemedies: { available: false, description: '' },
        standardDataProtectionClause: {
          available: tr.safeguard === 'A46-2-c' || tr.safeguard === 'A46-2-d',
          description:
            tr.safeguard === 'A46-2-c' || tr.safeguard === 'A46-2-d' ? t(tr.description) || tr.safeguard : '',
        },
      })),
    accessAndDataPortability: {
      ...right(['A15', 'A20'], 'Not stated in the notice.'),
      administrativeFee: { amount: 0, currency: 'EUR' },
      dataFormats: [],
    },
    sources: (facts?.sources ?? []).map((s, i) => ({
      _id: `${model.slug}-source-${i + 1}`,
      dataCategory: t(categories.find((c) => c.key === s.dataCategory)?.name) || s.dataCategory,
      // TILT requires a URL; an empty reference says that the notice names none.
      sources: [{ description: t(s.description), publiclyAvailable: s.publiclyAvailable, url: s.url ?? '' }],
    })),
    rightToInformation: right(['A15'], 'Not stated in the notice.'),
    rightToRectificationOrDeletion: right(['A16', 'A17'], 'Not stated in the notice.'),
    rightToDataPortability: right(['A20'], 'Not stated in the notice.'),
    rightToWithdrawConsent: right(['A7-3'], 'Not stated in the notice.'),
    rightToComplain: {
      ...right(['A77'], 'Not stated in the notice.'),
      ...(authority
        ? {
            available: true,
            supervisoryAuthority: {
              name: authority.name,
              address: postalAddress(authority),
              country: authority.country,
              ...(authority.email ? { email: authority.email } : {}),
              ...(authority.phone ? { phone: authority.phone } : {}),
            },
          }
        : {}),
    },
    automatedDecisionMaking: facts?.automatedDecisions?.used
      ? {
          inUse: true,
          logicInvolved: t(facts.automatedDecisions.description),
          scopeAndIntendedEffects: t(facts.automatedDecisions.description),
        }
      : { inUse: false },
    changesOfPurpose: [],
  };
  const version = model.noticeInForce;
  return {
    meta: {
      _id: model.id,
      name: model.name,
      created: model.createdAt.toISOString(),
      modified: model.updatedAt.toISOString(),
      version: model.revision + (model.privacyProfile?.revision ?? 0),
      language: locale.split('-')[0],
      status: 'active',
      url: model.website ?? '',
      _hash: createHash('sha256').update(JSON.stringify(body)).digest('hex'),
      ...(version ? { noticeVersion: version.version } : {}),
    },
    ...body,
  };
}
