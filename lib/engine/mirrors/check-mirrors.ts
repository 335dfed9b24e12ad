import { asc } from 'drizzle-orm';
import { mirrors, type MirrorState } from '@/db/schema';
import type { Engine } from '../engine';
import { CHECK_HISTORY_MS, mirrorCheckConfig, type MirrorCheckConfig } from './mirror-config';
import { nextState, observedState } from './mirror-state';
import { pruneMirrorChecks } from './manage-mirrors';
import { probeMirror, type ProbeResult } from './probe-mirror';
import { lagOf, recordCheck } from './record-check';

export type CheckReport = { checked: number; states: Record<MirrorState, number>; changed: { id: number; from: MirrorState; to: MirrorState }[]; pruned: number };

/**
 * Probe every mirror at once (each bounded by the probe timeout), then apply each result: the
 * observed state (failed probe → unhealthy; slow or behind → degraded), the anti-flapping rule,
 * a history row and the gauges. History older than 7 days is pruned.
 */
export async function checkMirrors(
  engine: Engine,
  opts: { config?: MirrorCheckConfig; probe?: (url: string) => Promise<ProbeResult> } = {},
): Promise<CheckReport> {
  const config = opts.config ?? mirrorCheckConfig();
  const probe = opts.probe ?? ((url: string) => probeMirror(url, { timeoutMs: config.probeTimeoutMs }));
  const rows = engine.db.select().from(mirrors).orderBy(asc(mirrors.id)).all();
  const results = await Promise.all(rows.map((r) => probe(r.url)));
  const report: CheckReport = { checked: 0, states: { healthy: 0, degraded: 0, unhealthy: 0 }, changed: [], pruned: 0 };
  rows.forEach((row, i) => {
    const result = results[i];
    const lag = lagOf(engine, result);
    const observed = observedState({ ok: result.ok, latencyMs: result.latencyMs, lagChanges: lag.lagChanges }, config);
    const next = nextState(row, observed, config.flapThreshold);
    // The mirror may have been removed while it was probed: recordCheck then updates nothing, and the history row would dangle.
    if (!engine.db.$client.prepare('SELECT 1 FROM mirrors WHERE id = ?').get(row.id)) return;
    recordCheck(engine, row, result, lag, next);
    report.checked += 1;
    report.states[next.state] += 1;
    if (next.changed) report.changed.push({ id: row.id, from: row.state, to: next.state });
  });
  report.pruned = pruneMirrorChecks(engine, engine.now() - CHECK_HISTORY_MS);
  return report;
}
