import { DEFAULT_TIME_ZONE } from '../../core/time';
import { readDoc } from '../db/documents';
import type { Database } from '../runtime/cloud';

export interface BrandMessaging {
  timeZone: string;
  /** Message template key (as journeys and campaigns name it) → the WeChat template id; absent = the key itself. */
  templateIds: Record<string, string>;
  mailFrom: string;
}

interface BrandDoc {
  timeZone?: string;
  messageTemplates?: Record<string, string>;
  mailFrom?: string;
}

/** The brand set-up messaging needs (one document read). */
export async function brandMessaging(db: Database): Promise<BrandMessaging> {
  const b = await readDoc<BrandDoc>(db, 'brand', 'brand');
  return {
    timeZone: b?.timeZone ?? DEFAULT_TIME_ZONE,
    templateIds: b?.messageTemplates ?? {},
    mailFrom: b?.mailFrom ?? 'no-reply@member-centre.local',
  };
}

export const wechatTemplateId = (brand: BrandMessaging, key: string): string => brand.templateIds[key] ?? key;
