import { z } from 'zod';
import { authorize } from '@/lib/engine/access/authorize';
import type { Actor } from '@/lib/engine/actor';
import { acknowledgeAlert, silenceRule } from '@/lib/engine/alerts/alert-actions';
import { createRule, deleteRule, listRules, updateRule } from '@/lib/engine/alerts/alert-rules';
import { evaluateAlerts } from '@/lib/engine/alerts/evaluate-alerts';
import { listActiveAlerts, listAlertHistory } from '@/lib/engine/alerts/list-alerts';
import { sendTestNotification } from '@/lib/engine/alerts/notify-webhooks';
import { previewRule } from '@/lib/engine/alerts/preview-alert';
import { createWebhook, deleteWebhook, listDeliveries, listWebhooks, webhookOrigin } from '@/lib/engine/alerts/webhooks';
import { ZAlertRuleInput, ZAlertRulePatch, ZAlertsQuery, ZIdParams, ZPreviewQuery, ZSilenceInput, ZWebhookInput } from '@/lib/validations/alerts';
import { jobQueue } from '../jobs';
import { route } from '../route';

const NO_PARAMS = z.object({});

/** Alerts are read with ViewStats or ManageAlerts. */
function assertCanRead(actor: Actor): void {
  if (!actor.permissions.has('ManageAlerts')) authorize(actor, 'ViewStats');
}

/** GET /api/v1/alerts/rules */
export const listRulesHandler = route({
  permission: 'authenticated',
  params: NO_PARAMS,
  run: ({ ctx }) => {
    assertCanRead(ctx.actor);
    return Response.json({ rules: listRules(ctx.engine) });
  },
});

/** POST /api/v1/alerts/rules */
export const createRuleHandler = route({
  permission: 'ManageAlerts',
  params: NO_PARAMS,
  json: ZAlertRuleInput,
  audit: { action: 'alert_rule.create', target: (_p, json) => json.name },
  run: ({ json, ctx }) => Response.json(createRule(ctx.engine, ctx.actor, json), { status: 201 }),
});

/** PATCH /api/v1/alerts/rules/{id} */
export const updateRuleHandler = route({
  permission: 'ManageAlerts',
  params: ZIdParams,
  json: ZAlertRulePatch,
  audit: { action: 'alert_rule.update', target: (p) => `rule ${p.id}` },
  run: ({ params, json, ctx }) => Response.json(updateRule(ctx.engine, params.id, json)),
});

/** DELETE /api/v1/alerts/rules/{id} */
export const deleteRuleHandler = route({
  permission: 'ManageAlerts',
  params: ZIdParams,
  audit: { action: 'alert_rule.delete', target: (p) => `rule ${p.id}` },
  run: ({ params, ctx }) => {
    deleteRule(ctx.engine, params.id);
    return Response.json({ deleted: params.id });
  },
});

/** POST /api/v1/alerts/rules/{id}/ack */
export const ackAlertHandler = route({
  permission: 'ManageAlerts',
  params: ZIdParams,
  audit: { action: 'alert.acknowledge', target: (p) => `rule ${p.id}` },
  run: ({ params, ctx }) => Response.json(acknowledgeAlert(ctx.engine, ctx.actor, params.id)),
});

/** POST /api/v1/alerts/rules/{id}/silence `{ "until": <ms> | null }` */
export const silenceRuleHandler = route({
  permission: 'ManageAlerts',
  params: ZIdParams,
  json: ZSilenceInput,
  audit: { action: 'alert.silence', target: (p, json) => `rule ${p.id} until ${json.until ?? 'lifted'}` },
  run: ({ params, json, ctx }) => Response.json(silenceRule(ctx.engine, ctx.actor, params.id, json.until)),
});

/** POST /api/v1/alerts/evaluate: evaluate every rule now (the scheduled job does it every minute). */
export const evaluateAlertsHandler = route({
  permission: 'ManageAlerts',
  params: NO_PARAMS,
  audit: { action: 'alert.evaluate', target: () => 'all rules' },
  run: ({ ctx }) => Response.json({ outcomes: evaluateAlerts(ctx.engine, jobQueue(ctx.engine)) }),
});

/** GET /api/v1/alerts: active alerts and the history (paginated, newest first). */
export const listAlertsHandler = route({
  permission: 'authenticated',
  params: NO_PARAMS,
  query: ZAlertsQuery,
  run: ({ query, ctx }) => {
    assertCanRead(ctx.actor);
    const { total, events } = listAlertHistory(ctx.engine, query.page, query.per_page);
    return Response.json({ active: listActiveAlerts(ctx.engine), total, page: query.page, per_page: query.per_page, events });
  },
});

/** GET /api/v1/alerts/preview: the stat a rule would measure, over a range (for the rule editor's chart). */
export const previewAlertHandler = route({
  permission: 'authenticated',
  params: NO_PARAMS,
  query: ZPreviewQuery,
  run: ({ query, ctx }) => {
    assertCanRead(ctx.actor);
    const q = { series: query.series, dim: query.dim, stat: query.stat, windowMs: query.window, from: query.from, to: query.to };
    return Response.json({ ...query, ...previewRule(ctx.engine, ctx.actor, q) });
  },
});

/** GET /api/v1/alerts/webhooks (secrets are never returned) */
export const listWebhooksHandler = route({
  permission: 'authenticated',
  params: NO_PARAMS,
  run: ({ ctx }) => {
    assertCanRead(ctx.actor);
    return Response.json({ webhooks: listWebhooks(ctx.engine, ctx.actor.permissions.has('ManageAlerts')) });
  },
});

/** POST /api/v1/alerts/webhooks: 201 `{webhook, secret}`: the secret is shown this once. */
export const createWebhookHandler = route({
  permission: 'ManageAlerts',
  params: NO_PARAMS,
  json: ZWebhookInput,
  audit: { action: 'webhook.create', target: (_p, json) => `${json.name}: ${webhookOrigin(json.url)}` },
  run: ({ json, ctx }) => Response.json(createWebhook(ctx.engine, ctx.actor, json), { status: 201 }),
});

/** DELETE /api/v1/alerts/webhooks/{id} */
export const deleteWebhookHandler = route({
  permission: 'ManageAlerts',
  params: ZIdParams,
  audit: { action: 'webhook.delete', target: (p) => `webhook ${p.id}` },
  run: ({ params, ctx }) => {
    deleteWebhook(ctx.engine, params.id);
    return Response.json({ deleted: params.id });
  },
});

/** POST /api/v1/alerts/webhooks/{id}/test: 202 `{job_id}`; the delivery appears in the list when it ran. */
export const testWebhookHandler = route({
  permission: 'ManageAlerts',
  params: ZIdParams,
  audit: { action: 'webhook.test', target: (p) => `webhook ${p.id}` },
  run: ({ params, ctx }) => Response.json(sendTestNotification(ctx.engine, jobQueue(ctx.engine), params.id), { status: 202 }),
});

/** GET /api/v1/alerts/webhooks/{id}/deliveries */
export const listDeliveriesHandler = route({
  permission: 'authenticated',
  params: ZIdParams,
  query: ZAlertsQuery,
  run: ({ params, query, ctx }) => {
    assertCanRead(ctx.actor);
    return Response.json({ page: query.page, per_page: query.per_page, ...listDeliveries(ctx.engine, params.id, query.page, query.per_page) });
  },
});
