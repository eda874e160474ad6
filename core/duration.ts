import { DomainError, ErrorCodes } from './errors';

/**
 * The product's one duration format: days, hours, minutes, seconds in that order, each optional
 * ('30m', '47h', '3d', '1d12h', '90s'). Journeys, the emulator's clock and the tests all use it.
 */
const DURATION = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

export const isDuration = (s: string): boolean => s !== '' && DURATION.test(s);

/** '30m', '47h', '3d', '1d12h' → milliseconds. A day is 24 hours here (a wait, not a calendar day). */
export function parseDuration(s: string): number {
  const m = DURATION.exec(s);
  if (!m || s === '') {
    const message = `无效的时长 / invalid duration "${s}" (e.g. 30m, 47h, 3d, 1d12h)`;
    throw new DomainError(ErrorCodes.INVALID_INPUT, message, { duration: s });
  }
  const [d, h, min, sec] = [m[1], m[2], m[3], m[4]].map((x) => Number(x ?? 0)) as [number, number, number, number];
  return (((d * 24 + h) * 60 + min) * 60 + sec) * 1000;
}
