import type { auditList } from '../../core/contracts/admin';
import type { Handler } from '../kit/router';
import { requireStaff } from '../staff/require';

export const AUDIT_PAGE_SIZE = 20;

interface AuditRowDoc {
  _id: string;
  who: string;
  role: string;
  at: Date | string;
  action: string;
  target: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  reason?: string;
}

/** Admins read the trail newest first, 20 a page, filtered by staff id, member (the target) and action. */
export const listAudit: Handler<typeof auditList> = async (input, ctx) => {
  await requireStaff(ctx, 'audit.read');
  const where: Record<string, unknown> = {};
  if (input.staffId) where.who = input.staffId;
  if (input.memberId) where.target = input.memberId;
  if (input.auditAction) where.action = input.auditAction;
  const r = (await ctx.db
    .collection('audit_log')
    .where(where)
    .orderBy('when', 'desc')
    .orderBy('_id', 'desc')
    .skip(input.page * AUDIT_PAGE_SIZE)
    .limit(AUDIT_PAGE_SIZE + 1)
    .get()) as unknown as { data: AuditRowDoc[] };
  const items = r.data.slice(0, AUDIT_PAGE_SIZE).map((a) => ({
    id: a._id,
    who: String(a.who),
    role: String(a.role ?? ''),
    at: new Date(a.at).toISOString(),
    action: a.action,
    target: String(a.target),
    before: a.before ?? null,
    after: a.after ?? null,
    ...(a.reason ? { reason: a.reason } : {}),
  }));
  return { items, page: input.page, pageSize: AUDIT_PAGE_SIZE, hasMore: r.data.length > AUDIT_PAGE_SIZE };
};
