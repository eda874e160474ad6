import { adminContracts } from '../../core/contracts/admin';
import { action, createFunction, systemAction } from '../kit/router';
import { importContracts } from '../../core/contracts/imports';
import { importMembersAction } from '../imports/members';
import { importOrdersAction } from '../imports/orders';
import { listAudit } from '../admin/audit-list';
import { dashboardSummary } from '../admin/dashboard';
import { createInvite, redeem } from '../admin/invites';
import { staffMe } from '../admin/me';
import { lookupMembers, tagMember } from '../admin/members';
import { listWebhooksAction, replayWebhooksAction, saveWebhookAction } from '../webhooks/subscriptions';
import { crmWebhooks } from '../webhooks/timer';
import { insightReportAction } from '../insight/report';
import { memberTimelineAction } from '../admin/timeline';
import { bulkTagAction, tagJobAction, tagJobsTimer } from '../tags/bulk';
import { archiveTagAction, listTagsAction, saveTagAction } from '../tags/taxonomy';
import { ErrorCodes } from '../../core/errors';
import {
  lifecycleRebuildAction,
  lifecycleRebuildProgressAction,
  lifecycleRebuildTimer,
} from '../lifecycle/rebuild-action';

const routed = createFunction({
  name: 'admin',
  actions: {
    'staff.invite': action(adminContracts['staff.invite'], createInvite),
    'staff.redeemInvite': action(adminContracts['staff.redeemInvite'], redeem),
    'staff.me': action(adminContracts['staff.me'], (_input, ctx) => staffMe(ctx)),
    'members.lookup': action(adminContracts['members.lookup'], lookupMembers),
    'members.tag': action(adminContracts['members.tag'], tagMember),
    'audit.list': action(adminContracts['audit.list'], listAudit),
    'dashboard.summary': action(adminContracts['dashboard.summary'], dashboardSummary),
    'webhooks.save': action(adminContracts['webhooks.save'], saveWebhookAction),
    'webhooks.list': action(adminContracts['webhooks.list'], listWebhooksAction),
    'webhooks.replay': action(adminContracts['webhooks.replay'], replayWebhooksAction),
    'tags.list': action(adminContracts['tags.list'], listTagsAction),
    'tags.save': action(adminContracts['tags.save'], saveTagAction),
    'tags.archive': action(adminContracts['tags.archive'], archiveTagAction),
    'tags.bulk': action(adminContracts['tags.bulk'], bulkTagAction),
    'tags.job': action(adminContracts['tags.job'], tagJobAction),
    'insight.report': action(adminContracts['insight.report'], insightReportAction),
    'members.timeline': action(adminContracts['members.timeline'], memberTimelineAction),
    'lifecycle.rebuild': action(adminContracts['lifecycle.rebuild'], lifecycleRebuildAction),
    'lifecycle.rebuildProgress': action(adminContracts['lifecycle.rebuildProgress'], lifecycleRebuildProgressAction),
  },
  timers: { crmWebhooks, tagJobs: tagJobsTimer, lifecycleRebuild: lifecycleRebuildTimer },
  // the import CLI, from the brand's machine through a server SDK (scripts/import)
  system: {
    'import.members': systemAction(importContracts['import.members'], importMembersAction),
    'import.orders': systemAction(importContracts['import.orders'], importOrdersAction),
  },
  refusals: [ErrorCodes.INVITE_USED, ErrorCodes.INVITE_INVALID, ErrorCodes.INVITE_EXPIRED, ErrorCodes.ALREADY_STAFF],
});

/**
 * The `admin` cloud function: staff invitations, "Me", member lookup and tags, the audit trail,
 * the dashboard and the lifecycle rebuild. Roles come from the `staff` collection; a refused call
 * is itself audited (the router's rule, plus the invitation refusals).
 */
export const adminFunction = routed;
