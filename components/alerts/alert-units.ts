import { formatUnit, type ChartUnit } from '@/components/charts/format-units';
import type { BadgeTone } from '@/components/ui/badge';
import type { AlertKind, AlertStat, Severity } from '@/lib/engine/alerts/alert-stat';

/** The series the registry records today; a rule may name any other (later areas add theirs). */
export const KNOWN_SERIES: { value: string; label: string; valueUnit: ChartUnit }[] = [
  { value: 'download', label: 'Downloads (value: duration)', valueUnit: 'ms' },
  { value: 'api', label: 'API requests (value: duration)', valueUnit: 'ms' },
  { value: 'publish', label: 'Publishes (value: duration)', valueUnit: 'ms' },
  { value: 'upload', label: 'Uploads (value: duration)', valueUnit: 'ms' },
  { value: 'job', label: 'Job runs (value: duration)', valueUnit: 'ms' },
  { value: 'gauge.storage_bytes', label: 'Storage used (gauge)', valueUnit: 'bytes' },
  { value: 'gauge.job_backlog', label: 'Job backlog (gauge)', valueUnit: 'count' },
];

export const STAT_LABELS: Record<AlertStat, string> = {
  count: 'count (events)',
  ok: 'ok (successful events)',
  errors: 'errors (5xx, failed runs)',
  bytes: 'bytes',
  error_rate: 'error rate (%)',
  mean: 'mean value',
  min: 'minimum value',
  max: 'maximum value',
  p50: 'p50 value',
  p95: 'p95 value',
  p99: 'p99 value',
};

export const KIND_LABELS: Record<AlertKind, string> = {
  maximum: 'Maximum: value above the threshold',
  max_count: 'Max count: more events than the threshold in the window',
  max_bytes: 'Max bytes: more bytes than the threshold in the window',
  max_percentage: 'Max percentage: a percentage above the threshold',
  minimum: 'Minimum: value below the threshold',
};

export const SEVERITY_TONE: Record<Severity, BadgeTone> = { info: 'info', warning: 'warning', error: 'danger', critical: 'danger' };

/** The unit a stat of a series is measured in. */
export function unitOf(series: string, stat: AlertStat): ChartUnit {
  if (stat === 'count' || stat === 'ok' || stat === 'errors') return 'count';
  if (stat === 'bytes') return 'bytes';
  if (stat === 'error_rate') return 'percent';
  return KNOWN_SERIES.find((s) => s.value === series)?.valueUnit ?? 'count';
}

/** A figure as the rule measures it (error rates are 0–100, the chart formatter takes ratios). */
export function formatStat(value: number | null, series: string, stat: AlertStat): string {
  const unit = unitOf(series, stat);
  return formatUnit(value === null ? null : unit === 'percent' ? value / 100 : value, unit);
}

export const comparator = (kind: AlertKind) => (kind === 'minimum' ? '<' : '>');
