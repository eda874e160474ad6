import type { z } from 'zod';
import {
  cancelAppointment,
  checkInAppointment,
  confirmAppointment,
  markNoShow,
  type Actor,
  type Appointment,
  type AppointmentChange,
} from '../../core/appointments';
import type { appointmentsContracts as C } from '../../core/contracts/appointments';
import { DomainError, ErrorCodes } from '../../core/errors';
import { emit } from '../db/events';
import { body, readDoc } from '../db/documents';
import { inTransaction } from '../db/transaction';
import { verifyMemberCode } from '../../core/identity/member-code';
import { localDate } from '../../core/time';
import { maskPhone } from '../../core/identity/member';
import type { MemberDoc } from '../members/documents';
import { MEMBER_CODE_SECRET, secretFromEnv } from '../http/secrets';
import type { PermissionName } from '../staff/permissions';
import type { ActionContext } from '../kit/context';
import { changeStatus, loadAppointment, moveAppointment, type Acting } from './booking';
import { parseService, reminderTemplateId } from './catalogue';
import { viewOf, type AppointmentDoc, type ServiceDoc } from './documents';
import { requireStaff as requireStaffFor } from '../staff/require';
import { memberByIdentity, requireMember } from '../members/resolve';
import { membersByIds } from '../members/store';

// appointment clients read NOT_STAFF for every refusal, store scope included
const requireStaff = (db: ActionContext['db'], openid: string, storeId: string, permission: PermissionName) =>
  requireStaffFor({ db, openid }, permission, { storeId, refuseAs: ErrorCodes.NOT_STAFF });

type In<K extends keyof typeof C> = z.output<(typeof C)[K]['input']>;
type Out<K extends keyof typeof C> = Promise<z.input<(typeof C)[K]['output']>>;

/** The caller as the member owning the appointment (others get the same answer as a missing one). */
async function asOwner(ctx: ActionContext, appointmentId: string): Promise<{ doc: AppointmentDoc; acting: Acting }> {
  const member = await requireMember(ctx.db, ctx.openid);
  const doc = await loadAppointment(ctx.db, appointmentId);
  if (doc.memberId !== member._id)
    throw new DomainError(ErrorCodes.APPOINTMENT_NOT_FOUND, '预约不存在', { appointmentId });
  return { doc, acting: { actor: { kind: 'member', memberId: member._id } } };
}

async function asStaff(
  ctx: ActionContext,
  appointmentId: string,
  permission: PermissionName,
  reason?: string,
): Promise<{ doc: AppointmentDoc; acting: Acting }> {
  const doc = await loadAppointment(ctx.db, appointmentId);
  const staff = await requireStaff(ctx.db, ctx.openid, doc.storeId, permission);
  const actor: Actor = { kind: 'staff', staffId: staff._id };
  return { doc, acting: { actor, staff, ...(reason ? { reason } : {}) } };
}

async function serviceOf(ctx: ActionContext, serviceId: string) {
  const doc = await readDoc<ServiceDoc>(ctx.db, 'services', serviceId);
  if (!doc) throw new DomainError(ErrorCodes.SERVICE_NOT_FOUND, '该服务不存在', { serviceId });
  return parseService({ ...doc, _id: serviceId });
}

export async function mine(input: In<'mine'>, ctx: ActionContext): Out<'mine'> {
  const member = await requireMember(ctx.db, ctx.openid);
  const _ = ctx.db.command;
  const now = ctx.now();
  const upcoming = input.scope === 'upcoming';
  const filter = upcoming
    ? { memberId: member._id, status: _.in(['requested', 'confirmed']), end: _.gte(now) }
    : _.and([
        { memberId: member._id },
        _.or([{ status: _.in(['cancelled', 'no_show', 'checked_in']) }, { end: _.lt(now) }]),
      ]);
  const r = (await ctx.db
    .collection('appointments')
    .where(filter)
    .orderBy('start', upcoming ? 'asc' : 'desc')
    .limit(50)
    .get()) as unknown as { data: AppointmentDoc[] };
  return { items: r.data.map(viewOf) };
}

