import { inArray } from 'drizzle-orm';
import { packages, versions } from '@/db/schema';
import type { Engine } from '../engine';

/**
 * Full (200) downloads, from the counters maintained as events are written (plus events still
 * queued), never a count(*) over download_events. Range requests and 304s are resumes and
 * revalidations, not downloads.
 */
export function countVersionDownloads(engine: Engine, versionIds: number[]): Map<number, number> {
  if (versionIds.length === 0) return new Map();
  const rows = engine.db.select({ id: versions.id, n: versions.downloadCount }).from(versions).where(inArray(versions.id, versionIds)).all();
  return new Map(rows.map((r) => [r.id, r.n + engine.downloads.pendingVersion(r.id)]));
}

export function countPackageDownloads(engine: Engine, packageIds: number[]): Map<number, number> {
  if (packageIds.length === 0) return new Map();
  const rows = engine.db.select({ id: packages.id, n: packages.downloadCount }).from(packages).where(inArray(packages.id, packageIds)).all();
  return new Map(rows.map((r) => [r.id, r.n + engine.downloads.pendingPackage(r.id).downloads]));
}
