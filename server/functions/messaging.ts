import { messagingContracts } from '../../core/contracts/messaging';
import { action, createFunction, type TimerHandler } from '../kit/router';
import type { SystemContext } from '../kit/context';
import { advanceDueRuns } from '../journeys/tick';
import { applyDueEffects } from '../journeys/effects';
import { consumeEvents } from '../journeys/consumer';
import { scanBirthdays } from '../journeys/birthday';
import { loadJourneys } from '../journeys/store';
import { listJourneysAdmin, setJourneyEnabledAction } from '../journeys/admin';
import { journeyAuthoringActions } from '../journeys/actions';
import { getPrefs, recordConsent, updatePrefs } from '../messaging/consent-actions';
import { brandMessaging, deadlineIn, dispatchDeps } from '../messaging/deps';
import { dispatchDue, hasDueOutbox } from '../messaging/dispatch';
import { metricsAction } from '../messaging/metrics';
import { dueCampaigns, enqueueCampaign, sendCampaignAction } from '../segments/campaigns';
import { previewSegmentAction, saveSegmentAction } from '../segments/segments';
import { listCampaignsAction, listSegmentsAction } from '../segments/lists';
import type { CampaignDoc } from '../messaging/documents';
import { answerSurveyAction, surveyAction } from '../surveys/actions';

/** The dispatcher's share of a run for coupon and points rows: messages get the rest. */
const EFFECTS_WITHIN_MS = 8_000;

/**
 * Every minute: due campaigns are enqueued, journeys' coupon and points rows are carried out (within
 * a share of the run, the rest waits for the next minute), then due outbox rows are sent.
 */
const dispatch: TimerHandler = async (ctx) => {
  const deadline = deadlineIn();
  const [due, work] = await Promise.all([dueCampaigns(ctx), hasDueOutbox(ctx.db, ctx.now())]);
  if (due.length === 0 && !work) return { idle: true };
  const brand = await brandMessaging(ctx.db);
  for (const c of due) await enqueueCampaign(ctx, brand, c, deadline);
  const effects = await applyDueEffects(ctx, Math.min(deadline, deadlineIn(EFFECTS_WITHIN_MS)));
  return { campaigns: due.length, effects, ...(await dispatchDue(dispatchDeps(ctx, brand), { deadlineMs: deadline })) };
};

/** Every 5 minutes: new events enter and feed journeys, due runs advance, their messages go out. */
const journeys: TimerHandler = async (ctx) => {
  const deadline = deadlineIn();
  const [brand, all] = await Promise.all([brandMessaging(ctx.db), loadJourneys(ctx.db, ctx.log)]);
  const consumed = await consumeEvents(ctx, all, deadline);
  const advanced = await advanceDueRuns(ctx, all, brand, deadline);
  if (advanced.effects === 0 && !(await hasDueOutbox(ctx.db, ctx.now()))) return { ...consumed, ...advanced };
  const sent = await dispatchDue(dispatchDeps(ctx, brand), { deadlineMs: deadline });
  return { ...consumed, ...advanced, sent: sent.sent };
};

/** Every 10 minutes from just after midnight brand time: today's birthdays become `birthday` events, in slices. */
const birthdays: TimerHandler = async (ctx) => {
  const brand = await brandMessaging(ctx.db);
  return scanBirthdays(ctx, brand.timeZone, deadlineIn());
};

/** Enqueue a campaign that is due now, then send right away what is due (the timer picks up the rest). */
async function runCampaignNow(ctx: SystemContext, c: CampaignDoc): Promise<CampaignDoc> {
  const deadline = deadlineIn(20_000);
  const brand = await brandMessaging(ctx.db);
  const done = await enqueueCampaign(ctx, brand, c, deadline);
  await dispatchDue(dispatchDeps(ctx, brand), { deadlineMs: deadline });
  return done;
}

/** The `messaging` cloud function: consents and preferences (members), segments, campaigns, metrics (staff), and the timers. */
const routed = createFunction({
  name: 'messaging',
  actions: {
    recordConsent: action(messagingContracts.recordConsent, recordConsent),
    prefs: action(messagingContracts.prefs, (_input, ctx) => getPrefs(ctx)),
    updatePrefs: action(messagingContracts.updatePrefs, updatePrefs),
    'segments.preview': action(messagingContracts['segments.preview'], previewSegmentAction),
    'segments.save': action(messagingContracts['segments.save'], saveSegmentAction),
    'segments.list': action(messagingContracts['segments.list'], listSegmentsAction),
    'campaigns.send': action(messagingContracts['campaigns.send'], (input, ctx) =>
      sendCampaignAction(input, ctx, (c) => runCampaignNow(ctx, c)),
    ),
    'campaigns.list': action(messagingContracts['campaigns.list'], listCampaignsAction),
    metrics: action(messagingContracts.metrics, metricsAction),
    'journeys.list': action(messagingContracts['journeys.list'], listJourneysAdmin),
    'journeys.setEnabled': action(messagingContracts['journeys.setEnabled'], setJourneyEnabledAction),
    ...journeyAuthoringActions,
    survey: action(messagingContracts.survey, surveyAction),
    answerSurvey: action(messagingContracts.answerSurvey, answerSurveyAction),
  },
  timers: { dispatch, journeys, birthdays },
});

/** Refused staff list and journey calls (wrong role, forged fields) are on the audit trail. */
export const messagingFunction = routed;
