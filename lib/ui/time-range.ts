/** The dashboard's time ranges: a preset relative to now, or fixed custom bounds (ms since the epoch). */
export type RangePreset = '1h' | '24h' | '7d' | '30d';
export type TimeRangeChoice = { kind: 'preset'; id: RangePreset } | { kind: 'custom'; from: number; to: number };

export const RANGE_PRESETS: { id: RangePreset; label: string; ms: number }[] = [
  { id: '1h', label: '1 h', ms: 3_600_000 },
  { id: '24h', label: '24 h', ms: 86_400_000 },
  { id: '7d', label: '7 d', ms: 7 * 86_400_000 },
  { id: '30d', label: '30 d', ms: 30 * 86_400_000 },
];

/** A chart's step for a range: about 120 points, in whole minutes, at least one. */
export const chartStep = (rangeMs: number) => Math.max(60_000, Math.ceil(rangeMs / 120 / 60_000) * 60_000);

/** A span in the largest whole unit: "5 min", "2 h", "1 d", else seconds. */
export function formatSpan(ms: number): string {
  if (ms % 86_400_000 === 0) return `${ms / 86_400_000} d`;
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000} h`;
  if (ms % 60_000 === 0) return `${ms / 60_000} min`;
  return `${Math.round(ms / 1000)} s`;
}

export const DEFAULT_RANGE: TimeRangeChoice = { kind: 'preset', id: '24h' };

/** `?range=7d` or `?from=&to=` (custom); anything else is the default (24 h). */
export function parseRange(params: { get(name: string): string | null }): TimeRangeChoice {
  const from = Number(params.get('from'));
  const to = Number(params.get('to'));
  if (params.get('from') && params.get('to') && Number.isInteger(from) && Number.isInteger(to) && from >= 0 && from < to) return { kind: 'custom', from, to };
  const preset = RANGE_PRESETS.find((p) => p.id === params.get('range'));
  return preset ? { kind: 'preset', id: preset.id } : DEFAULT_RANGE;
}

/** The search string for a range (empty for the default). */
export function rangeSearch(range: TimeRangeChoice): string {
  if (range.kind === 'custom') return `?from=${range.from}&to=${range.to}`;
  return range.id === '24h' ? '' : `?range=${range.id}`;
}

/** Concrete bounds: a preset ends now. */
export function rangeBounds(range: TimeRangeChoice, now = Date.now()): { from: number; to: number } {
  if (range.kind === 'custom') return { from: range.from, to: range.to };
  return { from: now - RANGE_PRESETS.find((p) => p.id === range.id)!.ms, to: now };
}

/** A stable key for caches. */
export const rangeKey = (range: TimeRangeChoice) => (range.kind === 'custom' ? `${range.from}-${range.to}` : range.id);

/** "last 24 h", or "12 Mar 2026 10:00 – 12 Mar 2026 14:00". */
export function rangeLabel(range: TimeRangeChoice): string {
  if (range.kind === 'preset') return `last ${RANGE_PRESETS.find((p) => p.id === range.id)!.label}`;
  const f = (t: number) => new Date(t).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short' });
  return `${f(range.from)} – ${f(range.to)}`;
}
