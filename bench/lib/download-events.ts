// Fills download_events with synthetic history (direct SQLite, the origin keeps running: WAL lets
// it read while we write), bumping the maintained counters exactly as the events imply.
import Database from 'better-sqlite3';

const DAY_MS = 24 * 3600 * 1000;

export type InsertedEvents = { rows: number; fullDownloads: number; seconds: number };

/**
 * Inserts `rows` events spread over every published version and the last 90 days: 9 in 10 full
 * downloads (200), 1 in 10 ranged (206). versions/packages.download_count grow by the 200s only,
 * as the registry counts them.
 */
export function insertDownloadEvents(dbFile: string, rows: number, now = Date.now()): InsertedEvents {
  const t0 = performance.now();
  const db = new Database(dbFile);
  try {
    db.pragma('busy_timeout = 30000');
    const targets = db.prepare('SELECT id, package_id AS packageId, size FROM versions ORDER BY id').all() as { id: number; packageId: number; size: number }[];
    if (targets.length === 0) throw new Error('no published versions to attach download events to');
    const insert = db.prepare(
      `INSERT INTO download_events (package_id, version_id, status, bytes_sent, duration_ms, is_range, completed, client_addr, user_agent, created_at)
       VALUES (?, ?, ?, ?, ?, ?, 1, ?, 'torsh-bench/1.0', ?)`,
    );
    const bumpVersion = db.prepare('UPDATE versions SET download_count = download_count + ? WHERE id = ?');
    const bumpPackage = db.prepare('UPDATE packages SET download_count = download_count + ? WHERE id = ?');
    const perVersion = new Map<number, number>();
    const perPackage = new Map<number, number>();
    // One transaction: the events and the counters they imply appear together.
    db.transaction(() => {
      for (let i = 0; i < rows; i++) {
        const t = targets[i % targets.length];
        const ranged = i % 10 === 9;
        const bytes = ranged ? Math.min(t.size, 1024 * 1024) : t.size;
        insert.run(t.packageId, t.id, ranged ? 206 : 200, bytes, 5 + (i % 200), ranged ? 1 : 0, `198.51.100.${i & 255}`, now - Math.floor((i / rows) * 90 * DAY_MS));
        if (ranged) continue;
        perVersion.set(t.id, (perVersion.get(t.id) ?? 0) + 1);
        perPackage.set(t.packageId, (perPackage.get(t.packageId) ?? 0) + 1);
      }
      for (const [id, n] of perVersion) bumpVersion.run(n, id);
      for (const [id, n] of perPackage) bumpPackage.run(n, id);
    })();
    db.pragma('wal_checkpoint(TRUNCATE)');
    const fullDownloads = [...perVersion.values()].reduce((a, b) => a + b, 0);
    return { rows, fullDownloads, seconds: (performance.now() - t0) / 1000 };
  } finally {
    db.close();
  }
}
