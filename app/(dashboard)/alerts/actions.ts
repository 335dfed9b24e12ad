'use server';

import { z } from 'zod';
import { acknowledgeAlert, silenceRule } from '@/lib/engine/alerts/alert-actions';
import { createRule, deleteRule, updateRule } from '@/lib/engine/alerts/alert-rules';
import { evaluateAlerts } from '@/lib/engine/alerts/evaluate-alerts';
import { sendTestNotification } from '@/lib/engine/alerts/notify-webhooks';
import { createWebhook, deleteWebhook, webhookOrigin } from '@/lib/engine/alerts/webhooks';
import { action } from '@/lib/server/action';
import { jobQueue } from '@/lib/server/jobs';
import { ZAlertRuleInput, ZIdParams, ZSilenceAction, ZUpdateRuleAction, ZWebhookInput } from '@/lib/validations/alerts';

export const createRuleAction = action({
  permission: 'ManageAlerts',
  input: ZAlertRuleInput,
  audit: { action: 'alert_rule.create', target: (i) => i.name },
  run: (i, ctx) => createRule(ctx.engine, ctx.actor, i),
});

export const updateRuleAction = action({
  permission: 'ManageAlerts',
  input: ZUpdateRuleAction,
  audit: { action: 'alert_rule.update', target: (i) => `rule ${i.id}` },
  run: ({ id, ...patch }, ctx) => updateRule(ctx.engine, id, patch),
});

export const deleteRuleAction = action({
  permission: 'ManageAlerts',
  input: ZIdParams,
  audit: { action: 'alert_rule.delete', target: (i) => `rule ${i.id}` },
  run: (i, ctx) => (deleteRule(ctx.engine, i.id), {}),
});

export const ackAlertAction = action({
  permission: 'ManageAlerts',
  input: ZIdParams,
  audit: { action: 'alert.acknowledge', target: (i) => `rule ${i.id}` },
  run: (i, ctx) => acknowledgeAlert(ctx.engine, ctx.actor, i.id),
});

export const silenceRuleAction = action({
  permission: 'ManageAlerts',
  input: ZSilenceAction,
  audit: { action: 'alert.silence', target: (i) => `rule ${i.id} until ${i.until ?? 'lifted'}` },
  run: (i, ctx) => silenceRule(ctx.engine, ctx.actor, i.id, i.until),
});

export const evaluateAlertsAction = action({
  permission: 'ManageAlerts',
  input: z.object({}),
  audit: { action: 'alert.evaluate', target: () => 'all rules' },
  run: (_i, ctx) => ({ outcomes: evaluateAlerts(ctx.engine, jobQueue(ctx.engine)) }),
});

export const createWebhookAction = action({
  permission: 'ManageAlerts',
  input: ZWebhookInput,
  audit: { action: 'webhook.create', target: (i) => `${i.name}: ${webhookOrigin(i.url)}` },
  run: (i, ctx) => createWebhook(ctx.engine, ctx.actor, i),
});

export const deleteWebhookAction = action({
  permission: 'ManageAlerts',
  input: ZIdParams,
  audit: { action: 'webhook.delete', target: (i) => `webhook ${i.id}` },
  run: (i, ctx) => (deleteWebhook(ctx.engine, i.id), {}),
});

export const testWebhookAction = action({
  permission: 'ManageAlerts',
  input: ZIdParams,
  audit: { action: 'webhook.test', target: (i) => `webhook ${i.id}` },
  run: (i, ctx) => sendTestNotification(ctx.engine, jobQueue(ctx.engine), i.id),
});
