import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { AlertRuleView } from '@/lib/engine/alerts/alert-rules';
import type { AlertStat } from '@/lib/engine/alerts/alert-stat';
import type { AlertEventView } from '@/lib/engine/alerts/list-alerts';
import type { PreviewPoint } from '@/lib/engine/alerts/preview-alert';
import type { WebhookDeliveryView, WebhookView } from '@/lib/engine/alerts/webhooks';
import { fetchJson } from './api-error';

export type AlertRule = AlertRuleView;
export type AlertEvent = AlertEventView;
export type Webhook = WebhookView;
export type WebhookDelivery = WebhookDeliveryView;

export type AlertsPage = { active: AlertRule[]; total: number; page: number; per_page: number; events: AlertEvent[] };
export type DeliveriesPage = { total: number; page: number; per_page: number; deliveries: WebhookDelivery[] };
export type AlertPreview = { step: number; points: PreviewPoint[] };
export type PreviewParams = { series: string; dim: string; stat: AlertStat; window: number; from: number; to: number };

/** Prefix of every alerts query: invalidate it after any alert mutation. */
export const alertsKey = ['alerts'] as const;

/** Alerts change with each evaluation (every minute): poll. */
const POLL_MS = 15_000;

export function useAlerts(page: number, perPage: number) {
  return useQuery({
    queryKey: [...alertsKey, 'list', page, perPage],
    queryFn: () => fetchJson<AlertsPage>(`/api/v1/alerts?page=${page}&per_page=${perPage}`),
    placeholderData: keepPreviousData,
    refetchInterval: POLL_MS,
  });
}

export function useAlertRules() {
  return useQuery({
    queryKey: [...alertsKey, 'rules'],
    queryFn: () => fetchJson<{ rules: AlertRule[] }>('/api/v1/alerts/rules'),
    refetchInterval: POLL_MS,
  });
}

export function useWebhooks() {
  return useQuery({
    queryKey: [...alertsKey, 'webhooks'],
    queryFn: () => fetchJson<{ webhooks: Webhook[] }>('/api/v1/alerts/webhooks'),
    refetchInterval: POLL_MS,
  });
}

/** A webhook's deliveries; polled faster while shown, since a test-send lands within seconds. */
export function useDeliveries(webhookId: number, page: number, perPage: number) {
  return useQuery({
    queryKey: [...alertsKey, 'deliveries', webhookId, page, perPage],
    queryFn: () => fetchJson<DeliveriesPage>(`/api/v1/alerts/webhooks/${webhookId}/deliveries?page=${page}&per_page=${perPage}`),
    placeholderData: keepPreviousData,
    refetchInterval: 3_000,
  });
}

export function useAlertPreview(params: PreviewParams | null) {
  const query = params
    ? new URLSearchParams({ series: params.series, dim: params.dim, stat: params.stat, window: String(params.window), from: String(params.from), to: String(params.to) })
    : null;
  return useQuery({
    queryKey: [...alertsKey, 'preview', query?.toString() ?? null],
    queryFn: () => fetchJson<AlertPreview>(`/api/v1/alerts/preview?${query}`),
    enabled: query !== null,
    placeholderData: keepPreviousData,
  });
}
