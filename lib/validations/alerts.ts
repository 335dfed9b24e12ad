import { z } from 'zod';
import { ALERT_KINDS, ALERT_STATS, SEVERITIES, STATS_OF_KIND } from '@/lib/engine/alerts/alert-stat';
import { SERIES_NAME_RE } from '@/lib/engine/alerts/alert-rules';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export const ZSeverity = z.enum(SEVERITIES, { message: 'severity is info, warning, error or critical' });
export const ZSeriesName = z.string().regex(SERIES_NAME_RE, 'series names are lowercase letters, digits, ".", "_" or "-" (e.g. download, gauge.storage_bytes)');
/** A rollup dimension ('' for the whole series; 'p:12', 'route:GET /api/v1/search'…). */
export const ZDim = z.string().max(200).regex(/^[^\u0000-\u001f]*$/, 'no control characters');
export const ZAlertStat = z.enum(ALERT_STATS, { message: `stat is one of ${ALERT_STATS.join(', ')}` });
export const ZAlertKind = z.enum(ALERT_KINDS, { message: `kind is one of ${ALERT_KINDS.join(', ')}` });
const ZWindowMs = z.coerce.number().int().min(MINUTE, 'the window is at least 1 minute').max(30 * DAY, 'the window is at most 30 days');
const ZForMs = z.coerce.number().int().min(0).max(DAY, '"for" is at most 1 day');

const ruleFields = {
  name: z.string().trim().min(1, 'give the rule a name').max(100),
  series: ZSeriesName,
  dim: ZDim.default(''),
  stat: ZAlertStat,
  kind: ZAlertKind,
  threshold: z.coerce.number().finite(),
  window_ms: ZWindowMs,
  for_ms: ZForMs.default(0),
  severity: ZSeverity,
  enabled: z.boolean().default(true),
};

/** Kind and stat fit together (the engine checks the same on every change). */
export const ZAlertRuleInput = z.object(ruleFields).superRefine((r, ctx) => {
  if (!STATS_OF_KIND[r.kind].includes(r.stat)) {
    ctx.addIssue({ code: 'custom', path: ['stat'], message: `a ${r.kind} rule takes one of: ${STATS_OF_KIND[r.kind].join(', ')}` });
  }
  if (r.kind === 'max_percentage' && (r.threshold < 0 || r.threshold > 100)) {
    ctx.addIssue({ code: 'custom', path: ['threshold'], message: 'a percentage threshold is between 0 and 100' });
  }
});
export type AlertRuleInput = z.infer<typeof ZAlertRuleInput>;

export const ZAlertRulePatch = z.object({
  name: ruleFields.name.optional(),
  series: ZSeriesName.optional(),
  dim: ZDim.optional(),
  stat: ZAlertStat.optional(),
  kind: ZAlertKind.optional(),
  threshold: z.coerce.number().finite().optional(),
  window_ms: ZWindowMs.optional(),
  for_ms: ZForMs.optional(),
  severity: ZSeverity.optional(),
  enabled: z.boolean().optional(),
});
export type AlertRulePatch = z.infer<typeof ZAlertRulePatch>;

export const ZIdParams = z.object({ id: z.coerce.number().int().positive() });

/** `until` in ms since the epoch; null lifts the silence. */
export const ZSilenceInput = z.object({ until: z.number().int().min(0).nullable() });

export const ZAlertsQuery = z.object({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  per_page: z.coerce.number().int().min(1).max(100).default(20),
});

export const ZWebhookInput = z.object({
  name: z.string().trim().min(1, 'give the webhook a name').max(100),
  url: z
    .string()
    .trim()
    .max(2000)
    .url('enter a URL')
    .refine((u) => /^https?:$/.test(new URL(u).protocol), 'webhook URLs are http:// or https://'),
  min_severity: ZSeverity.default('info'),
});
export type WebhookInput = z.infer<typeof ZWebhookInput>;

/** `GET /api/v1/alerts/preview`: `window` in ms; `from`/`to` in ms since the epoch. */
export const ZPreviewQuery = z
  .object({
    series: ZSeriesName,
    dim: ZDim.default(''),
    stat: ZAlertStat,
    window: ZWindowMs,
    from: z.coerce.number().int().min(0),
    to: z.coerce.number().int().min(0),
  })
  .refine((q) => q.to > q.from, { path: ['to'], message: '"to" is after "from"' })
  .refine((q) => q.to - q.from <= 31 * DAY, { path: ['from'], message: 'preview at most 31 days' });
export type PreviewQuery = z.infer<typeof ZPreviewQuery>;

// Server actions take the same shapes, with the id alongside.
export const ZUpdateRuleAction = ZAlertRulePatch.extend({ id: z.coerce.number().int().positive() });
export const ZSilenceAction = ZSilenceInput.extend({ id: z.coerce.number().int().positive() });
