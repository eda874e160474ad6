import { call, ClientErrorCodes, ServiceError, type CallInput } from './cloud';
import { currentMember, serverNow } from './session';

type TrackEvent = CallInput<'member', 'track'>['events'][number];
type Fields = Omit<TrackEvent, 'kind' | 'at'>;

/** A batch goes when this many events wait, after this long, or when the Mini Program is hidden. */
export const FLUSH_SIZE = 20;
export const FLUSH_AFTER_MS = 15_000;
/** The server takes at most 50 a call; a phone offline keeps at most this many. */
const CALL_MAX = 50;
const QUEUE_MAX = 200;

let queue: TrackEvent[] = [];
let timer: ReturnType<typeof setTimeout> | undefined;
/** The choice made on this phone since launch; until then the login answer's. */
let choice: boolean | undefined;

/** Only with the member's tracking consent. */
const consented = (): boolean => choice ?? currentMember()?.trackingOptIn === true;

function schedule(): void {
  if (timer === undefined) timer = setTimeout(() => void flush(), FLUSH_AFTER_MS);
}

/** Records a behaviour event; nothing at all without consent. */
export function track(kind: TrackEvent['kind'], fields: Fields = {}): void {
  if (!consented()) return;
  queue.push({ kind, at: serverNow().toISOString(), ...fields });
  if (queue.length > QUEUE_MAX) queue = queue.slice(-QUEUE_MAX);
  if (queue.length >= FLUSH_SIZE) void flush();
  else schedule();
}

/**
 * Sends what waits. A network failure keeps the events for the next flush (the server stores a
 * repeated event once); a refusal for lack of consent drops them and stops the tracker.
 */
export async function flush(): Promise<void> {
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
  while (queue.length > 0 && consented()) {
    const batch = queue.splice(0, CALL_MAX);
    try {
      await call('member', 'track', { events: batch });
    } catch (e) {
      const code = e instanceof ServiceError ? e.code : '';
      if (code === 'TRACKING_NOT_CONSENTED') choice = false;
      else if (code === ClientErrorCodes.NETWORK) queue.unshift(...batch);
      return;
    }
  }
  if (!consented()) queue = [];
}

/** The member's choice changed on this phone: the tracker follows it at once. */
export function setTrackingChoice(optIn: boolean): void {
  choice = optIn;
  if (!optIn) queue = [];
}

/** What waits (tests and the debug panel). */
/** @public read by the page tests through the app's module loader */
export const pendingEvents = (): readonly TrackEvent[] => queue;
