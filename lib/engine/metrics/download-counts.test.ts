import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ANONYMOUS } from '../actor';
import { createEngine } from '../engine';
import { findDownload, getPackage, getStats, getVersion, recordDownload, searchPackages } from '../registry';
import { publishSample } from '../test-support/registry-fixtures';
import { tempEngine } from '../test-support/temp-engine';

let engine: Awaited<ReturnType<typeof tempEngine>>;

async function publish(name: string, version: string) {
  await publishSample(engine, name, version);
  return findDownload(engine, name, version);
}

const event = (status: number, bytesSent: number) => ({ status, bytesSent, durationMs: 1, isRange: status === 206, completed: true, clientAddr: null });
const rawRows = () => engine.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM metric_events WHERE series = 'download'`).n;

beforeEach(async () => {
  engine = await tempEngine();
});
afterEach(async () => {
  await engine.cleanup();
});

describe('download counts everywhere read the metrics store', () => {
  it('counts full downloads at once (queued), then from the all-time rollups once written', async () => {
    const t = await publish('m', '1.0.0');
    recordDownload(engine, t, event(200, 100));
    recordDownload(engine, t, event(200, 100));
    recordDownload(engine, t, event(206, 10));
    recordDownload(engine, t, event(304, 0));
    expect(rawRows()).toBe(0); // not yet written…
    expect(getVersion(engine, 'm', '1.0.0').downloads).toBe(2); // …but already counted
    expect(searchPackages(engine, ANONYMOUS, { q: 'm' }).packages[0].downloads).toBe(2);
    engine.metrics.flush();
    expect(rawRows()).toBe(4);
    const total = engine.db.get<{ ok: number; bytes: number; count: number }>(
      sql`SELECT ok, bytes, count FROM metric_rollups WHERE series = 'download' AND dim = ${`p:${t.pkg.id}`} AND res = 0`,
    );
    expect(total).toEqual({ ok: 2, bytes: 210, count: 4 });
    expect(getPackage(engine, 'm').downloads).toBe(2);
    expect(getPackage(engine, 'm').versions[0].downloads).toBe(2);
    expect(searchPackages(engine, ANONYMOUS, { q: 'm' }).packages[0].downloads).toBe(2);
    expect(getStats(engine, ANONYMOUS)).toMatchObject({ downloads: 2, bytes_served: 210 });
  });

  it('keeps a deleted version in the package figures (the history outlives the row)', async () => {
    const a = await publish('a', '1.0.0');
    await publish('a', '2.0.0');
    recordDownload(engine, a, event(200, 5));
    engine.metrics.flush();
    engine.db.run(sql`DELETE FROM versions WHERE id = ${a.row.id}`);
    expect(getPackage(engine, 'a').downloads).toBe(1);
  });

  it('writes what is queued when the engine closes', async () => {
    const t = await publish('c', '1.0.0');
    recordDownload(engine, t, event(200, 1));
    engine.close();
    const reopened = createEngine({ dataDir: engine.dataDir });
    try {
      expect(reopened.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM metric_events WHERE series = 'download'`).n).toBe(1);
      expect(getVersion(reopened, 'c', '1.0.0').downloads).toBe(1);
    } finally {
      reopened.close();
    }
  });
});
