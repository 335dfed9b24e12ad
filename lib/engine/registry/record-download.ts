import { downloadEvents } from '@/db/schema';
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

export function recordDownload(engine: Engine, target: DownloadTarget, ev: DownloadEvent): void {
  engine.db
    .insert(downloadEvents)
    .values({
      packageId: target.pkg.id,
      versionId: target.row.id,
      ...ev,
      userAgent: ev.userAgent?.slice(0, 512) ?? null,
      createdAt: Date.now(),
    })
    .run();
}
