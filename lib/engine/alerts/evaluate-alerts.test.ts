import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../actor';
import { SERIES } from '../metrics/metric-event';
import { recordApiEvent, recordDownloadEvent, recordGauge } from '../metrics/record';
import { manualClock, tempEngine } from '../test-support/temp-engine';
import { acknowledgeAlert, silenceRule } from './alert-actions';
import { createRule, getRule, updateRule, type AlertRuleFields } from './alert-rules';
import { evaluateAlerts } from './evaluate-alerts';
import { listActiveAlerts, listAlertHistory } from './list-alerts';
import { previewRule } from './preview-alert';
import { createWebhook } from './webhooks';

const MIN = 60_000;
const T0 = Date.UTC(2026, 10, 30, 12, 0, 10);

type Engine = Awaited<ReturnType<typeof tempEngine>>;
let engine: Engine;
let clock: ReturnType<typeof manualClock>;
/** The queue as evaluation sees it: every enqueued delivery job, in order. */
let enqueued: { kind: string; payload: unknown }[];
const queue = {
  enqueue: (kind: string, payload: unknown) => {
    enqueued.push({ kind, payload });
    return { id: enqueued.length, created: true };
  },
};

beforeEach(async () => {
  clock = manualClock(T0);
  engine = await tempEngine({}, { clock: clock.now });
  enqueued = [];
  createWebhook(engine, SYSTEM, { name: 'ops', url: 'http://127.0.0.1:9/hook', min_severity: 'info' });
});
afterEach(() => engine.cleanup());

const download = (durationMs: number, bytesSent = 100, status = 200) =>
  recordDownloadEvent(engine, {
    packageId: 1,
    versionId: 1,
    userId: null,
    status,
    bytesSent,
    durationMs,
    isRange: false,
    completed: true,
    region: null,
    clientAddr: null,
  });
const api = (status: number) => recordApiEvent(engine, { method: 'GET', route: '/api/v1/search', status, durationMs: 5, bytes: 10 });
const repeat = (n: number, f: () => void) => Array.from({ length: n }).forEach(f);

type Case = {
  kind: AlertRuleFields['kind'];
  rule: Pick<AlertRuleFields, 'series' | 'stat' | 'threshold'>;
  /** Events that cross the threshold (recorded at T0). */
  cross: () => void;
  /** Events that bring it back (recorded once the crossing events left the window). */
  clear: () => void;
};

const CASES: Case[] = [
  { kind: 'maximum', rule: { series: SERIES.download, stat: 'p95', threshold: 500 }, cross: () => repeat(20, () => download(900)), clear: () => repeat(20, () => download(40)) },
  { kind: 'max_count', rule: { series: SERIES.download, stat: 'count', threshold: 3 }, cross: () => repeat(5, () => download(10)), clear: () => download(10) },
  { kind: 'max_bytes', rule: { series: SERIES.download, stat: 'bytes', threshold: 1000 }, cross: () => repeat(2, () => download(10, 800)), clear: () => download(10, 800) },
  {
    kind: 'max_percentage',
    rule: { series: SERIES.api, stat: 'error_rate', threshold: 10 },
    cross: () => {
      repeat(8, () => api(200));
      repeat(2, () => api(503));
    },
    clear: () => repeat(10, () => api(200)),
  },
  {
    kind: 'minimum',
    rule: { series: SERIES.storageBytes, stat: 'mean', threshold: 1_000_000 },
    cross: () => recordGauge(engine, SERIES.storageBytes, 200_000),
    clear: () => recordGauge(engine, SERIES.storageBytes, 5_000_000),
  },
];

const history = () => listAlertHistory(engine, 1, 100).events.map((e) => e.kind).reverse();
const stateOf = (id: number) => getRule(engine, id).state?.state;