export async function cancel(input: In<'cancel'>, ctx: ActionContext): Out<'cancel'> {
  const { doc, acting } = await asOwner(ctx, input.appointmentId);
  const service = await serviceOf(ctx, doc.serviceId);
  const now = ctx.now();
  const after = await changeStatus(
    ctx.db,
    doc._id,
    { ...acting, ...(input.reason ? { reason: input.reason } : {}) },
    now,
    'cancel',
    (a) => cancelAppointment(a, acting.actor, service, now, input.reason),
  );
  return { appointment: viewOf(after) };
}

export async function reschedule(input: In<'reschedule'>, ctx: ActionContext): Out<'reschedule'> {
  const { acting } = await asOwner(ctx, input.appointmentId);
  const after = await moveAppointment(ctx, input.appointmentId, new Date(input.start), {
    ...acting,
    ...(input.reason ? { reason: input.reason } : {}),
  });
  return { appointment: viewOf(after) };
}

/** Records the member's answer for the reminder template; messaging folds the event into its consent ledger. */
export async function recordConsent(input: In<'recordConsent'>, ctx: ActionContext): Out<'recordConsent'> {
  const expected = reminderTemplateId();
  if (input.templateId !== expected)
    throw new DomainError(ErrorCodes.INVALID_INPUT, '不是预约提醒的订阅模板', { templateId: input.templateId });
  const { doc } = await asOwner(ctx, input.appointmentId);
  const now = ctx.now();
  await inTransaction(ctx.db, async (tx) => {
    const current = (await tx.collection('appointments').doc(doc._id).get()).data as AppointmentDoc | null;
    if (!current) throw new DomainError(ErrorCodes.APPOINTMENT_NOT_FOUND, '预约不存在', { appointmentId: doc._id });
    await tx
      .collection('appointments')
      .doc(doc._id)
      .set({ data: body({ ...current, _id: doc._id, reminderConsent: input.result, updatedAt: now }) });
    await emit(tx, {
      type: 'message.subscribe_result',
      memberId: doc.memberId,
      at: now,
      data: {
        templateId: input.templateId,
        result: input.result,
        messageType: 'appointmentReminder',
        appointmentId: doc._id,
      },
    });
  });
  return { appointmentId: doc._id, reminderConsent: input.result };
}

export async function schedule(input: In<'schedule'>, ctx: ActionContext): Out<'schedule'> {
  await requireStaff(ctx.db, ctx.openid, input.storeId, 'appointments.schedule');
  const r = (await ctx.db
    .collection('appointments')
    .where({ storeId: input.storeId, date: input.date })
    .orderBy('start', 'asc')
    .limit(500)
    .get()) as unknown as { data: AppointmentDoc[] };
  const ids = [...new Set(r.data.map((a) => a.memberId))];
  const members = new Map<string, MemberDoc>();
  for (const m of await membersByIds(ctx.db, ids, { name: true, phone: true, cardNo: true })) members.set(m._id, m);
  const who = (m: MemberDoc | undefined) =>
    m ? { name: m.name ?? null, phoneMasked: m.phone ? maskPhone(m.phone) : null, cardNo: m.cardNo ?? null } : null;
  return {
    storeId: input.storeId,
    date: input.date,
    items: r.data.map((a) => ({ ...viewOf(a), member: who(members.get(a.memberId)) })),
  };
}

/** A staff status change: decided by core, audited in the same transaction. */
const staffChange =
  (
    action: string,
    permission: PermissionName,
    decide: (a: Appointment, by: Actor, now: Date, reason?: string) => AppointmentChange,
  ) =>
  async (input: In<'confirm'>, ctx: ActionContext): Out<'confirm'> => {
    const { doc, acting } = await asStaff(ctx, input.appointmentId, permission, input.reason);
    const now = ctx.now();
    const after = await changeStatus(ctx.db, doc._id, acting, now, action, (a) =>
      decide(a, acting.actor, now, input.reason),
    );
    return { appointment: viewOf(after) };
  };

