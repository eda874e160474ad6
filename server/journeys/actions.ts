import { journeyAuthoringContracts as c } from '../../core/contracts/journeys';
import { action } from '../kit/router';
import {
  archiveJourneyAction,
  createJourneyAction,
  duplicateJourneyAction,
  getJourneyAction,
  publishJourneyAction,
  saveJourneyDraftAction,
} from './authoring';
import { journeyChoicesAction } from './choices';
import { simulateJourneyAction } from './simulate-action';

/** The authoring actions of the `messaging` function (staff with `journeys.manage`, each change audited). */
export const journeyAuthoringActions = {
  'journeys.choices': action(c['journeys.choices'], journeyChoicesAction),
  'journeys.get': action(c['journeys.get'], getJourneyAction),
  'journeys.create': action(c['journeys.create'], createJourneyAction),
  'journeys.saveDraft': action(c['journeys.saveDraft'], saveJourneyDraftAction),
  'journeys.duplicate': action(c['journeys.duplicate'], duplicateJourneyAction),
  'journeys.archive': action(c['journeys.archive'], archiveJourneyAction),
  'journeys.publish': action(c['journeys.publish'], publishJourneyAction),
  'journeys.simulate': action(c['journeys.simulate'], simulateJourneyAction),
};
