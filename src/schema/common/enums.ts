// GraphQL enums mirror the database enums one to one.
import {
  ContactKind,
  EntityRole,
  NoticeKind,
  NoticeVersionStatus,
  ProcessorRole,
  ProcessorStatus,
  RetentionAction,
  RetentionBasis,
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
