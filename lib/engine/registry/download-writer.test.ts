import { sql } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ANONYMOUS } from '../actor';
import { publishSample } from '../test-support/registry-fixtures';
import { tempEngine } from '../test-support/temp-engine';
import { createEngine } from '../engine';
import { findDownload } from './open-download';
import { getPackage } from './get-package';
import { getVersion } from './get-version';
import { getStats } from './get-stats';
import { recordDownload } from './record-download';

let engine: Awaited<ReturnType<typeof tempEngine>>;

async function publish(name: string, version: string) {
  await publishSample(engine, name, version);
  return findDownload(engine, name, version);
}

const event = (status: number, bytesSent: number) => ({ status, bytesSent, durationMs: 1, isRange: status === 206, completed: true, clientAddr: null, userAgent: 'test' });
const rows = () => engine.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM download_events`).n;

beforeEach(async () => {
  engine = await tempEngine();
});
afterEach(async () => {
  await engine.cleanup();
});

describe('download events written behind the response', () => {
  it('counts full downloads at once (queued), and writes events and counters in one batch', async () => {
    const t = await publish('m', '1.0.0');
    recordDownload(engine, t, event(200, 100));
    recordDownload(engine, t, event(200, 100));
    recordDownload(engine, t, event(206, 10));
    recordDownload(engine, t, event(304, 0));
    expect(rows()).toBe(0); // not yet written…
    expect(getVersion(engine, 'm', '1.0.0').downloads).toBe(2); // …but already counted
    engine.downloads.flush();
    expect(rows()).toBe(4);
    const v = engine.db.get<{ n: number }>(sql`SELECT download_count AS n FROM versions WHERE id = ${t.row.id}`).n;
    const p = engine.db.get<{ n: number; b: number }>(sql`SELECT download_count AS n, bytes_served AS b FROM packages WHERE id = ${t.pkg.id}`);
    expect(v).toBe(2);
    expect(p).toEqual({ n: 2, b: 210 });
    expect(getPackage(engine, 'm').downloads).toBe(2);
    expect(getStats(engine, ANONYMOUS)).toMatchObject({ downloads: 2, bytes_served: 210 });
  });

  it('drops the queued events of a version deleted before the batch is written, keeping the rest', async () => {
    const a = await publish('a', '1.0.0');
    const b = await publish('b', '1.0.0');
    recordDownload(engine, a, event(200, 5));
    recordDownload(engine, b, event(200, 7));
    engine.db.run(sql`DELETE FROM versions WHERE id = ${a.row.id}`);
    engine.downloads.flush();
    expect(engine.db.all(sql`SELECT version_id FROM download_events`)).toEqual([{ version_id: b.row.id }]);
    expect(getVersion(engine, 'b', '1.0.0').downloads).toBe(1);
  });

  it('writes what is queued when the engine closes', async () => {
    const t = await publish('c', '1.0.0');
    recordDownload(engine, t, event(200, 1));
    engine.close();
    const reopened = createEngine({ dataDir: engine.dataDir });
    try {
      expect(reopened.db.get<{ n: number }>(sql`SELECT count(*) AS n FROM download_events`).n).toBe(1);
    } finally {
      reopened.close();
    }
  });
});
