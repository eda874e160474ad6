/**
 * An appointment as the booking actions answer it: an hour from `localStart` (Beijing time), changeable
 * until a day before, requested; a test patches what it is about.
 */
export const appointmentView = (localStart = '2030-01-02 11:00', patch: Record<string, unknown> = {}) => {
  const start = new Date(`${localStart.replace(' ', 'T')}:00+08:00`);
  const hours = (n: number) => new Date(start.getTime() + n * 3_600_000).toISOString();
  return {
    appointmentId: 'ap1',
    memberId: 'm1',
    storeId: 'store_sh',
    storeName: { zh: '上海新天地店' },
    serviceId: 'svc_fit',
    serviceName: { zh: '旗袍量体' },
    advisorId: null,
    date: localStart.slice(0, 10),
    start: start.toISOString(),
    end: hours(1),
    startLocal: localStart.slice(11),
    status: 'requested',
    changeableUntil: hours(-24),
    reminderConsent: null,
    history: [],
    ...patch,
  };
};

/** A free slot of an hour from `time` on `date` (Beijing time), of two places. */
export const slotView = (date: string, time: string, remaining: number) => {
  const start = new Date(`${date}T${time}:00+08:00`);
  return {
    start: start.toISOString(),
    end: new Date(start.getTime() + 3_600_000).toISOString(),
    startLocal: time,
    capacity: 2,
    remaining,
  };
};
