import { ClientErrorCodes, ServiceError } from '../../../services/cloud';
import { localTime } from '../../../pages/coupons/coupon-text';
import { errorText } from '../../../utils/view-state';
import { fill } from '../../utils';

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

/** Details as text for a template: instants in local time, and `xFen` amounts also as `xYuan` ('500.00'). */
function readable(details: Record<string, unknown>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(details)) {
    out[k] =
      typeof v === 'string' && ISO_INSTANT.test(v)
        ? localTime(v)
        : typeof v === 'number' || typeof v === 'string'
          ? v
          : JSON.stringify(v);
    if (k.endsWith('Fen') && typeof v === 'number') out[`${k.slice(0, -3)}Yuan`] = (v / 100).toFixed(2);
  }
  return out;
}

/**
 * A refusal in the page's own words: `messages` maps a stable error code to a template whose
 * `{field}`s are filled from the error's details. A `CODE:reason` key (details.reason, e.g.
 * `FORBIDDEN:DAILY_LIMIT`) wins over the bare code; an unknown code falls back to the server's message.
 */
export function refusalText(err: unknown, messages: Record<string, string>): string {
  if (!(err instanceof ServiceError)) return errorText(err);
  const reason = typeof err.details?.reason === 'string' ? `${err.code}:${err.details.reason}` : '';
  const template = messages[reason] ?? messages[err.code];
  if (template) {
    const text = fill(template, readable(err.details ?? {}));
    // a detail the template names but the answer lacks: the code's own text says it better than a `{gap}`
    return /\{\w+\}/.test(text) ? errorText(err) : text;
  }
  return errorText(err);
}

/** True when the error is an answer from the server (so a retry would be a new intent, not the same one). */
export const answered = (err: unknown): boolean =>
  err instanceof ServiceError && err.code !== ClientErrorCodes.NETWORK && err.code !== ClientErrorCodes.CALL_FAILED;
