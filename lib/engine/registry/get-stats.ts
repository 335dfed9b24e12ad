import { fullDownloadsSql } from '../metrics/download-counts';
import { sql } from 'drizzle-orm';
import { visiblePackagesSql } from '../access/package-access';
import type { Actor } from '../actor';
import type { Engine } from '../engine';
import { statsVisibleSql } from './stats-access';
import type { RegistryStats } from './views';

/**
 * Totals over the packages the actor may see; the download figures only over those whose
 * statistics the actor may see (public ones, and non-public ones with ViewStats).
 */
export function getStats(engine: Engine, actor: Actor, recent = 8): RegistryStats {
  const db = engine.db;
  const visible = visiblePackagesSql(actor);
  const pkgCount = db.get<{ n: number }>(sql`SELECT count(*) AS n FROM packages p WHERE ${visible}`).n;
  const v = db.get<{ n: number; bytes: number }>(
    sql`SELECT count(*) AS n, coalesce(sum(v.size), 0) AS bytes FROM versions v JOIN packages p ON p.id = v.package_id WHERE ${visible}`,
  );
  // The metrics store's all-time rollups per package, not a scan of the events.
  engine.metrics.flush();
  const d = db.get<{ n: number; bytes: number }>(
    sql`SELECT coalesce(sum(${fullDownloadsSql('p', 'p.id')}), 0) AS n, coalesce(sum(${fullDownloadsSql('p', 'p.id', 'bytes')}), 0) AS bytes FROM packages p WHERE ${visible} AND ${statsVisibleSql(actor)}`,
  );
  const recentRows = db.all<RegistryStats['recent_versions'][number]>(sql`
    SELECT p.name AS name, v.version AS version, v.size AS size, v.published_at AS published_at
    FROM versions v JOIN packages p ON p.id = v.package_id WHERE ${visible}
    ORDER BY v.published_at DESC, v.id DESC LIMIT ${recent}`);
  return {
    packages: pkgCount,
    versions: v.n,
    total_bytes: v.bytes,
    downloads: d.n,
    bytes_served: d.bytes,
    recent_versions: recentRows,
  };
}
