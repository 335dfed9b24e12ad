import type { Engine } from '../engine';
import type { DownloadTarget } from './open-download';

export type DownloadEvent = {
  status: number;
  bytesSent: number;
  durationMs: number;
  isRange: boolean;
  completed: boolean;
  clientAddr: string | null;
  userAgent: string | null;
};

/** Queue one download event (written in the next batch, with the counters). */
export function recordDownload(engine: Engine, target: DownloadTarget, ev: DownloadEvent): void {
  engine.downloads.add({
    packageId: target.pkg.id,
    versionId: target.row.id,
    ...ev,
    userAgent: ev.userAgent?.slice(0, 512) ?? null,
    createdAt: Date.now(),
  });
}
