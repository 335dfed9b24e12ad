import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { nextCronRun } from '../jobs/schedules';
import { SERIES } from '../metrics/metric-event';
import { seriesPoints } from '../metrics/query-rollups';
import { publishSample } from '../test-support/registry-fixtures';
import { manualClock, tempEngine } from '../test-support/temp-engine';
import { checkMirrors } from './check-mirrors';
import { addMirror, getMirrorRow, listMirrorChecks } from './manage-mirrors';
import { mirrorCheckConfig, type MirrorCheckConfig } from './mirror-config';
import { createSqliteQueue } from '../jobs/sqlite-queue';
import { mirrorSchedules, MIRROR_JOB_HANDLERS, pruneCheckJobs } from './mirror-jobs';
import { probeMirror } from './probe-mirror';
import { startHealthServer, type HealthServer } from './test-support/health-server';

const T0 = Date.UTC(2026, 10, 30, 12, 0, 0);
const config: MirrorCheckConfig = { degradedMs: 1000, degradedLag: 100, flapThreshold: 2, intervalS: 10, probeTimeoutMs: 1000 };

let engine: Awaited<ReturnType<typeof tempEngine>>;
let clock: ReturnType<typeof manualClock>;
let server: HealthServer;

beforeEach(async () => {
  clock = manualClock(T0);
  engine = await tempEngine({}, { clock: clock.now });
  server = await startHealthServer();
  server.answer.body = server.mirrorBody(0);
});
afterEach(async () => {
  await server.stop().catch(() => {});
  await engine.cleanup();
});

const probe = (url: string) => probeMirror(url, { timeoutMs: config.probeTimeoutMs });
/** One scheduled check, `intervalS` after the last. */
async function tick(c: MirrorCheckConfig = config) {
  clock.advance(c.intervalS * 1000);
  return checkMirrors(engine, { config: c, probe });
}
const stateOf = (id: number) => getMirrorRow(engine, id).state;

describe('mirror health checks', () => {
  it('a successful probe on adding marks the mirror healthy and starts its history', async () => {
    const m = await addMirror(engine, { url: `${server.url}/`, region: 'eu-west' }, probe);
    expect(m).toMatchObject({ url: server.url, state: 'healthy', position: 0, lag_changes: 0, load: 2, bytes_held: 1234, last_check_at: T0 });
    expect(listMirrorChecks(engine, m.id, { page: 1, perPage: 10 }).checks).toEqual([expect.objectContaining({ ok: true, http_status: 200, state: 'healthy', at: T0 })]);
  });

  it('turns unhealthy only after N failed probes, and healthy again after N good ones (real server stopped and restarted)', async () => {
    const { id } = await addMirror(engine, { url: server.url, region: 'eu-west' }, probe);
    await server.stop();

    const first = await tick();
    expect(stateOf(id)).toBe('healthy');
    expect(getMirrorRow(engine, id)).toMatchObject({ pendingState: 'unhealthy', pendingCount: 1 });
    expect(first.changed).toEqual([]);

    const second = await tick();
    expect(second.changed).toEqual([{ id, from: 'healthy', to: 'unhealthy' }]);
    expect(getMirrorRow(engine, id)).toMatchObject({ state: 'unhealthy', stateChangedAt: clock.now(), pendingState: null });
    expect(getMirrorRow(engine, id).lastError).toMatch(/unreachable/);

    await server.restart();
    await tick();
    expect(stateOf(id)).toBe('unhealthy');
    await tick();
    expect(stateOf(id)).toBe('healthy');
    expect(getMirrorRow(engine, id).lastError).toBeNull();

    const history = listMirrorChecks(engine, id, { page: 1, perPage: 10 });
    expect(history.total).toBe(5);
    expect(history.checks.map((c) => [c.ok, c.state])).toEqual([
      [true, 'healthy'],
      [true, 'unhealthy'],
      [false, 'unhealthy'],
      [false, 'healthy'],
      [true, 'healthy'],
    ]);
  });

  it('one failed probe between good ones changes nothing (no flapping)', async () => {
    const { id } = await addMirror(engine, { url: server.url, region: 'eu-west' }, probe);
    for (let i = 0; i < 3; i++) {
      server.answer.status = 500;
      await tick();
      server.answer.status = 200;
      await tick();
      expect(stateOf(id)).toBe('healthy');
    }
  });

  it('a mirror behind by more than the lag threshold, or slower than the latency threshold, is degraded', async () => {
    const { id } = await addMirror(engine, { url: server.url, region: 'eu-west' }, probe);
    for (const v of ['1.0.0', '1.0.1', '1.0.2']) await publishSample(engine, 'lagging', v);
    const strict = { ...config, degradedLag: 2 };
    await tick(strict);
    await tick(strict);
    expect(getMirrorRow(engine, id)).toMatchObject({ state: 'degraded', lagChanges: 3, position: 0 });

    server.answer.body = server.mirrorBody(3);
    await tick(strict);
    await tick(strict);
    expect(getMirrorRow(engine, id)).toMatchObject({ state: 'healthy', lagChanges: 0 });

    server.answer.delayMs = 150;
    const slow = { ...config, degradedMs: 50 };
    await tick(slow);
    await tick(slow);
    expect(stateOf(id)).toBe('degraded');
    expect(getMirrorRow(engine, id).lastLatencyMs).toBeGreaterThanOrEqual(150);
  });

  it('records up, latency and lag gauges per mirror into the metrics store', async () => {
    const { id } = await addMirror(engine, { url: server.url, region: 'eu-west' }, probe);
    await server.stop();
    await tick();
    await tick();
    const range = { from: T0 - 60_000, to: clock.now() + 60_000, step: 3_600_000 };
    const up = seriesPoints(engine, { series: SERIES.mirrorUp, dim: `m:${id}`, ...range });
    expect(up.reduce((s, p) => s + p.count, 0)).toBe(3);
    const upSum = up.reduce((s, p) => s + (p.sum ?? 0), 0);
    expect(upSum).toBe(2); // healthy (add), healthy (pending), unhealthy
    const latency = seriesPoints(engine, { series: SERIES.mirrorLatencyMs, dim: `m:${id}`, ...range });
    expect(latency.reduce((s, p) => s + p.count, 0)).toBe(1); // failed probes have no latency
    const lag = seriesPoints(engine, { series: SERIES.mirrorLagChanges, dim: `m:${id}`, ...range });
    expect(lag.reduce((s, p) => s + p.count, 0)).toBe(1);
  });

  it('prunes history older than 7 days', async () => {
    const { id } = await addMirror(engine, { url: server.url, region: 'eu-west' }, probe);
    await tick();
    clock.advance(8 * 24 * 3_600_000);
    const report = await checkMirrors(engine, { config, probe });
    expect(report.pruned).toBe(2);
    expect(listMirrorChecks(engine, id, { page: 1, perPage: 10 }).total).toBe(1);
  });
});

