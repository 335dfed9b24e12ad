import { and, eq, inArray, sql } from 'drizzle-orm';
import { downloadEvents } from '@/db/schema';
import type { Engine } from '../engine';

/** A download is a full (200) response; range requests and 304s are resumes and revalidations. */
const isDownload = eq(downloadEvents.status, 200);

export function countVersionDownloads(engine: Engine, versionIds: number[]): Map<number, number> {
  if (versionIds.length === 0) return new Map();
  const rows = engine.db
    .select({ versionId: downloadEvents.versionId, n: sql<number>`count(*)` })
    .from(downloadEvents)
    .where(and(isDownload, inArray(downloadEvents.versionId, versionIds)))
    .groupBy(downloadEvents.versionId)
    .all();
  return new Map(rows.map((r) => [r.versionId, r.n]));
}

export function countPackageDownloads(engine: Engine, packageIds: number[]): Map<number, number> {
  if (packageIds.length === 0) return new Map();
  const rows = engine.db
    .select({ packageId: downloadEvents.packageId, n: sql<number>`count(*)` })
    .from(downloadEvents)
    .where(and(isDownload, inArray(downloadEvents.packageId, packageIds)))
    .groupBy(downloadEvents.packageId)
    .all();
  return new Map(rows.map((r) => [r.packageId, r.n]));
}
