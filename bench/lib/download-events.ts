// Fills the metrics store with synthetic download history through the registry's own writer
// (raw events and their minute/hour/all-time rollups, exactly as live downloads write them),
// on the data dir's SQLite file while the origin keeps running (WAL lets it read meanwhile).
import Database from 'better-sqlite3';
import type { Db } from '../../db';
import type { Engine } from '../../lib/engine/engine';
import { createMetricsWriter } from '../../lib/engine/metrics/metrics-writer';
import { recordDownloadEvent } from '../../lib/engine/metrics/record';

const DAY_MS = 24 * 3600 * 1000;

export type InsertedEvents = { rows: number; fullDownloads: number; seconds: number };

/**
 * Inserts `rows` download events spread over every published version and the last `days` days
 * (oldest first): 9 in 10 full downloads (200), 1 in 10 ranged (206), 1 in 200 a 500.
 */
export function insertDownloadEvents(dbFile: string, rows: number, now = Date.now(), days = 90): InsertedEvents {
  const t0 = performance.now();
  const sqlite = new Database(dbFile);
  try {
    sqlite.pragma('busy_timeout = 30000');
    sqlite.pragma('journal_mode = WAL');
    sqlite.pragma('synchronous = NORMAL');
    const targets = sqlite.prepare('SELECT id, package_id AS packageId, size FROM versions ORDER BY id').all() as { id: number; packageId: number; size: number }[];
    if (targets.length === 0) throw new Error('no published versions to attach download events to');
    const writer = createMetricsWriter({ $client: sqlite } as unknown as Db);
    let at = 0;
    const engine = { metrics: writer, now: () => at } as unknown as Engine;
    let fullDownloads = 0;
    for (let i = 0; i < rows; i++) {
      const t = targets[i % targets.length];
      const ranged = i % 10 === 9;
      const failed = i % 200 === 199;
      const status = failed ? 500 : ranged ? 206 : 200;
      at = now - days * DAY_MS + Math.floor((i / rows) * days * DAY_MS);
      recordDownloadEvent(engine, {
        packageId: t.packageId,
        versionId: t.id,
        userId: null,
        status,
        bytesSent: failed ? 0 : ranged ? Math.min(t.size, 1024 * 1024) : t.size,
        durationMs: 1 + ((i * 7919) % 400) / 4,
        isRange: ranged,
        completed: true,
        region: ['eu-west', 'us-east', 'ap-south'][i % 3],
        clientAddr: `198.51.100.${i & 255}`,
      });
      if (status === 200) fullDownloads++;
    }
    writer.flush();
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    return { rows, fullDownloads, seconds: (performance.now() - t0) / 1000 };
  } finally {
    sqlite.close();
  }
}
