import { desc, eq, sql } from 'drizzle-orm';
import { downloadEvents, packages, versions } from '@/db/schema';
import type { Engine } from '../engine';
import type { RegistryStats } from './views';

export function getStats(engine: Engine, recent = 8): RegistryStats {
  const db = engine.db;
  const pkgCount = db.select({ n: sql<number>`count(*)` }).from(packages).get()!.n;
  const v = db.select({ n: sql<number>`count(*)`, bytes: sql<number>`coalesce(sum(${versions.size}), 0)` }).from(versions).get()!;
  const d = db
    .select({
      n: sql<number>`coalesce(sum(case when ${downloadEvents.status} = 200 then 1 else 0 end), 0)`,
      bytes: sql<number>`coalesce(sum(${downloadEvents.bytesSent}), 0)`,
    })
    .from(downloadEvents)
    .get()!;
  const recentRows = db
    .select({ name: packages.name, version: versions.version, size: versions.size, published_at: versions.publishedAt })
    .from(versions)
    .innerJoin(packages, eq(packages.id, versions.packageId))
    .orderBy(desc(versions.publishedAt), desc(versions.id))
    .limit(recent)
    .all();
  return {
    packages: pkgCount,
    versions: v.n,
    total_bytes: v.bytes,
    downloads: d.n,
    bytes_served: d.bytes,
    recent_versions: recentRows,
  };
}
