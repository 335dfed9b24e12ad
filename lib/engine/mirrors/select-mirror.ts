import { randomInt } from 'node:crypto';
import type { MirrorState } from '@/db/schema';

/** The crate's selection strategies. */
export const SELECTION_STRATEGIES = ['priority', 'weighted', 'least_loaded', 'lowest_latency', 'geographic'] as const;
export type SelectionStrategy = (typeof SELECTION_STRATEGIES)[number];

export type Candidate = {
  id: number;
  region: string;
  priority: number;
  weight: number;
  state: MirrorState;
  latencyMs: number | null;
  load: number | null;
};

/** An integer in [0, max): crypto.randomInt unless a test injects its own. */
export type RandomInt = (max: number) => number;

const byNullableAsc = (a: number | null, b: number | null) => (a ?? Number.POSITIVE_INFINITY) - (b ?? Number.POSITIVE_INFINITY);
const byPriority = (a: Candidate, b: Candidate) => a.priority - b.priority || a.id - b.id;

/** Weighted random order without replacement: each pick proportional to the weights still in the draw. */
function weightedOrder(list: Candidate[], random: RandomInt): Candidate[] {
  const pool = [...list].sort((a, b) => a.id - b.id);
  const out: Candidate[] = [];
  while (pool.length > 0) {
    const total = pool.reduce((s, c) => s + Math.max(1, c.weight), 0);
    let ticket = random(total);
    const i = pool.findIndex((c) => (ticket -= Math.max(1, c.weight)) < 0);
    out.push(...pool.splice(i, 1));
  }
  return out;
}

function orderGroup(list: Candidate[], strategy: SelectionStrategy, region: string | null, random: RandomInt): Candidate[] {
  switch (strategy) {
    case 'priority':
      return [...list].sort(byPriority);
    case 'weighted':
      return weightedOrder(list, random);
    case 'least_loaded':
      return [...list].sort((a, b) => byNullableAsc(a.load, b.load) || byPriority(a, b));
    case 'lowest_latency':
      return [...list].sort((a, b) => byNullableAsc(a.latencyMs, b.latencyMs) || byPriority(a, b));
    case 'geographic':
      // The client's region first; priority inside each group. Without a region: priority.
      return [...list].sort((a, b) => Number(b.region === region) - Number(a.region === region) || byPriority(a, b));
  }
}

/**
 * Order the mirrors that may serve a download: healthy ones before degraded ones (a degraded
 * mirror is a fallback), each group ordered by the strategy. Unhealthy candidates are dropped.
 */
export function selectMirrors<C extends Candidate>(
  candidates: readonly C[],
  strategy: SelectionStrategy,
  opts: { region?: string | null; random?: RandomInt } = {},
): C[] {
  const random = opts.random ?? randomInt;
  const region = opts.region ?? null;
  const healthy = candidates.filter((c) => c.state === 'healthy');
  const degraded = candidates.filter((c) => c.state === 'degraded');
  return [...orderGroup(healthy, strategy, region, random), ...orderGroup(degraded, strategy, region, random)] as C[];
}
