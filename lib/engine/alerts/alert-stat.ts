import type { Summary } from '../metrics/query-rollups';

export const ALERT_KINDS = ['maximum', 'max_count', 'max_bytes', 'max_percentage', 'minimum'] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export const SEVERITIES = ['info', 'warning', 'error', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

/** Counts over the window: no events is a real 0. */
export const COUNT_STATS = ['count', 'ok', 'errors'] as const;
/** Values of the events (durations, gauge readings): no events is no value. */
export const VALUE_STATS = ['mean', 'min', 'max', 'p50', 'p95', 'p99'] as const;
export const ALERT_STATS = [...COUNT_STATS, 'bytes', 'error_rate', ...VALUE_STATS] as const;
export type AlertStat = (typeof ALERT_STATS)[number];

/**
 * Which stats each of the crate's AlertThreshold kinds works on. MaxPercentage takes the error
 * rate, or a value stat of a series whose readings are percentages (a cache hit ratio gauge…).
 * Minimum takes any stat ("at least N downloads an hour" is a count).
 */
export const STATS_OF_KIND: Record<AlertKind, readonly AlertStat[]> = {
  maximum: VALUE_STATS,
  max_count: COUNT_STATS,
  max_bytes: ['bytes'],
  max_percentage: ['error_rate', ...VALUE_STATS],
  minimum: ALERT_STATS,
};

export const severityRank = (s: Severity) => SEVERITIES.indexOf(s);

/**
 * The stat's figure over a window's summary; null when the window has no value for it: value
 * stats and the error rate with no events. Counts and bytes with no events are 0.
 */
export function statValue(s: Summary, stat: AlertStat): number | null {
  switch (stat) {
    case 'count':
    case 'ok':
    case 'errors':
    case 'bytes':
      return s[stat];
    case 'error_rate':
      return s.count > 0 ? (s.errors / s.count) * 100 : null;
    default:
      return s[stat];
  }
}

/** Does the value break the threshold? No value never does (a Minimum rule on p95 with no traffic stays quiet). */
export function breaches(kind: AlertKind, value: number | null, threshold: number): boolean {
  if (value === null) return false;
  return kind === 'minimum' ? value < threshold : value > threshold;
}

export const comparatorOf = (kind: AlertKind) => (kind === 'minimum' ? '<' : '>');
