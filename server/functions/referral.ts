import { referralContracts as c } from '../../core/contracts/referral';
import { action, createFunction } from '../kit/router';
import { shareToken } from '../referral/share';
import { landing, openInvitation } from '../referral/open';
import { myReferrals } from '../referral/mine';
import { referralTick } from '../referral/consumer';

/** The `referral` cloud function: share tokens and posters, invitations, the referrer's page; the timer rewards. */
export const referralFunction = createFunction({
  name: 'referral',
  actions: {
    shareToken: action(c.shareToken, (input, ctx) => shareToken(input, ctx)),
    open: action(c.open, (input, ctx) => openInvitation(input, ctx)),
    landing: action(c.landing, (input, ctx) => landing(input, ctx)),
    mine: action(c.mine, myReferrals),
  },
  timers: { referral: (ctx) => referralTick(ctx) },
});
