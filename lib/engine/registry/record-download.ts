import type { Engine } from '../engine';
import { recordDownloadEvent } from '../metrics/record';
import type { DownloadTarget } from './open-download';

export type DownloadEvent = {
  status: number;
  bytesSent: number;
  durationMs: number;
  isRange: boolean;
  completed: boolean;
  clientAddr: string | null;
  /** The signed-in downloader, for per-user statistics. */
  userId?: number | null;
  /** The client's region when a trusted proxy or edge said so. */
  region?: string | null;
  /** The package file served (Hugging Face Hub resolve route). */
  file?: string;
};

/** Queue one download event in the metrics store (written in the next batch, with its rollups). */
export function recordDownload(engine: Engine, target: DownloadTarget, ev: DownloadEvent): void {
  recordDownloadEvent(engine, {
    packageId: target.pkg.id,
    versionId: target.row.id,
    userId: ev.userId ?? null,
    status: ev.status,
    bytesSent: ev.bytesSent,
    durationMs: ev.durationMs,
    isRange: ev.isRange,
    completed: ev.completed,
    region: ev.region ?? null,
    clientAddr: ev.clientAddr,
    ...(ev.file !== undefined ? { file: ev.file } : {}),
  });
}