export const confirm = staffChange('confirm', 'appointments.confirm', (a, by, now) => confirmAppointment(a, by, now));
export const noShow = staffChange('no_show', 'appointments.noShow', (a, by, now) => markNoShow(a, by, now));
const checkInById = staffChange('check_in', 'appointments.checkIn', (a, by, now) => checkInAppointment(a, by, now));

/** Check-in by id, or by the member's scanned code: their open appointment at this store today, the one starting nearest to now. */
export async function checkIn(input: In<'checkIn'>, ctx: ActionContext): Out<'checkIn'> {
  if ('appointmentId' in input) return checkInById(input, ctx);
  await requireStaff(ctx.db, ctx.openid, input.storeId, 'appointments.checkIn');
  const now = ctx.now();
  const memberId = await memberOfCode(ctx, input.memberCode, now);
  const _ = ctx.db.command;
  const r = (await ctx.db
    .collection('appointments')
    .where({
      memberId,
      storeId: input.storeId,
      status: _.in(['requested', 'confirmed']),
      start: _.gte(new Date(now.getTime() - DAY_MS)).and(_.lte(new Date(now.getTime() + DAY_MS))),
    })
    .limit(20)
    .get()) as unknown as { data: AppointmentDoc[] };
  const today = r.data
    .filter(
      (a) =>
        a.date === localDate(now, a.timeZone) ||
        localDate(new Date(a.start), a.timeZone) === localDate(now, a.timeZone),
    )
    .sort(
      (x, y) =>
        Math.abs(new Date(x.start).getTime() - now.getTime()) - Math.abs(new Date(y.start).getTime() - now.getTime()),
    )[0];
  if (!today)
    throw new DomainError(ErrorCodes.APPOINTMENT_NOT_FOUND, '该会员今天在本店没有待签到的预约', {
      memberId,
      storeId: input.storeId,
    });
  return checkInById({ appointmentId: today._id }, ctx);
}

const DAY_MS = 86_400_000;

async function memberOfCode(ctx: ActionContext, code: string, now: Date): Promise<string> {
  const secret = secretFromEnv(MEMBER_CODE_SECRET);
  if (!secret) throw new DomainError(ErrorCodes.INTERNAL, `${MEMBER_CODE_SECRET} is not set`);
  const check = verifyMemberCode(code, now, secret);
  if (!check.ok) {
    throw check.code === 'MEMBER_CODE_EXPIRED'
      ? new DomainError(ErrorCodes.MEMBER_CODE_EXPIRED, '会员码已过期，请会员刷新')
      : new DomainError(ErrorCodes.MEMBER_CODE_INVALID, '无效的会员码');
  }
  const m = await memberByIdentity(ctx.db, 'card', check.cardNo);
  if (!m) throw new DomainError(ErrorCodes.MEMBER_CODE_INVALID, '无效的会员码');
  return m._id;
}

export async function staffCancel(input: In<'staffCancel'>, ctx: ActionContext): Out<'staffCancel'> {
  const { doc, acting } = await asStaff(ctx, input.appointmentId, 'appointments.cancel', input.reason);
  const service = await serviceOf(ctx, doc.serviceId);
  const now = ctx.now();
  const after = await changeStatus(ctx.db, doc._id, acting, now, 'cancel', (a) =>
    cancelAppointment(a, acting.actor, service, now, input.reason),
  );
  return { appointment: viewOf(after) };
}

export async function staffReschedule(input: In<'staffReschedule'>, ctx: ActionContext): Out<'staffReschedule'> {
  const { acting } = await asStaff(ctx, input.appointmentId, 'appointments.reschedule', input.reason);
  const after = await moveAppointment(ctx, input.appointmentId, new Date(input.start), acting);
  return { appointment: viewOf(after) };
}
