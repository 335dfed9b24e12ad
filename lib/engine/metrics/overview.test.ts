import { afterEach, describe, expect, it } from 'vitest';
import { SYSTEM } from '../actor';
import { deletePackage } from '../registry';
import { publishSample } from '../test-support/registry-fixtures';
import { manualClock, tempEngine } from '../test-support/temp-engine';
import { previousRange, resolveRange } from './metrics-range';
import { overview } from './overview';
import { packageDownloads } from './package-downloads';
import { recordApiEvent, recordDownloadEvent } from './record';

const H = 3_600_000;
const T0 = Date.UTC(2026, 10, 1, 12, 0, 0);

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => cleanup?.());

async function setup() {
  const clock = manualClock(T0 - 3 * H);
  const engine = await tempEngine({}, { clock: clock.now });
  cleanup = engine.cleanup;
  return { engine, clock };
}

const ids = (engine: Awaited<ReturnType<typeof tempEngine>>, name: string) =>
  engine.db.$client.prepare('SELECT p.id AS p, v.id AS v, v.version AS version FROM versions v JOIN packages p ON p.id = v.package_id WHERE p.name = ? ORDER BY v.id').all(name) as {
    p: number;
    v: number;
    version: string;
  }[];

function download(engine: Awaited<ReturnType<typeof tempEngine>>, p: number, v: number, status = 200, bytes = 1000, durationMs = 10) {
  recordDownloadEvent(engine, { packageId: p, versionId: v, userId: null, status, bytesSent: bytes, durationMs, isRange: status === 206, completed: true, region: null, clientAddr: null });
}

describe('overview read model', () => {
  it('compares a range with the period of the same length before it, and labels deleted packages', async () => {
    const { engine, clock } = await setup();
    await publishSample(engine, 'keep', '1.0.0');
    await publishSample(engine, 'gone', '1.0.0');
    const [keep] = ids(engine, 'keep');
    const [gone] = ids(engine, 'gone');
    // Previous hour: 1 download; this hour: 3 downloads of keep, 1 of gone, one 5xx API answer of 4.
    clock.set(T0 - 90 * 60_000);
    download(engine, keep!.p, keep!.v);
    clock.set(T0 - 20 * 60_000);
    for (let i = 0; i < 3; i++) download(engine, keep!.p, keep!.v, 200, 1000, 10 * (i + 1));
    download(engine, keep!.p, keep!.v, 206, 10);
    download(engine, gone!.p, gone!.v, 200, 5000);
    for (const status of [200, 200, 404, 500]) recordApiEvent(engine, { method: 'GET', route: '/api/v1/x', status, durationMs: 1, bytes: 0 });
    deletePackage(engine, SYSTEM, 'gone');
    clock.set(T0);

    const range = resolveRange(engine.now(), { from: T0 - H });
    expect(previousRange(range)).toEqual({ from: T0 - 2 * H, to: T0 - H });
    const o = overview(engine, SYSTEM, range);
    expect(o.kpis).toMatchObject({
      downloads: 4,
      downloads_previous: 1,
      download_requests: 5,
      bytes_served: 3000 + 10 + 5000,
      bytes_served_previous: 1000,
      api_requests: 4,
      api_errors: 1,
      error_rate: 0.25,
      error_rate_previous: null,
      packages: 1,
      versions: 1,
    });
    expect(o.top_by_downloads.map((t) => [t.name, t.downloads])).toEqual([
      ['keep', 3],
      ['(deleted)', 1],
    ]);
    expect(o.top_by_bytes.map((t) => t.name)).toEqual(['(deleted)', 'keep']);
    expect(o.errors_by_route).toEqual([{ route: 'GET /api/v1/x', requests: 4, errors: 1, error_rate: 0.25 }]);
    expect(o.points.reduce((n, p) => n + p.downloads, 0)).toBe(4);
  });

  it('draws the most downloaded versions and sums the rest as "other"', async () => {
    const { engine, clock } = await setup();
    for (let i = 0; i < 10; i++) await publishSample(engine, 'many', `1.0.${i}`);
    const vs = ids(engine, 'many');
    clock.set(T0 - 30 * 60_000);
    vs.forEach((v, i) => {
      for (let k = 0; k <= i; k++) download(engine, v.p, v.v);
    });
    clock.set(T0);
    const d = packageDownloads(engine, SYSTEM, 'many', { from: T0 - H, to: T0 });
    expect(d.lines).toEqual(['1.0.9', '1.0.8', '1.0.7', '1.0.6', '1.0.5', '1.0.4', '1.0.3', '1.0.2', 'other']);
    const sum = (key: string) => d.points.reduce((n, p) => n + (p[key] ?? 0), 0);
    expect(sum('1.0.9')).toBe(10);
    expect(sum('other')).toBe(1 + 2);
    expect(d.versions.find((v) => v.version === '1.0.0')).toMatchObject({ downloads: 1 });
  });
});
