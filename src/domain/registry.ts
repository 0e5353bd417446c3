// Every record type, by name. A new type is added here (the `satisfies`
// below fails until it is), and test/domain.test.ts then checks that its
// mapping reads back what it writes and that it has every part the writer needs.
import type { Tx } from '../db/client.js';
import { apiKey } from './api-key.js';
import { contact } from './contact.js';
import { controllerEntity } from './controller-entity.js';
import { notice, noticeTranslation, noticeVersion } from './notice.js';
import { organisation } from './organisation.js';
import { otherController } from './other-controller.js';
import { privacyProfile } from './privacy-profile.js';
import { processor } from './processor.js';
import type { AnyRecordType, Owner, Typename } from './record.js';
import { retentionRule } from './retention-rule.js';
import { supervisoryAuthority } from './supervisory-authority.js';
import { webhook } from './webhook.js';
import { tcfDefinition } from './tcf-definition.js';
import { tcfVendor } from './tcf-vendor.js';
import { tcfVendorList } from './tcf-vendor-list.js';

export const recordTypes = {
  SupervisoryAuthority: supervisoryAuthority,
  Organisation: organisation,
  ControllerEntity: controllerEntity,
  Contact: contact,
  Processor: processor,
  RetentionRule: retentionRule,
  OtherController: otherController,
  Notice: notice,
  NoticeVersion: noticeVersion,
  NoticeTranslation: noticeTranslation,
  PrivacyProfile: privacyProfile,
  ApiKey: apiKey,
  Webhook: webhook,
  TcfVendorList: tcfVendorList,
  TcfDefinition: tcfDefinition,
  TcfVendor: tcfVendor,
} as const satisfies Record<Typename, AnyRecordType>;

export function recordType(typename: string): AnyRecordType | null {
  return (recordTypes as Record<string, AnyRecordType>)[typename] ?? null;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Who owns the record of this type and id, and whether it is public; null when there is none. */
export async function ownerOf(
  tx: Tx,
  typename: string,
  id: string,
): Promise<{ owner: Owner; visibility: 'public' | 'writers' } | null> {
  const type = recordType(typename);
  if (!type || !UUID.test(id)) return null;
  const row = await type.load(tx, id);
  return row ? { owner: type.owner(row), visibility: type.visibility?.(row) ?? 'public' } : null;
}
