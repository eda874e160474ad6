import type { z } from 'zod';
import {
  availability as freeCapacity,
  openingHoursSchema,
  serviceSchema,
  slotKey,
  slotsForDay,
  type OpeningHours,
  type Service,
} from '../../core/appointments';
import { type availability, type catalogue } from '../../core/contracts/appointments';
import { DomainError, ErrorCodes } from '../../core/errors';
import { addDays, localDate } from '../../core/time';
import { loadBrandConfig } from '../config';
import type { ActionContext } from '../kit/context';
import type { Database } from '../runtime/cloud';
import type { ServiceDoc, SlotCountDoc } from './documents';

type Text = { zh: string; en?: string };
interface StoreDoc {
  _id: string;
  name: Text;
  city?: string;
}

export interface BookingSetup {
  service: Service;
  serviceDoc: ServiceDoc;
  hours: OpeningHours;
  store: StoreDoc;
}

/** A stored service; one that does not fit the schema is the brand's set-up error, not the caller's. */
export function parseService(doc: ServiceDoc): Service {
  const r = serviceSchema.safeParse({ ...doc, serviceId: doc._id });
  if (!r.success)
    throw new DomainError(ErrorCodes.SERVICE_MISCONFIGURED, '该服务配置有误，请联系门店', {
      serviceId: doc._id,
      issues: r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`),
    });
  return r.data;
}

/**
 * The service, the store and its opening hours in one database call (an aggregation with two
 * lookups), so a month of availability costs this plus one query of the slot counters.
 */
export async function loadSetup(db: Database, storeId: string, serviceId: string): Promise<BookingSetup> {
  const res = (await db
    .collection('services')
    .aggregate()
    .match({ _id: serviceId })
    .lookup({ from: 'stores', localField: 'storeIds', foreignField: '_id', as: 'stores' })
    .lookup({ from: 'store_hours', localField: 'storeIds', foreignField: '_id', as: 'hours' })
    .end()) as { list: (ServiceDoc & { stores: StoreDoc[]; hours: Record<string, unknown>[] })[] };
  const row = res.list[0];
  if (!row || row.active === false)
    throw new DomainError(ErrorCodes.SERVICE_NOT_FOUND, '该服务不存在或已下架', { serviceId });
  if (!row.storeIds.includes(storeId))
    throw new DomainError(ErrorCodes.SERVICE_NOT_AT_STORE, '该门店不提供此服务', { serviceId, storeId });
  const store = row.stores.find((s) => s._id === storeId);
  if (!store) throw new DomainError(ErrorCodes.STORE_NOT_FOUND, '门店不存在', { storeId });
  const { stores: _s, hours: allHours, ...serviceDoc } = row;
  void _s;
  const hoursDoc = allHours.find((h) => h._id === storeId) ?? { weekly: {} };
  return {
    service: parseService(serviceDoc as ServiceDoc),
    serviceDoc: serviceDoc as ServiceDoc,
    hours: openingHoursSchema.parse(hoursDoc),
    store,
  };
}

/** How long an instance reuses a service's set-up: a brand's edit reaches bookings within this. */
const SETUP_TTL_MS = 15_000;
const setups = new Map<string, { at: number; setup: BookingSetup }>();

/**
 * `loadSetup` remembered per instance for SETUP_TTL_MS (by the injected clock): every booking would
 * otherwise read the same service, store and hours. The transaction still checks the slot's count and
 * the member's diary, so a stale set-up only lets a capacity or opening-hours edit apply seconds late.
 */
export async function cachedSetup(db: Database, storeId: string, serviceId: string, nowMs: number) {
  const key = `${storeId}\u0000${serviceId}`;
  const hit = setups.get(key);
  if (hit && nowMs >= hit.at && nowMs - hit.at < SETUP_TTL_MS) return hit.setup;
  const setup = await loadSetup(db, storeId, serviceId);
  if (setups.size >= 500) setups.clear();
  setups.set(key, { at: nowMs, setup });
  return setup;
}

export const reminderTemplateId = (): string | null =>
  loadBrandConfig().config.subscriptionTemplates.appointmentReminder ?? null;

/** appointments.catalogue: active services (of one store, or all) and the stores offering them. */
export async function listCatalogue(
  input: z.output<typeof catalogue.input>,
  ctx: ActionContext,
): Promise<z.input<typeof catalogue.output>> {
  const _ = ctx.db.command;
  const filter: Record<string, unknown> = { active: _.neq(false) };
  if (input.storeId) filter.storeIds = input.storeId;
  const [services, stores] = await Promise.all([
    ctx.db.collection('services').where(filter).limit(100).get() as unknown as Promise<{ data: ServiceDoc[] }>,
    ctx.db.collection('stores').limit(100).get() as unknown as Promise<{ data: StoreDoc[] }>,
  ]);
  const parsed = services.data.map((doc) => ({ doc, s: parseService(doc) }));
  const offered = new Set(parsed.flatMap(({ doc }) => doc.storeIds));
  return {
    services: parsed.map(({ doc, s }) => ({
      serviceId: s.serviceId,
      name: s.name,
      durationMinutes: s.durationMinutes,
      capacityPerSlot: s.capacityPerSlot,
      price: s.price,
      bookingWindowDays: s.bookingWindowDays,
      cancellationCutoffHours: s.cancellationCutoffHours,
      storeIds: doc.storeIds,
    })),
    stores: stores.data
      .filter((st) => offered.has(st._id))
      .map((st) => ({ storeId: st._id, name: st.name, city: st.city ?? null })),
    reminderTemplateId: reminderTemplateId(),
  };
}

/** appointments.availability: slots of each local day with the free places left; two database calls whatever the range. */
export async function readAvailability(
  input: z.output<typeof availability.input>,
  ctx: ActionContext,
): Promise<z.input<typeof availability.output>> {
  const { service, hours } = await loadSetup(ctx.db, input.storeId, input.serviceId);
  const dates = Array.from({ length: input.days }, (_, i) => addDays(input.from, i));
  const _ = ctx.db.command;
  const counts = (await ctx.db
    .collection('slot_counts')
    .where({ storeId: input.storeId, serviceId: input.serviceId, date: _.in(dates) })
    .limit(1000)
    .get()) as unknown as { data: SlotCountDoc[] };
  const booked = new Map(counts.data.map((c) => [slotKey(c.serviceId, new Date(c.start)), c.booked]));
  const now = ctx.now();
  const earliest = now.getTime() + service.minLeadMinutes * 60_000;
  const lastDate = addDays(localDate(now, hours.timeZone), service.bookingWindowDays);
  return {
    timeZone: hours.timeZone,
    days: dates.map((date) => {
      const all = slotsForDay(service, hours, date);
      const bookable = date <= lastDate ? freeCapacity(all, booked).filter((s) => s.start.getTime() >= earliest) : [];
      return {
        date,
        open: all.length > 0,
        slots: bookable.map((s) => ({
          start: s.start.toISOString(),
          end: s.end.toISOString(),
          startLocal: s.startLocal,
          capacity: s.capacity,
          remaining: s.remaining,
        })),
      };
    }),
  };
}