describe('evaluateAlerts: each threshold kind', () => {
  it.each(CASES)('$kind fires once it held for its "for" duration, not before, and resolves when it clears', ({ kind, rule, cross, clear }) => {
    const r = createRule(engine, SYSTEM, { name: `${kind} rule`, dim: '', window_ms: 5 * MIN, for_ms: 2 * MIN, severity: 'error', enabled: true, kind, ...rule });
    evaluateAlerts(engine, queue);
    expect(stateOf(r.id), 'no events yet: nothing crossed').toBe('ok');

    cross();
    engine.metrics.flush();
    expect(evaluateAlerts(engine, queue)[0]).toMatchObject({ state: 'pending', event: null, notified: 0 });
    clock.advance(MIN);
    expect(evaluateAlerts(engine, queue)[0]).toMatchObject({ state: 'pending', event: null });
    expect(history(), 'a condition shorter than "for" pages nobody').toEqual([]);
    expect(enqueued).toEqual([]);

    clock.advance(MIN);
    const fired = evaluateAlerts(engine, queue)[0];
    expect(fired).toMatchObject({ state: 'firing', event: 'firing', notified: 1 });
    expect(breachesThreshold(kind, fired.value!, rule.threshold)).toBe(true);
    expect(listActiveAlerts(engine).map((a) => a.id)).toEqual([r.id]);
    clock.advance(MIN);
    expect(evaluateAlerts(engine, queue)[0], 'still firing: no second notification').toMatchObject({ state: 'firing', event: null, notified: 0 });

    // The crossing events leave the 5-minute window; the clearing ones arrive.
    clock.advance(5 * MIN);
    clear();
    engine.metrics.flush();
    expect(evaluateAlerts(engine, queue)[0]).toMatchObject({ state: 'ok', event: 'resolved', notified: 1 });
    expect(listActiveAlerts(engine)).toEqual([]);
    expect(history()).toEqual(['firing', 'resolved']);
    const bodies = enqueued.map((j) => JSON.parse((j.payload as { body: string }).body));
    expect(bodies.map((b) => [b.event, b.alert.rule, b.alert.severity, b.alert.threshold])).toEqual([
      ['firing', `${kind} rule`, 'error', rule.threshold],
      ['resolved', `${kind} rule`, 'error', rule.threshold],
    ]);
  });

  it.each(CASES)('$kind: a spike that clears before "for" never fires', ({ kind, rule, cross, clear }) => {
    createRule(engine, SYSTEM, { name: 'spike', dim: '', window_ms: 5 * MIN, for_ms: 10 * MIN, severity: 'critical', enabled: true, kind, ...rule });
    cross();
    engine.metrics.flush();
    expect(evaluateAlerts(engine, queue)[0].state).toBe('pending');
    clock.advance(6 * MIN);
    clear();
    engine.metrics.flush();
    expect(evaluateAlerts(engine, queue)[0]).toMatchObject({ state: 'ok', event: null });
    expect(history()).toEqual([]);
    expect(enqueued).toEqual([]);
  });
});

function breachesThreshold(kind: string, value: number, threshold: number): boolean {
  return kind === 'minimum' ? value < threshold : value > threshold;
}

