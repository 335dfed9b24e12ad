import { formatBytes } from '@/lib/ui/format-bytes';
import { formatCount } from '@/lib/ui/format-count';

/** What a chart's values measure; every axis and table cell is formatted by its unit. */
export type ChartUnit = 'bytes' | 'ms' | 'count' | 'percent' | 'ratio';

const COMPACT = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** A duration in ms: "850 ms", "1.2 s", "2.5 min". */
export function formatMs(ms: number): string {
  if (ms < 1) return `${ms.toFixed(ms === 0 ? 0 : 2)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${(ms / 60_000).toFixed(1)} min`;
}

/** A ratio in [0, 1] as a percentage: "0 %", "2.5 %", "100 %". */
export function formatPercent(ratio: number): string {
  const pct = ratio * 100;
  if (pct === 0 || pct >= 10) return `${Math.round(pct)} %`;
  return `${pct.toFixed(pct < 0.1 ? 2 : 1)} %`;
}

/** A ratio of two sizes (deduplication): "1.00×", "3.25×", "42×". */
export function formatRatio(ratio: number): string {
  return `${ratio >= 100 ? Math.round(ratio) : ratio.toFixed(ratio >= 10 ? 1 : 2)}×`;
}

/** A value in full, as tables and tooltips show it. */
export function formatUnit(value: number | null | undefined, unit: ChartUnit): string {
  if (value === null || value === undefined || Number.isNaN(value)) return '—';
  switch (unit) {
    case 'bytes':
      return formatBytes(Math.round(value));
    case 'ms':
      return formatMs(value);
    case 'percent':
      return formatPercent(value);
    case 'count':
      return formatCount(Math.round(value * 100) / 100);
    case 'ratio':
      return formatRatio(value);
  }
}

/** A short axis tick: "1.5 MiB", "250 ms", "1.2K", "5 %". */
export function formatTick(value: number, unit: ChartUnit): string {
  if (unit === 'count') return COMPACT.format(value);
  return formatUnit(value, unit);
}

/** The change of a figure against the period before, as a ratio; null when there is nothing to compare with. */
export function changeRatio(current: number, previous: number): number | null {
  if (previous === 0) return current === 0 ? 0 : null;
  return (current - previous) / previous;
}

/** A time on a chart's axis: clock time within two days, else the date (and hour for ranges under ~2 weeks). */
export function formatTimeTick(t: number, spanMs: number): string {
  const d = new Date(t);
  if (spanMs <= 2 * 86_400_000) return d.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
  if (spanMs <= 14 * 86_400_000) return d.toLocaleString('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' });
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short' });
}

/** A point's time in full, for the table view and tooltips. */
export function formatTimeFull(t: number): string {
  return new Date(t).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
}
