/** What the fake WeChat answered: a JSON body (errcode 0 or a business error) or binary bytes. */
export type OpenApiOutcome =
  | { errcode: number; errmsg: string; response: Record<string, unknown> }
  | { contentType: string; bytes: number; base64: string };

export interface OpenApiCall {
  seq: number;
  /** emulator-clock time of arrival, ISO */
  at: string;
  apiName: string;
  appid: string;
  /** params.touser, else the invoking function's OpenID, else '' */
  openid: string;
  params: Record<string, unknown>;
  outcome: OpenApiOutcome;
  /** the injected fault that shaped this answer, if any */
  fault?: OpenApiFault;
  /** a repeat WeChat de-duplicated (template/send with a `client_msg_id` seen within 10 minutes): answered, not delivered */
  duplicate?: true;
}

/**
 * `errcode`: answer that WeChat error (43101 refused, 45009 quota, -1 system busy…).
 * `delayMs`: answer normally but late (a delay above the SDK timeout, 15 s by default, is a timeout).
 * `times` defaults to 1; `Infinity` keeps the fault for every call. `forMs`: every call for this long
 * of emulator clock from the injection (an outage, or WeChat answering slowly for minutes).
 */
export type OpenApiFault = ({ errcode: number; errmsg?: string } | { delayMs: number }) & {
  times?: number;
  forMs?: number;
};

export interface OpenApiCallFilter {
  apiName?: string;
  touser?: string;
  /** only calls with a larger seq */
  since?: number;
}

/** The usual WeChat texts, so an injected code reads like the real thing. */
const KNOWN_ERRMSG: Record<number, string> = {
  [-1]: 'system error',
  40001: 'invalid credential, access_token is invalid or not latest',
  40003: 'invalid openid',
  40037: 'invalid template_id',
  43101: 'user refuse to accept the msg',
  45009: 'reach max api daily quota limit',
  45015: 'response out of time limit or subscription is canceled',
  47003: 'argument invalid!',
};

export const errmsgFor = (errcode: number): string => KNOWN_ERRMSG[errcode] ?? `injected error ${errcode}`;

interface ArmedFault {
  fault: OpenApiFault;
  left: number;
  /** emulator-clock ms after which a `forMs` fault no longer applies */
  until?: number;
}

/** Records every OpenAPI call the emulator answered, and holds the faults tests inject per API. */
export class OpenApiRecorder {
  private calls: OpenApiCall[] = [];
  private seq = 0;
  private faults = new Map<string, ArmedFault[]>();

  constructor(private readonly now: () => Date) {}

  /** Takes the next sequence number before answering, so answers may carry it (e.g. a msgid). */
  reserveSeq(): number {
    this.seq += 1;
    return this.seq;
  }

  record(call: Omit<OpenApiCall, 'at' | 'seq'> & { seq?: number }): OpenApiCall {
    const { fault, ...rest } = call;
    const entry: OpenApiCall = {
      ...rest,
      seq: call.seq ?? this.reserveSeq(),
      at: this.now().toISOString(),
      ...(fault === undefined ? {} : { fault }),
    };
    // in seq order; a call answered late (its seq reserved earlier) goes back to its place
    let at = this.calls.length;
    while (at > 0 && this.calls[at - 1]!.seq > entry.seq) at--;
    if (at === this.calls.length) this.calls.push(entry);
    else this.calls.splice(at, 0, entry);
    return entry;
  }

  list(filter: OpenApiCallFilter = {}): OpenApiCall[] {
    return this.calls.filter(
      (c) =>
        (filter.apiName === undefined || c.apiName === filter.apiName) &&
        (filter.touser === undefined || c.openid === filter.touser) &&
        (filter.since === undefined || c.seq > filter.since),
    );
  }

  clear(): void {
    this.calls = [];
  }

  /** Faults for one API queue up: the first is used until its `times` run out, then the next. */
  inject(apiName: string, fault: OpenApiFault): void {
    const times = fault.times ?? (fault.forMs === undefined ? 1 : Number.POSITIVE_INFINITY);
    if (!(times >= 1)) throw new Error(`fault times must be at least 1, got ${String(fault.times)}`);
    if (fault.forMs !== undefined && !(fault.forMs > 0))
      throw new Error(`fault forMs must be positive, got ${String(fault.forMs)}`);
    const queue = this.faults.get(apiName) ?? [];
    queue.push({
      fault,
      left: times,
      ...(fault.forMs === undefined ? {} : { until: this.now().getTime() + fault.forMs }),
    });
    this.faults.set(apiName, queue);
  }

  clearFaults(): void {
    this.faults.clear();
  }

  private readonly delivered = new Map<string, { msgid: unknown; at: number }>();

  /**
   * WeChat's de-duplication of template messages: the first answer given for `key` (openid and
   * client_msg_id) within `windowMs`, or null when this call is the first (and `answer` is kept).
   */
  repeatOf(key: string, answer: unknown, windowMs: number): unknown {
    const now = this.now().getTime();
    const seen = this.delivered.get(key);
    if (seen && now - seen.at < windowMs) return seen.msgid;
    this.delivered.set(key, { msgid: answer, at: now });
    return null;
  }

  /** The fault that applies to this call, used up by one. */
  takeFault(apiName: string): OpenApiFault | undefined {
    const queue = this.faults.get(apiName);
    const now = this.now().getTime();
    while (queue?.[0]?.until !== undefined && queue[0].until <= now) queue.shift();
    const armed = queue?.[0];
    if (!queue || !armed) return undefined;
    armed.left -= 1;
    if (armed.left <= 0) queue.shift();
    if (queue.length === 0) this.faults.delete(apiName);
    return armed.fault;
  }

  /** Faults still armed, for the console. */
  pendingFaults(): { apiName: string; fault: OpenApiFault; left: number }[] {
    return [...this.faults].flatMap(([apiName, queue]) =>
      queue.map((a) => ({ apiName, fault: a.fault, left: a.left })),
    );
  }
}
