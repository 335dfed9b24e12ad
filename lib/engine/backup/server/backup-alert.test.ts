import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../../actor';
import { createRule } from '../../alerts/alert-rules';
import { evaluateAlerts } from '../../alerts/evaluate-alerts';
import { manualClock, tempEngine } from '../../test-support/temp-engine';
import { recordBackupRun } from './backup-metrics';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 10, 30, 2, 0, 0);
const queue = { enqueue: () => ({ id: 1, created: true }) };

let engine: Awaited<ReturnType<typeof tempEngine>>;
let clock: ReturnType<typeof manualClock>;

beforeEach(async () => {
  clock = manualClock(T0);
  engine = await tempEngine({}, { clock: clock.now });
});
afterEach(() => engine.cleanup());

/** "No successful backup into `nightly` in 26 h": the successful runs over 26 h, at least 1 (no runs at all count as 0). */
function noBackupRule(dim = 'b:nightly') {
  return createRule(engine, SYSTEM, {
    name: `no backup ${dim}`,
    series: 'backup.run',
    dim,
    stat: 'ok',
    kind: 'minimum',
    threshold: 1,
    window_ms: 26 * HOUR,
    for_ms: 0,
    severity: 'critical',
    enabled: true,
  });
}

const stateOf = (ruleId: number) => {
  engine.metrics.flush();
  return evaluateAlerts(engine, queue).find((o) => o.rule_id === ruleId)!;
};

describe('alert: no successful backup in 26 h', () => {
  it('stays ok while a run succeeded within 26 h, fires once the last success is older, resolves on the next success', () => {
    const rule = noBackupRule();
    recordBackupRun(engine, 'nightly', true, 1000);
    clock.advance(HOUR);
    expect(stateOf(rule.id)).toMatchObject({ state: 'ok', value: 1 });

    // Failed runs do not count: the last success is what matters.
    clock.set(T0 + 24 * HOUR);
    recordBackupRun(engine, 'nightly', false, 1000);
    clock.set(T0 + 25 * HOUR);
    expect(stateOf(rule.id)).toMatchObject({ state: 'ok', value: 1 });

    clock.set(T0 + 26 * HOUR + 2 * 60_000);
    expect(stateOf(rule.id)).toMatchObject({ state: 'firing', value: 0, event: 'firing' });

    recordBackupRun(engine, 'nightly', true, 1000);
    clock.advance(60_000);
    expect(stateOf(rule.id)).toMatchObject({ state: 'ok', value: 1, event: 'resolved' });
  });

  it('fires for a repository that never had a successful backup (no data counts as 0), and other repositories do not count', () => {
    const rule = noBackupRule('b:offsite');
    recordBackupRun(engine, 'nightly', true, 1000);
    recordBackupRun(engine, 'offsite', false, 1000);
    clock.advance(60_000);
    expect(stateOf(rule.id)).toMatchObject({ state: 'firing', value: 0 });
  });
});
