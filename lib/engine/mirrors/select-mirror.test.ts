import { describe, expect, it } from 'vitest';
import { selectMirrors, type Candidate, type SelectionStrategy } from './select-mirror';

const c = (id: number, over: Partial<Candidate> = {}): Candidate => ({ id, region: 'eu', priority: 100, weight: 100, state: 'healthy', latencyMs: 10, load: 0, ...over });

const MIRRORS: Candidate[] = [
  c(1, { region: 'us', priority: 10, latencyMs: 80, load: 5, weight: 1 }),
  c(2, { region: 'eu', priority: 20, latencyMs: 20, load: 1, weight: 3 }),
  c(3, { region: 'ap', priority: 30, latencyMs: 5, load: 9, weight: 6 }),
  c(4, { region: 'eu', priority: 5, latencyMs: 1, load: 0, state: 'degraded' }),
  c(5, { region: 'eu', priority: 1, state: 'unhealthy' }),
];

/** A random source that returns these tickets in turn. */
const tickets = (...values: number[]) => {
  let i = 0;
  return (max: number) => {
    const v = values[i++ % values.length];
    expect(v).toBeLessThan(max);
    return v;
  };
};

describe('selectMirrors', () => {
  it.each([
    { strategy: 'priority', region: null, order: [1, 2, 3, 4] },
    { strategy: 'least_loaded', region: null, order: [2, 1, 3, 4] },
    { strategy: 'lowest_latency', region: null, order: [3, 2, 1, 4] },
    { strategy: 'geographic', region: 'eu', order: [2, 1, 3, 4] },
    { strategy: 'geographic', region: 'ap', order: [3, 1, 2, 4] },
    { strategy: 'geographic', region: null, order: [1, 2, 3, 4] },
    // weights 1, 3, 6 (total 10): ticket 9 → #3; then weights 1, 3 (total 4): ticket 0 → #1; then #2.
    { strategy: 'weighted', region: null, order: [3, 1, 2, 4], random: tickets(9, 0, 0, 0) },
    // ticket 1 → #2 (1 ≤ 1 < 4); then 1, 6 (total 7): ticket 6 → #3; then #1.
    { strategy: 'weighted', region: null, order: [2, 3, 1, 4], random: tickets(1, 6, 0, 0) },
  ] as { strategy: SelectionStrategy; region: string | null; order: number[]; random?: (n: number) => number }[])(
    '$strategy (region $region) → $order; healthy before degraded, unhealthy left out',
    ({ strategy, region, order, random }) => {
      expect(selectMirrors(MIRRORS, strategy, { region, random }).map((m) => m.id)).toEqual(order);
    },
  );

  it('weighted random with the real random source follows the weights', () => {
    const wins = new Map<number, number>();
    const pool = [c(1, { weight: 1 }), c(2, { weight: 9 })];
    for (let i = 0; i < 2000; i++) {
      const first = selectMirrors(pool, 'weighted')[0].id;
      wins.set(first, (wins.get(first) ?? 0) + 1);
    }
    // Expected 1800 of 2000 for weight 9; far outside chance if the weights were ignored.
    expect(wins.get(2)!).toBeGreaterThan(1650);
    expect(wins.get(2)!).toBeLessThan(1950);
  });

  it('nulls sort last (a mirror never measured is not the least loaded)', () => {
    const order = selectMirrors([c(1, { load: null, latencyMs: null }), c(2, { load: 3, latencyMs: 50 })], 'least_loaded').map((m) => m.id);
    expect(order).toEqual([2, 1]);
    expect(selectMirrors([c(1, { latencyMs: null }), c(2, { latencyMs: 50 })], 'lowest_latency').map((m) => m.id)).toEqual([2, 1]);
  });
});
