import { ErrorCodes, HttpErrorCodes } from '../../../../core/errors';
import { adminErrors } from '../../../../core/contracts/admin';
import { appointmentErrors } from '../../../../core/contracts/appointments';
import { couponAdminErrors } from '../../../../core/contracts/coupons';
import { memberErrors } from '../../../../core/contracts/member';
import { messagingErrors } from '../../../../core/contracts/messaging';
import { journeyErrors } from '../../../../core/contracts/journeys';
import { referralErrors } from '../../../../core/contracts/referral';
import { surveyErrors } from '../../../../core/contracts/survey';
import { CouponErrors } from '../../../../core/coupons/template';
import { staffErrors } from '../../../../server/staff/require';
import { oaErrors } from '../../../../server/oa/errors';
import { behaviourErrors } from '../../../../core/contracts/behaviour';
import { emailErrors } from '../../../../core/contracts/email';

/** Every code the product declares: core/errors.ts and each area's own table of codes. */
const DECLARED: ReadonlySet<string> = new Set(
  [
    ErrorCodes, HttpErrorCodes, adminErrors, appointmentErrors, couponAdminErrors, memberErrors,
    messagingErrors, journeyErrors, referralErrors, surveyErrors, CouponErrors, staffErrors, oaErrors,
    behaviourErrors, emailErrors,
  ].flatMap((t) => Object.values(t) as string[]),
);

export const isStableCode = (code: unknown): boolean => typeof code === 'string' && DECLARED.has(code);
