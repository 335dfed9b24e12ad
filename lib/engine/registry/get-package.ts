import { asc, eq, sql } from 'drizzle-orm';
import { tags, versions } from '@/db/schema';
import type { Engine } from '../engine';
import { prepared } from '../prepared';
import { findPackageRow } from './find-version';
import { sortVersionsDesc } from './pick-latest';
import { digestRef, type PackageView } from './views';

export function getPackage(engine: Engine, name: string): PackageView {
  const pkg = findPackageRow(engine, name);
  const rows = prepared(engine.db, 'versions-of-package', (db) => db.select().from(versions).where(eq(versions.packageId, sql.placeholder('packageId'))).prepare()).all({
    packageId: pkg.id,
  });
  const downloads = new Map(rows.map((r) => [r.id, r.downloadCount + engine.downloads.pendingVersion(r.id)]));
  const tagRows = prepared(engine.db, 'tags-of-package', (db) =>
    db.select({ tag: tags.tag }).from(tags).where(eq(tags.packageId, sql.placeholder('packageId'))).orderBy(asc(tags.id)).prepare(),
  ).all({ packageId: pkg.id });
  return {
    name: pkg.name,
    description: pkg.description,
    author: pkg.author,
    license: pkg.license,
    latest: pkg.latestVersion,
    tags: tagRows.map((t) => t.tag),
    created_at: pkg.createdAt,
    updated_at: pkg.updatedAt,
    downloads: [...downloads.values()].reduce((a, b) => a + b, 0),
    versions: sortVersionsDesc(rows).map((r) => ({
      version: r.version,
      digest: digestRef(r.digest),
      size: r.size,
      published_at: r.publishedAt,
      publisher: r.publisher,
      yanked: r.yanked,
      downloads: downloads.get(r.id) ?? 0,
    })),
  };
}
