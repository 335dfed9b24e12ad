import { describe, expect, it } from 'vitest';
import type { MirrorState } from '@/db/schema';
import { nextState, observedState, type StateMemory } from './mirror-state';

const config = { degradedMs: 1000, degradedLag: 100 };

describe('observedState', () => {
  it.each([
    [{ ok: false, latencyMs: null, lagChanges: null }, 'unhealthy'],
    [{ ok: true, latencyMs: 20, lagChanges: 0 }, 'healthy'],
    [{ ok: true, latencyMs: 1000, lagChanges: 100 }, 'healthy'],
    [{ ok: true, latencyMs: 1001, lagChanges: 0 }, 'degraded'],
    [{ ok: true, latencyMs: 5, lagChanges: 101 }, 'degraded'],
    [{ ok: true, latencyMs: 5, lagChanges: null }, 'healthy'],
  ] as const)('%o → %s', (probe, expected) => {
    expect(observedState(probe, config)).toBe(expected);
  });
});

describe('nextState (no flapping)', () => {
  const run = (start: MirrorState, observations: MirrorState[], threshold: number) => {
    let m: StateMemory = { state: start, pendingState: null, pendingCount: 0 };
    return observations.map((o) => {
      m = nextState(m, o, threshold);
      return m.state;
    });
  };

  it.each([
    { start: 'healthy', obs: ['unhealthy'], threshold: 2, states: ['healthy'] },
    { start: 'healthy', obs: ['unhealthy', 'unhealthy'], threshold: 2, states: ['healthy', 'unhealthy'] },
    { start: 'healthy', obs: ['unhealthy', 'healthy', 'unhealthy', 'healthy'], threshold: 2, states: ['healthy', 'healthy', 'healthy', 'healthy'] },
    { start: 'healthy', obs: ['unhealthy', 'degraded', 'degraded'], threshold: 2, states: ['healthy', 'healthy', 'degraded'] },
    { start: 'unhealthy', obs: ['healthy', 'healthy', 'healthy'], threshold: 3, states: ['unhealthy', 'unhealthy', 'healthy'] },
    { start: 'healthy', obs: ['unhealthy'], threshold: 1, states: ['unhealthy'] },
  ] as { start: MirrorState; obs: MirrorState[]; threshold: number; states: MirrorState[] }[])('$start + $obs (N=$threshold) → $states', ({ start, obs, threshold, states }) => {
    expect(run(start, obs, threshold)).toEqual(states);
  });

  it('counts what is pending and reports a change once', () => {
    const first = nextState({ state: 'healthy', pendingState: null, pendingCount: 0 }, 'unhealthy', 2);
    expect(first).toEqual({ state: 'healthy', pendingState: 'unhealthy', pendingCount: 1, changed: false });
    expect(nextState(first, 'unhealthy', 2)).toEqual({ state: 'unhealthy', pendingState: null, pendingCount: 0, changed: true });
    expect(nextState(first, 'healthy', 2)).toEqual({ state: 'healthy', pendingState: null, pendingCount: 0, changed: false });
  });
});
