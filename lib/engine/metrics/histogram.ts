/**
 * Fixed log-scale histogram buckets: bucket i holds values in [2^(i/8), 2^((i+1)/8)), so a
 * percentile read from a histogram lies within ~9 % of the exact one and in the same bucket.
 * Values ≤ 0 go to one bucket of their own. Histograms are sparse {index: count} objects that
 * merge by adding counts, which is what lets any range's percentiles come from rollups.
 */
export type Histogram = Record<string, number>;

const STEPS_PER_DOUBLING = 8;
export const ZERO_BUCKET = -100_000;

export function bucketOf(value: number): number {
  if (!(value > 0)) return ZERO_BUCKET;
  return Math.floor(Math.log2(value) * STEPS_PER_DOUBLING);
}

/** The bucket's geometric middle (0 for the zero bucket). */
export function bucketValue(index: number): number {
  if (index === ZERO_BUCKET) return 0;
  return 2 ** ((index + 0.5) / STEPS_PER_DOUBLING);
}

export function addToHistogram(h: Histogram, value: number, n = 1): void {
  const k = String(bucketOf(value));
  h[k] = (h[k] ?? 0) + n;
}

export function mergeHistograms(into: Histogram, from: Histogram): Histogram {
  for (const k in from) into[k] = (into[k] ?? 0) + from[k];
  return into;
}

/**
 * The nearest-rank percentile (the value at rank ⌈p·n⌉ of the sorted values), as its bucket's
 * middle clamped to the observed [min, max]; null for an empty histogram.
 */
export function percentile(h: Histogram, p: number, min: number | null, max: number | null): number | null {
  return percentiles(h, [p], min, max)[0];
}

/** Several nearest-rank percentiles (ascending `ps`) from one pass over the sorted buckets. */
export function percentiles(h: Histogram, ps: readonly number[], min: number | null, max: number | null): (number | null)[] {
  const entries = Object.keys(h)
    .map((k) => [Number(k), h[k]] as const)
    .sort((a, b) => a[0] - b[0]);
  let total = 0;
  for (const [, n] of entries) total += n;
  if (total === 0) return ps.map(() => null);
  const out: (number | null)[] = [];
  let seen = 0;
  let i = 0;
  for (const p of ps) {
    const rank = Math.max(1, Math.ceil(p * total));
    while (i < entries.length && seen + entries[i][1] < rank) seen += entries[i++][1];
    if (i === entries.length) {
      out.push(max);
      continue;
    }
    let v = bucketValue(entries[i][0]);
    if (min !== null && v < min) v = min;
    if (max !== null && v > max) v = max;
    out.push(v);
  }
  return out;
}

/** The exact nearest-rank percentile of raw values (what tests and reports compare against). */
export function exactPercentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.max(1, Math.ceil(p * sorted.length)) - 1];
}