describe('evaluateAlerts: no data, silence, acknowledge, severity filter', () => {
  const base = { dim: '', window_ms: 5 * MIN, for_ms: 0, severity: 'warning', enabled: true } as const;

  it('with no events, counts are 0 (a minimum on a count fires) and value stats have no value (nothing fires)', () => {
    const count = createRule(engine, SYSTEM, { ...base, name: 'no downloads', series: SERIES.download, kind: 'minimum', stat: 'count', threshold: 1 });
    const p95 = createRule(engine, SYSTEM, { ...base, name: 'slow', series: SERIES.download, kind: 'minimum', stat: 'p95', threshold: 1 });
    const rate = createRule(engine, SYSTEM, { ...base, name: 'errors', series: SERIES.api, kind: 'max_percentage', stat: 'error_rate', threshold: 0 });
    const out = new Map(evaluateAlerts(engine, queue).map((o) => [o.rule_id, o]));
    expect(out.get(count.id)).toMatchObject({ value: 0, state: 'firing' });
    expect(out.get(p95.id)).toMatchObject({ value: null, state: 'ok' });
    expect(out.get(rate.id)).toMatchObject({ value: null, state: 'ok' });
  });

  it('a silenced rule is still evaluated and recorded, but notifies nobody until the silence ends', () => {
    const r = createRule(engine, SYSTEM, { ...base, name: 'busy', series: SERIES.download, kind: 'max_count', stat: 'count', threshold: 0 });
    silenceRule(engine, SYSTEM, r.id, T0 + 30 * MIN);
    download(5);
    engine.metrics.flush();
    expect(evaluateAlerts(engine, queue)[0]).toMatchObject({ state: 'firing', event: 'firing', notified: 0 });
    clock.advance(10 * MIN);
    expect(evaluateAlerts(engine, queue)[0]).toMatchObject({ state: 'ok', event: 'resolved', notified: 0 });
    expect(enqueued).toEqual([]);
    expect(history()).toEqual(['silenced', 'firing', 'resolved']);

    clock.advance(25 * MIN); // the silence is over
    download(5);
    engine.metrics.flush();
    expect(evaluateAlerts(engine, queue)[0]).toMatchObject({ event: 'firing', notified: 1 });
  });

  it('acknowledging a firing alert records who and when, until it resolves; a quiet one cannot be acknowledged', () => {
    const r = createRule(engine, SYSTEM, { ...base, name: 'busy', series: SERIES.download, kind: 'max_count', stat: 'count', threshold: 0 });
    expect(() => acknowledgeAlert(engine, SYSTEM, r.id)).toThrow(expect.objectContaining({ code: 'ALERT_NOT_FIRING' }));
    download(5);
    engine.metrics.flush();
    evaluateAlerts(engine, queue);
    clock.advance(MIN);
    const acked = acknowledgeAlert(engine, { ...SYSTEM, name: 'alice' }, r.id);
    expect(acked.state).toMatchObject({ state: 'firing', acknowledged_by: 'alice', acknowledged_at: T0 + MIN });
    evaluateAlerts(engine, queue);
    expect(getRule(engine, r.id).state?.acknowledged_by, 'the ack survives re-evaluation').toBe('alice');
    const events = listAlertHistory(engine, 1, 10).events;
    expect(events[0]).toMatchObject({ kind: 'acknowledged', actor: 'alice', rule: 'busy' });
    clock.advance(10 * MIN);
    evaluateAlerts(engine, queue);
    expect(getRule(engine, r.id).state).toMatchObject({ state: 'ok', acknowledged_by: null });
  });

  it('webhooks get only alerts at or above their minimum severity', () => {
    createWebhook(engine, SYSTEM, { name: 'pager', url: 'http://127.0.0.1:9/pager', min_severity: 'critical' });
    createRule(engine, SYSTEM, { ...base, name: 'warn', series: SERIES.download, kind: 'max_count', stat: 'count', threshold: 0 });
    createRule(engine, SYSTEM, { ...base, severity: 'critical', name: 'crit', series: SERIES.download, kind: 'max_count', stat: 'count', threshold: 0 });
    download(5);
    engine.metrics.flush();
    evaluateAlerts(engine, queue);
    const sent = enqueued.map((j) => [(j.payload as { webhook_id: number }).webhook_id, JSON.parse((j.payload as { body: string }).body).alert.rule]);
    expect(sent.sort()).toEqual([
      [1, 'crit'],
      [1, 'warn'],
      [2, 'crit'],
    ]);
  });

  it('disabling a firing rule resolves its alert', () => {
    const r = createRule(engine, SYSTEM, { ...base, name: 'busy', series: SERIES.download, kind: 'max_count', stat: 'count', threshold: 0 });
    download(5);
    engine.metrics.flush();
    evaluateAlerts(engine, queue);
    updateRule(engine, r.id, { enabled: false });
    expect(evaluateAlerts(engine, queue)[0]).toMatchObject({ event: 'resolved', notified: 1 });
    expect(getRule(engine, r.id).state).toBeNull();
    expect(evaluateAlerts(engine, queue)).toEqual([]);
  });

  it('refuses a stat that does not fit the kind', () => {
    expect(() => createRule(engine, SYSTEM, { ...base, name: 'x', series: SERIES.download, kind: 'max_bytes', stat: 'p95', threshold: 1 })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
    expect(() => createRule(engine, SYSTEM, { ...base, name: 'x', series: SERIES.api, kind: 'max_percentage', stat: 'error_rate', threshold: 150 })).toThrow(
      expect.objectContaining({ code: 'INVALID_INPUT' }),
    );
  });
});

describe('previewRule', () => {
  it('gives the stat over the window ending at each step and at the range end, as the evaluation measures it', () => {
    repeat(3, () => download(10, 500));
    engine.metrics.flush();
    const to = T0 + 50_000;
    const { step, points } = previewRule(engine, SYSTEM, { series: SERIES.download, dim: '', stat: 'bytes', windowMs: 5 * MIN, from: to - 60 * MIN, to });
    expect(step).toBe(MIN);
    expect(points.at(-1)).toEqual({ t: to, value: 1500 });
    expect(points.filter((p) => p.value !== 0).every((p) => p.t > T0 - MIN && p.value === 1500)).toBe(true);
    expect(points.filter((p) => p.t <= T0 - MIN).every((p) => p.value === 0)).toBe(true);
    createRule(engine, SYSTEM, { name: 'bytes', series: SERIES.download, dim: '', stat: 'bytes', kind: 'max_bytes', threshold: 1, window_ms: 5 * MIN, for_ms: 0, severity: 'info', enabled: true });
    expect(evaluateAlerts(engine, queue)[0].value).toBe(points.at(-1)!.value);
  });
});
