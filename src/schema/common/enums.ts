// GraphQL enums mirror the database enums one to one.
import {
  ContactKind,
  DataPlace,
  DatePrecision,
  EntityRole,
  FactSource,
  NoticeKind,
  NoticeVersionStatus,
  OtherControllerRole,
  Platform,
  ProcessorRole,
  ProcessorStatus,
  RetentionAction,
  RetentionBasis,
  RetentionCountFrom,
  RetentionTrigger,
  TransferSafeguard,
} from '../../db/generated/enums.js';
import { builder } from '../builder.js';

export const EntityRoleEnum = builder.enumType(EntityRole, {
  name: 'EntityRole',
});
export const ContactKindEnum = builder.enumType(ContactKind, {
  name: 'ContactKind',
  description: 'What a contact is for: the DPO, the privacy office, data-subject requests, dispute resolution, …',
});
export const NoticeKindEnum = builder.enumType(NoticeKind, {
  name: 'NoticeKind',
});
export const NoticeVersionStatusEnum = builder.enumType(NoticeVersionStatus, {
  name: 'NoticeVersionStatus',
});
export const ProcessorRoleEnum = builder.enumType(ProcessorRole, {
  name: 'ProcessorRole',
});
export const ProcessorStatusEnum = builder.enumType(ProcessorStatus, {
  name: 'ProcessorStatus',
});
export const TransferSafeguardEnum = builder.enumType(TransferSafeguard, {
  name: 'TransferSafeguard',
  description:
    'The legal ground for transfers outside the EEA: none needed inside it, an adequacy decision, standard contractual clauses, binding corporate rules, the EU–US Data Privacy Framework, or the invalidated Safe Harbor.',
});
export const RetentionTriggerEnum = builder.enumType(RetentionTrigger, {
  name: 'RetentionTrigger',
});
export const RetentionBasisEnum = builder.enumType(RetentionBasis, {
  name: 'RetentionBasis',
});
export const RetentionActionEnum = builder.enumType(RetentionAction, {
  name: 'RetentionAction',
});
export const RetentionCountFromEnum = builder.enumType(RetentionCountFrom, {
  name: 'RetentionCountFrom',
  description: 'With several triggers: the period counts from whichever happens first (EARLIEST) or last (LATEST).',
});
export const FactSourceEnum = builder.enumType(FactSource, {
  name: 'FactSource',
  description:
    'Where a fact comes from: NOTICE (stated in the notice), PROJECT (added by this project, e.g. a registry’s name) or ORGANISATION (given by the organisation, not its notice).',
});
export const DatePrecisionEnum = builder.enumType(DatePrecision, {
  name: 'DatePrecision',
  description: 'How precisely a date is given: a MONTH ("Stand: November 2025") or a DAY.',
});
export const PlatformEnum = builder.enumType(Platform, {
  name: 'Platform',
  description: 'A platform some processing happens on only (a push service per app store).',
});
export const DataPlaceEnum = builder.enumType(DataPlace, {
  name: 'DataPlace',
  description: 'Where data is processed: in a COUNTRY, or only on the USER_DEVICE.',
});
export const OtherControllerRoleEnum = builder.enumType(OtherControllerRole, {
  name: 'OtherControllerRole',
  description: 'INDEPENDENT controller of its own service, JOINT controller with the organisation, or UNKNOWN.',
});
