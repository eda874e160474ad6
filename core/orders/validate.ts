import { DomainError, ErrorCodes } from '../errors';
import { incomingOrderSchema, type IncomingOrder } from './schema';

export const ORDER_CURRENCIES = ['CNY'] as const;

/** Throws the first business rule an (already parsed) order breaks: currency, then negative amounts. */
export function assertOrderValid(o: IncomingOrder): void {
  if (!(ORDER_CURRENCIES as readonly string[]).includes(o.currency)) {
    throw new DomainError(ErrorCodes.ORDER_UNKNOWN_CURRENCY, `不支持的币种：${o.currency}`, {
      orderNo: o.orderNo,
      currency: o.currency,
    });
  }
  const amounts: [string, number | undefined][] = [
    ['amounts.totalFen', o.amounts.totalFen],
    ['amounts.discountFen', o.amounts.discountFen],
    ['amounts.paidFen', o.amounts.paidFen],
    ...o.items.map((it, i): [string, number] => [`items.${i}.priceFen`, it.priceFen]),
    ...o.refunds.map((r, i): [string, number] => [`refunds.${i}.amountFen`, r.amountFen]),
  ];
  const negative = amounts.find(([, v]) => v !== undefined && v < 0);
  if (negative) {
    throw new DomainError(ErrorCodes.ORDER_NEGATIVE_AMOUNT, '订单金额不能为负数', {
      orderNo: o.orderNo,
      field: negative[0],
      value: negative[1],
    });
  }
}

/** Parses a raw order from a sync request: shape errors → ORDER_MALFORMED, then the business checks. */
export function parseIncomingOrder(raw: unknown): IncomingOrder {
  const parsed = incomingOrderSchema.safeParse(raw);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new DomainError(ErrorCodes.ORDER_MALFORMED, '订单格式不正确', { issues });
  }
  assertOrderValid(parsed.data);
  return parsed.data;
}