describe('the mirrors.check job', () => {
  it('is scheduled every TORSH_MIRROR_CHECK_INTERVAL_S seconds (default 10, at most 15)', () => {
    expect(MIRROR_JOB_HANDLERS.map((h) => h.kind)).toEqual(['mirrors.check']);
    const [schedule] = mirrorSchedules({});
    const first = nextCronRun(schedule.cron, T0);
    expect(nextCronRun(schedule.cron, first) - first).toBe(10_000);
    expect(mirrorCheckConfig({ TORSH_MIRROR_CHECK_INTERVAL_S: '60' }).intervalS).toBe(15);
    const [five] = mirrorSchedules({ TORSH_MIRROR_CHECK_INTERVAL_S: '5' });
    const f = nextCronRun(five.cron, T0);
    expect(nextCronRun(five.cron, f) - f).toBe(5_000);
  });

  it('keeps its succeeded runs an hour (failed ones as long as the queue keeps them)', () => {
    const q = createSqliteQueue(engine);
    const run = (ok: boolean) => {
      const { id } = q.enqueue('mirrors.check', null, { maxAttempts: 1 });
      q.claim('w', ['mirrors.check'], 10_000);
      if (ok) q.complete(id, 'w');
      else q.fail(id, 'w', 'boom');
      return id;
    };
    run(true);
    run(false);
    clock.advance(30 * 60_000);
    const recent = run(true);
    clock.advance(31 * 60_000);
    expect(pruneCheckJobs(engine)).toBe(1);
    const left = engine.db.$client.prepare("SELECT id, state FROM jobs WHERE kind = 'mirrors.check' ORDER BY id").all() as { id: number; state: string }[];
    expect(left.map((j) => j.state)).toEqual(['dead', 'succeeded']);
    expect(left[1].id).toBe(recent);
  });

  it('reads thresholds from the environment', () => {
    expect(mirrorCheckConfig({})).toMatchObject({ degradedMs: 1000, degradedLag: 100, flapThreshold: 2, intervalS: 10 });
    expect(mirrorCheckConfig({ TORSH_MIRROR_DEGRADED_MS: '250', TORSH_MIRROR_DEGRADED_LAG: '7', TORSH_MIRROR_FLAP_THRESHOLD: '3' })).toMatchObject({
      degradedMs: 250,
      degradedLag: 7,
      flapThreshold: 3,
    });
  });
});
