/**
 * Fixed log-scale histogram buckets: bucket i holds values in [2^(i/8), 2^((i+1)/8)), so a
 * percentile read from a histogram lies within ~9 % of the exact one and in the same bucket.
 * Values ≤ 0 go to one bucket of their own. In memory a histogram is a dense array of counts
 * (one slot per bucket from 2^-20 to 2^44, values beyond clamped to the end slots); stored, it is
 * a compact binary list of the non-empty slots. Histograms merge by adding counts, which is what
 * lets any range's percentiles come from rollups.
 */
export type Histogram = Float64Array;

const STEPS_PER_DOUBLING = 8;
export const ZERO_BUCKET = -100_000;
const MIN_INDEX = -20 * STEPS_PER_DOUBLING;
const MAX_INDEX = 44 * STEPS_PER_DOUBLING - 1;
/** Slot 0 is the zero bucket; slot k ≥ 1 is bucket MIN_INDEX + k - 1. */
const SLOTS = MAX_INDEX - MIN_INDEX + 2;

export function bucketOf(value: number): number {
  if (!(value > 0)) return ZERO_BUCKET;
  return Math.floor(Math.log2(value) * STEPS_PER_DOUBLING);
}

/** The bucket's geometric middle (0 for the zero bucket). */
export function bucketValue(index: number): number {
  if (index === ZERO_BUCKET) return 0;
  return 2 ** ((index + 0.5) / STEPS_PER_DOUBLING);
}

export function emptyHistogram(): Histogram {
  return new Float64Array(SLOTS);
}

export function slotOf(value: number): number {
  const index = bucketOf(value);
  if (index === ZERO_BUCKET) return 0;
  return Math.min(MAX_INDEX, Math.max(MIN_INDEX, index)) - MIN_INDEX + 1;
}

function slotValue(slot: number): number {
  return slot === 0 ? 0 : bucketValue(slot - 1 + MIN_INDEX);
}

export function mergeHistograms(into: Histogram, from: Histogram): Histogram {
  for (let i = 0; i < SLOTS; i++) into[i] += from[i];
  return into;
}

export function histogramTotal(h: Histogram): number {
  let n = 0;
  for (let i = 0; i < SLOTS; i++) n += h[i];
  return n;
}

// Stored form: a format byte, then (uint16 slot, count) for each non-empty slot; counts are uint32
// (format 1) unless one exceeds it (format 2: float64).
const U32 = 1;
const F64 = 2;

export function encodeHistogram(h: Histogram): Buffer {
  let used = 0;
  let wide = false;
  for (let i = 0; i < SLOTS; i++) {
    if (h[i] === 0) continue;
    used++;
    if (h[i] > 0xffffffff) wide = true;
  }
  const width = wide ? 8 : 4;
  const buf = Buffer.allocUnsafe(1 + used * (2 + width));
  buf[0] = wide ? F64 : U32;
  let at = 1;
  for (let i = 0; i < SLOTS; i++) {
    if (h[i] === 0) continue;
    buf.writeUInt16LE(i, at);
    if (wide) buf.writeDoubleLE(h[i], at + 2);
    else buf.writeUInt32LE(h[i], at + 2);
    at += 2 + width;
  }
  return buf;
}

/** Add a stored histogram's counts into `into` (no allocation): its binary form, or null/empty for none. */
export function addEncoded(into: Histogram, stored: Buffer | string | null): void {
  if (stored === null || typeof stored === 'string' || stored.length < 1) return; // '{}': rows without a histogram
  const wide = stored[0] === F64;
  const step = wide ? 10 : 6;
  for (let at = 1; at + step <= stored.length; at += step) {
    const slot = stored.readUInt16LE(at);
    into[slot] += wide ? stored.readDoubleLE(at + 2) : stored.readUInt32LE(at + 2);
  }
}

/** Several nearest-rank percentiles (ascending `ps`), each its bucket's middle clamped to [min, max]; null when empty. */
export function percentiles(h: Histogram, ps: readonly number[], min: number | null, max: number | null): (number | null)[] {
  const total = histogramTotal(h);
  if (total === 0) return ps.map(() => null);
  const out: (number | null)[] = [];
  let seen = 0;
  let slot = 0;
  for (const p of ps) {
    const rank = Math.max(1, Math.ceil(p * total));
    while (slot < SLOTS && seen + h[slot] < rank) seen += h[slot++];
    if (slot === SLOTS) {
      out.push(max);
      continue;
    }
    let v = slotValue(slot);
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
