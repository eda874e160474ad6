import { createHash } from 'node:crypto';
import type { z } from 'zod';
import {
  TEMPLATE_PAGE_SIZE,
  type templateAdminView,
  type templatesCreate,
  type templatesList,
  type templatesPause,
  type templatesStock,
} from '../../core/contracts/coupons';
import { parseCouponTemplate, rebalanceStock, type CouponTemplate } from '../../core/coupons';
import { DomainError, ErrorCodes } from '../../core/errors';
import { audit } from '../audit';
import { once } from '../db/idempotency';
import { inTransaction } from '../db/transaction';
import type { Handler } from '../kit/router';
import type { Database, AnyDb } from '../runtime/cloud';
import { requireStaff, staffActor } from '../staff/require';
import { initialShards, insertShards, lockStock, shardedFields, stockFiguresOf } from './stock';
import { parseStored, readTemplate, readTemplateTx, templateBasics, type StoredTemplate } from './templates';
import { forgetSoldOut } from './sold-out-memo';

type View = z.input<typeof templateAdminView>;

const PERMISSION = 'coupons.manageTemplates' as const;
const target = (templateId: string) => `coupon_templates/${templateId}`;

type Figures = { claimed: number; left: number | null };

function viewOf({ template: t }: StoredTemplate, { claimed, left }: Figures, redeemed: number): View {
  return {
    ...templateBasics(t),
    channels: t.channels,
    storeIds: t.storeIds,
    paused: t.paused,
    activeWindow: t.activeWindow
      ? { from: t.activeWindow.from.toISOString(), until: t.activeWindow.until.toISOString() }
      : null,
    claimed,
    redeemed,
    stockLeft: t.totalStock === null ? null : (left ?? 0),
  };
}

/** Redeemed coupons per template, in one aggregation (not one count per template). */
async function redeemedCounts(db: Database, templateIds: string[]): Promise<Map<string, number>> {
  if (templateIds.length === 0) return new Map();
  const d = db as AnyDb;
  const r = (await d
    .collection('coupons')
    .aggregate()
    .match({ templateId: d.command.in(templateIds), status: 'used' })
    .group({ _id: '$templateId', n: d.command.aggregate.sum(1) })
    .end()) as { list: { _id: string; n: number }[] };
  return new Map(r.list.map((row) => [row._id, row.n]));
}

async function currentView(db: Database, templateId: string): Promise<View> {
  const [stored, redeemed] = await Promise.all([readTemplate(db, templateId), redeemedCounts(db, [templateId])]);
  const figures = await stockFiguresOf(db, [stored]);
  return viewOf(stored, figures.get(templateId)!, redeemed.get(templateId) ?? 0);
}

/** coupons.templates.list: newest first (seeded templates, which have no createdAt, last), then by id. */
export const listTemplatesAdmin: Handler<typeof templatesList> = async (input, ctx) => {
  await requireStaff(ctx, PERMISSION);
  const r = (await ctx.db
    .collection('coupon_templates')
    .orderBy('createdAt', 'desc')
    .orderBy('_id', 'asc')
    .skip(input.page * TEMPLATE_PAGE_SIZE)
    .limit(TEMPLATE_PAGE_SIZE + 1)
    .get()) as unknown as {
    data: (Record<string, unknown> & { _id: string })[];
  };
  const page = r.data.slice(0, TEMPLATE_PAGE_SIZE);
  const stored: StoredTemplate[] = [];
  for (const raw of page) {
    try {
      stored.push(parseStored(raw._id, raw));
    } catch {
      ctx.log.warn('coupon template skipped: invalid', { templateId: raw._id });
    }
  }
  const [redeemed, figures] = await Promise.all([
    redeemedCounts(
      ctx.db,
      stored.map((s) => s.template.templateId),
    ),
    stockFiguresOf(ctx.db, stored),
  ]);
  return {
    items: stored.map((s) => viewOf(s, figures.get(s.template.templateId)!, redeemed.get(s.template.templateId) ?? 0)),
    page: input.page,
    pageSize: TEMPLATE_PAGE_SIZE,
    hasMore: r.data.length > TEMPLATE_PAGE_SIZE,
  };
};

/** The stored body: the template's parsed terms (no undefined fields: the database keeps none) and its stock bookkeeping (shards made with it). */
function storedBody(t: CouponTemplate, meta: { createdAt: Date; createdBy: string }): Record<string, unknown> {
  const { pointsCost, activeWindow, ...terms } = t;
  return {
    ...terms,
    ...(pointsCost !== undefined ? { pointsCost } : {}),
    ...(activeWindow ? { activeWindow } : {}),
    issued: 0,
    ...shardedFields(),
    ...meta,
  };
}

