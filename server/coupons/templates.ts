import { DomainError, ErrorCodes } from '../../core/errors';
import { parseCouponTemplate, type CouponTemplate } from '../../core/coupons';
import type { Database } from '../runtime/cloud';
import type { Tx } from '../db/transaction';
import { readDoc } from '../db/documents';

/** A `coupon_templates` document: the template (`_id` = templateId) and the stock counter `issued`. */
export interface StoredTemplate {
  template: CouponTemplate;
  issued: number;
}

function parse(id: string, raw: Record<string, unknown> | null): StoredTemplate {
  if (!raw) throw new DomainError(ErrorCodes.NOT_FOUND, '券不存在', { templateId: id });
  const template = parseCouponTemplate({ ...raw, templateId: id });
  return { template, issued: typeof raw.issued === 'number' ? raw.issued : 0 };
}

export const readTemplate = async (db: Database, id: string): Promise<StoredTemplate> =>
  parse(id, await readDoc<Record<string, unknown>>(db, 'coupon_templates', id));

/** Inside a transaction: the template document (and so its stock) is locked until commit. */
export const readTemplateTx = async (tx: Tx, id: string): Promise<StoredTemplate> =>
  parse(id, (await tx.collection('coupon_templates').doc(id).get()).data);

/** Every template (a brand has dozens, not thousands); invalid ones are skipped and logged by the caller. */
export async function listTemplates(db: Database): Promise<{ stored: StoredTemplate[]; invalid: string[] }> {
  const found = (await db.collection('coupon_templates').limit(1000).get()) as unknown as { data: (Record<string, unknown> & { _id: string })[] };
  const stored: StoredTemplate[] = [];
  const invalid: string[] = [];
  for (const raw of found.data) {
    try {
      stored.push(parse(raw._id, raw));
    } catch {
      invalid.push(raw._id);
    }
  }
  return { stored, invalid };
}
