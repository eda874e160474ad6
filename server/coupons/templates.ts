import { DomainError, ErrorCodes } from '../../core/errors';
import { parseCouponTemplate, STOCK_SHARDS, type CouponTemplate } from '../../core/coupons';
import type { Database } from '../runtime/cloud';
import type { Tx } from '../db/transaction';
import { readDoc } from '../db/documents';

/**
 * A `coupon_templates` document: the template (`_id` = templateId) and its stock bookkeeping. The
 * units themselves live in `coupon_stock` shards (stock.ts); here: `issued`, coupons issued before
 * the template had shards (0 for new ones); `stockVersion`, set when the shards are made and bumped by
 * every staff stock change; `soldOutVersion`, set by a claim that saw every shard empty at that version.
 * A template without shard documents (stored before sharding, or seeded without them) gets them on first use.
 */
export interface StoredTemplate {
  template: CouponTemplate;
  issuedBase: number;
  /** null: never set (no shards made through this code yet), so no sold-out mark can be trusted */
  stockVersion: number | null;
  soldOutVersion: number | null;
  shards: number;
}

function parse(id: string, raw: Record<string, unknown> | null): StoredTemplate {
  if (!raw) throw new DomainError(ErrorCodes.NOT_FOUND, '券不存在', { templateId: id });
  return parseStored(id, raw);
}

const num = (v: unknown): number | null => (typeof v === 'number' ? v : null);

export function parseStored(id: string, raw: Record<string, unknown>): StoredTemplate {
  const template = parseCouponTemplate({ ...raw, templateId: id });
  return {
    template,
    issuedBase: num(raw.issued) ?? 0,
    stockVersion: num(raw.stockVersion),
    soldOutVersion: num(raw.soldOutVersion),
    shards: num(raw.stockShards) ?? STOCK_SHARDS,
  };
}

/** Known sold out without reading the shards: a claim saw them all empty and no stock was added since. */
/** What every view of a template shows of it (the claim centre's offer, the staff list). */
export const templateBasics = (t: CouponTemplate) => ({
  templateId: t.templateId,
  name: t.name,
  benefit: t.benefit,
  minSpendFen: t.minSpendFen,
  validity: t.validity,
  totalStock: t.totalStock,
  perMemberLimit: t.perMemberLimit,
  pointsCost: t.pointsCost ?? null,
});

export const markedSoldOut = (s: StoredTemplate): boolean =>
  s.template.totalStock !== null && s.stockVersion !== null && s.soldOutVersion === s.stockVersion;

export const readTemplate = async (db: Database, id: string): Promise<StoredTemplate> =>
  parse(id, await readDoc<Record<string, unknown>>(db, 'coupon_templates', id));

/** Inside a transaction: the template document is locked until commit (staff changes; claims do not lock it). */
export const readTemplateTx = async (tx: Tx, id: string): Promise<StoredTemplate> =>
  parse(id, (await tx.collection('coupon_templates').doc(id).get()).data);

/** Every template (a brand has dozens, not thousands); invalid ones are skipped and logged by the caller. */
export async function listTemplates(db: Database): Promise<{ stored: StoredTemplate[]; invalid: string[] }> {
  const found = (await db.collection('coupon_templates').limit(1000).get()) as unknown as {
    data: (Record<string, unknown> & { _id: string })[];
  };
  const stored: StoredTemplate[] = [];
  const invalid: string[] = [];
  for (const raw of found.data) {
    try {
      stored.push(parseStored(raw._id, raw));
    } catch {
      invalid.push(raw._id);
    }
  }
  return { stored, invalid };
}
