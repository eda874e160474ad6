import type { Clock } from '../../core/time';

/**
 * The clock functions run on. In CloudBase it is the wall clock; the local emulator sets
 * MEMBER_CENTRE_CLOCK_OFFSET_MS per invocation so tests can move time (it is never set in production).
 */
export const platformClock: Clock = () => new Date(Date.now() + Number(process.env.MEMBER_CENTRE_CLOCK_OFFSET_MS ?? 0));
