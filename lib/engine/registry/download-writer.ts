import type { Db } from '@/db';
import type { DownloadEvent } from './record-download';

export type PendingDownload = DownloadEvent & { packageId: number; versionId: number; createdAt: number };

export type DownloadWriter = {
  add(ev: PendingDownload): void;
  /** Write every queued event and its counter increments in one transaction. */
  flush(): void;
  /** Full downloads queued but not yet written, so reads right after a download see it. */
  pendingVersion(versionId: number): number;
  pendingPackage(packageId: number): { downloads: number; bytes: number };
};

const FLUSH_AFTER_MS = 250;
const MAX_QUEUED = 1_000;

/**
 * Download events are written behind the response, in batches: one transaction per batch
 * (instead of one fsync'd commit per download), which also bumps the maintained counters that
 * every page reads. At most FLUSH_AFTER_MS of events is lost if the process dies.
 */
export function createDownloadWriter(db: Db): DownloadWriter {
  let queue: PendingDownload[] = [];
  let timer: NodeJS.Timeout | null = null;
  const insert = db.$client.prepare(
    `INSERT INTO download_events (package_id, version_id, status, bytes_sent, duration_ms, is_range, completed, client_addr, user_agent, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const bumpVersion = db.$client.prepare('UPDATE versions SET download_count = download_count + ? WHERE id = ?');
  const bumpPackage = db.$client.prepare('UPDATE packages SET download_count = download_count + ?, bytes_served = bytes_served + ? WHERE id = ?');

  const write = db.$client.transaction((batch: PendingDownload[]) => {
    const versions = new Map<number, number>();
    const packages = new Map<number, { downloads: number; bytes: number }>();
    for (const e of batch) {
      // The version or package may have been deleted meanwhile: its events go with it.
      const r = insert.run(e.packageId, e.versionId, e.status, e.bytesSent, e.durationMs, e.isRange ? 1 : 0, e.completed ? 1 : 0, e.clientAddr, e.userAgent, e.createdAt);
      if (r.changes === 0) continue;
      const full = e.status === 200 ? 1 : 0;
      versions.set(e.versionId, (versions.get(e.versionId) ?? 0) + full);
      const p = packages.get(e.packageId) ?? { downloads: 0, bytes: 0 };
      p.downloads += full;
      p.bytes += e.bytesSent;
      packages.set(e.packageId, p);
    }
    for (const [id, n] of versions) if (n > 0) bumpVersion.run(n, id);
    for (const [id, p] of packages) bumpPackage.run(p.downloads, p.bytes, id);
  });

  const flush = () => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (queue.length === 0) return;
    const batch = queue;
    queue = [];
    writeSkippingGone(batch);
  };

  // A batch naming a version deleted since it was queued fails its foreign key: write the rest.
  const writeSkippingGone = (batch: PendingDownload[]) => {
    try {
      write(batch);
    } catch (err) {
      if ((err as { code?: string }).code !== 'SQLITE_CONSTRAINT_FOREIGNKEY') throw err;
      const live = new Set(db.$client.prepare('SELECT id FROM versions').pluck().all() as number[]);
      write(batch.filter((e) => live.has(e.versionId)));
    }
  };

  return {
    add(ev) {
      queue.push(ev);
      if (queue.length >= MAX_QUEUED) return flush();
      timer ??= setTimeout(flush, FLUSH_AFTER_MS).unref();
    },
    flush,
    pendingVersion: (versionId) => queue.reduce((n, e) => n + (e.versionId === versionId && e.status === 200 ? 1 : 0), 0),
    pendingPackage(packageId) {
      let downloads = 0;
      let bytes = 0;
      for (const e of queue) {
        if (e.packageId !== packageId) continue;
        if (e.status === 200) downloads++;
        bytes += e.bytesSent;
      }
      return { downloads, bytes };
    },
  };
}

