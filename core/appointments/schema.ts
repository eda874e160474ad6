import { z } from 'zod';
import { DEFAULT_TIME_ZONE } from '../time';

/** Local wall-clock time; 24:00 is allowed as a closing time (end of the day). */
export const hhmmSchema = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'expected HH:mm');
export const localDateSchema = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD');

export const minutesOf = (hhmm: string): number => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

export const serviceSchema = z.object({
  serviceId: z.string().min(1).max(64),
  name: z.object({ zh: z.string().min(1).max(40), en: z.string().min(1).max(80).optional() }),
  durationMinutes: z.number().int().min(5).max(720),
  capacityPerSlot: z.number().int().min(1).max(1000),
  /** Minutes between slot starts; defaults to the duration (back-to-back slots). */
  slotStepMinutes: z.number().int().min(5).max(720).optional(),
  price: z
    .discriminatedUnion('kind', [
      z.object({ kind: z.literal('free') }),
      z.object({ kind: z.literal('paid'), amountFen: z.number().int().positive() }),
    ])
    .default({ kind: 'free' }),
  /** How many local days ahead a slot may be booked (0 = today only). */
  bookingWindowDays: z.number().int().min(0).max(365).default(30),
  /** A booking must be made at least this long before the slot starts. */
  minLeadMinutes: z.number().int().min(0).max(10_080).default(0),
  /** A member may cancel or reschedule until this many hours before the start; staff at any time. */
  cancellationCutoffHours: z.number().int().min(0).max(720).default(24),
  autoConfirm: z.boolean().default(false),
  requiredSkills: z.array(z.string().min(1).max(40)).max(20).default([]),
});
export type Service = z.output<typeof serviceSchema>;
export type ServiceInput = z.input<typeof serviceSchema>;

/** Close at or before open means the range runs past midnight into the next day (e.g. 20:00–02:00). */
export const timeRangeSchema = z
  .object({ open: hhmmSchema.refine((s) => s !== '24:00', 'cannot open at 24:00'), close: hhmmSchema })
  .refine((r) => r.open !== r.close, 'open and close must differ');
export type TimeRange = z.output<typeof timeRangeSchema>;

/** Minutes from the opening day's midnight: [open, close), close may exceed 1440. */
export const spanOf = (r: TimeRange): [number, number] => {
  const open = minutesOf(r.open);
  const close = minutesOf(r.close);
  return [open, close <= open ? close + 1440 : close];
};

const rangesSchema = z
  .array(timeRangeSchema)
  .max(6)
  .superRefine((ranges, ctx) => {
    const spans = ranges.map(spanOf).sort((a, b) => a[0] - b[0]);
    spans.forEach((s, i) => {
      const prev = spans[i - 1];
      if (prev && s[0] < prev[1]) ctx.addIssue({ code: 'custom', message: 'opening ranges of a day must not overlap' });
    });
  });

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const openingHoursSchema = z.object({
  timeZone: z.string().min(1).default(DEFAULT_TIME_ZONE),
  weekly: z.object(
    Object.fromEntries(WEEKDAYS.map((d) => [d, rangesSchema.default([])])) as Record<
      Weekday,
      z.ZodDefault<typeof rangesSchema>
    >,
  ),
  /** A date's exception replaces its weekday hours: closed (holiday) or special hours. */
  exceptions: z
    .array(
      z.union([
        z.object({ date: localDateSchema, closed: z.literal(true), note: z.string().max(80).optional() }),
        z.object({
          date: localDateSchema,
          ranges: rangesSchema.refine((r) => r.length > 0, 'special hours need a range'),
          note: z.string().max(80).optional(),
        }),
      ]),
    )
    .max(400)
    .default([])
    .refine((ex) => new Set(ex.map((e) => e.date)).size === ex.length, 'one exception per date'),
});
export type OpeningHours = z.output<typeof openingHoursSchema>;
export type OpeningHoursInput = z.input<typeof openingHoursSchema>;

export const noShowRuleSchema = z.object({
  /** This many no-shows (within the window) and new bookings wait for staff confirmation; null = never. */
  threshold: z.number().int().min(1).max(100).nullable().default(3),
  /** Count no-shows in the last N days; null = ever. */
  windowDays: z.number().int().positive().max(3660).nullable().default(null),
});
export type NoShowRule = z.output<typeof noShowRuleSchema>;
export const parseNoShowRule = (input: unknown = {}): NoShowRule => noShowRuleSchema.parse(input);
