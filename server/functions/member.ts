import { memberContracts as c } from '../../core/contracts/member';
import { behaviourContracts as b } from '../../core/contracts/behaviour';
import { action, createFunction } from '../kit/router';
import { login } from '../member-actions/login';
import { claimCard } from '../member-actions/card';
import { getProfile, updateProfile, withdrawMarketing } from '../member-actions/profile';
import { bindPhone } from '../member-actions/phone';
import { memberCode, resolveMemberCode } from '../members/member-code';
import { createStoreCode } from '../members/store-code';
import { deleteAccount, exportData } from '../members/data-rights';
import { applyRetention } from '../members/retention';
import { loadBrandConfig } from '../config';
import { httpRouter, purgeNonces } from '../http/signed';
import { linkEndpoint } from '../identity/link-endpoint';
import { setTrackingConsent, track } from '../behaviour/actions';
import { recommendFor } from '../behaviour/recommend';
import { webTrackEndpoint } from '../behaviour/web-endpoint';
import { remindAbandonedCarts } from '../behaviour/cart';
import { emailContracts as e } from '../../core/contracts/email';
import { CONFIRM_PATH, confirmEmailLink, setEmail } from '../member-actions/email';

/**
 * The `member` cloud function: identity and membership actions, behaviour tracking and recommendations,
 * and the signed link and website tracking endpoints.
 */
export const memberFunction = createFunction({
  name: 'member',
  actions: {
    login: action(c.login, (input, ctx) => login(input, ctx)),
    claimCard: action(c.claimCard, (input, ctx) => claimCard(input, ctx)),
    updateProfile: action(c.updateProfile, (input, ctx) => updateProfile(input, ctx)),
    bindPhone: action(c.bindPhone, (input, ctx) => bindPhone(input, ctx)),
    getProfile: action(c.getProfile, (_input, ctx) => getProfile(ctx)),
    memberCode: action(c.memberCode, (_input, ctx) => memberCode(ctx)),
    resolveMemberCode: action(c.resolveMemberCode, (input, ctx) => resolveMemberCode(input, ctx)),
    createStoreCode: action(c.createStoreCode, (input, ctx) => createStoreCode(input, ctx)),
    exportData: action(c.exportData, (_input, ctx) => exportData(ctx)),
    withdrawMarketing: action(c.withdrawMarketing, (_input, ctx) => withdrawMarketing(ctx)),
    deleteAccount: action(c.deleteAccount, (_input, ctx) => deleteAccount(ctx)),
    track: action(b.track, (input, ctx) => track(input, ctx)),
    setTrackingConsent: action(b.setTrackingConsent, (input, ctx) => setTrackingConsent(input, ctx)),
    recommendations: action(b.recommendations, (input, ctx) => recommendFor(input, ctx)),
    setEmail: action(e.setEmail, (input, ctx) => setEmail(input, ctx)),
    privacyPolicy: action(c.privacyPolicy, async () => ({
      retentionDays: loadBrandConfig().config.privacy.retentionDays,
    })),
  },
  timers: {
    purgeNonces: (ctx) => purgeNonces(ctx),
    cartAbandonment: (ctx) => remindAbandonedCarts(ctx.db, ctx.now(), ctx.log),
    retention: (ctx) => applyRetention(ctx.db, ctx.now(), loadBrandConfig().config.privacy),
  },
  http: httpRouter({
    'POST /http/member/link': linkEndpoint,
    'POST /http/member/track': webTrackEndpoint,
    [`GET ${CONFIRM_PATH}`]: confirmEmailLink,
  }),
});