/**
 * coupons.templates.create: a retry with the same requestId answers the first template. Without
 * an id one is derived from the request, so even a retry that lost its answer makes no second template.
 */
export const createTemplate: Handler<typeof templatesCreate> = async (input, ctx) => {
  const staff = await requireStaff(ctx, PERMISSION);
  const now = ctx.now();
  const { requestId, templateId: wanted, activeWindow, ...terms } = input;
  const templateId =
    wanted ?? `tpl_${createHash('sha256').update(`${staff._id}:${requestId}`).digest('hex').slice(0, 12)}`;
  const template = parseCouponTemplate({ ...terms, templateId, ...(activeWindow ? { activeWindow } : {}) });
  const body = storedBody(template, { createdAt: now, createdBy: staff._id });
  const r = await inTransaction(ctx.db, (tx) =>
    once(tx, `coupons.templates.create:${staff._id}:${requestId}`, now, async () => {
      const ref = tx.collection('coupon_templates').doc(templateId);
      if ((await ref.get()).data)
        throw new DomainError(ErrorCodes.TEMPLATE_EXISTS, `券模板编号已存在 / template ${templateId} exists`, {
          templateId,
        });
      await ref.set({ data: body });
      if (template.totalStock !== null) await insertShards(tx, initialShards(templateId, template.totalStock, 0));
      await audit(tx, {
        ...staffActor(staff),
        at: now,
        action: 'coupons.templates.create',
        target: target(templateId),
        before: null,
        after: body,
      });
      return { templateId };
    }),
  );
  return { template: await currentView(ctx.db, r.result.templateId), replayed: r.replayed };
};

/**
 * coupons.templates.stock: locks the template and every stock shard, so claims running meanwhile
 * are counted before the check; the change is spread over the shards (none below 0) and bumps the
 * stock version, which voids a sold-out mark.
 */
export const changeStock: Handler<typeof templatesStock> = async (input, ctx) => {
  const staff = await requireStaff(ctx, PERMISSION);
  const now = ctx.now();
  const r = await inTransaction(ctx.db, (tx) =>
    once(tx, `coupons.templates.stock:${staff._id}:${input.requestId}`, now, async () => {
      const { stored, shards } = await lockStock(tx, input.templateId);
      const { template } = stored;
      if (template.totalStock === null)
        throw new DomainError(ErrorCodes.STOCK_UNLIMITED, '该券不限量，无需调整库存 / unlimited stock', {
          templateId: input.templateId,
        });
      const claimed = stored.issuedBase + shards.reduce((s, x) => s + x.issued, 0);
      const totalStock = template.totalStock + input.delta;
      const lefts = rebalanceStock(
        shards.map((x) => x.left ?? 0),
        totalStock - claimed,
      );
      if (!lefts) {
        throw new DomainError(
          ErrorCodes.STOCK_BELOW_CLAIMED,
          `库存不能少于已领取的 ${claimed} 张 / stock cannot go below the ${claimed} claimed`,
          { claimed, totalStock: template.totalStock, requested: totalStock },
        );
      }
      for (const [k, shard] of shards.entries()) {
        const { _id, ...rest } = shard;
        if (lefts[k] !== shard.left)
          await tx
            .collection('coupon_stock')
            .doc(_id)
            .set({ data: { ...rest, left: lefts[k] as number } });
      }
      await tx
        .collection('coupon_templates')
        .doc(input.templateId)
        .update({ data: { totalStock, stockVersion: (stored.stockVersion ?? 0) + 1 } });
      await audit(tx, {
        ...staffActor(staff),
        at: now,
        action: 'coupons.templates.stock',
        target: target(input.templateId),
        before: { totalStock: template.totalStock, claimed },
        after: { totalStock, claimed },
      });
      return { totalStock };
    }),
  );
  forgetSoldOut(input.templateId);
  return { template: await currentView(ctx.db, input.templateId), replayed: r.replayed };
};

/** coupons.templates.pause: paused templates are refused by every issue path (core decideClaim: COUPON_PAUSED). */
export const setPaused: Handler<typeof templatesPause> = async (input, ctx) => {
  const staff = await requireStaff(ctx, PERMISSION);
  const now = ctx.now();
  const changed = await inTransaction(ctx.db, async (tx) => {
    const { template } = await readTemplateTx(tx, input.templateId);
    if (template.paused === input.paused) return false;
    await tx
      .collection('coupon_templates')
      .doc(input.templateId)
      .update({ data: { paused: input.paused } });
    await audit(tx, {
      ...staffActor(staff),
      at: now,
      action: 'coupons.templates.pause',
      target: target(input.templateId),
      before: { paused: template.paused },
      after: { paused: input.paused },
    });
    return true;
  });
  return { template: await currentView(ctx.db, input.templateId), changed };
};
