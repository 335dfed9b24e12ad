import { asc, eq } from 'drizzle-orm';
import { tags, versions } from '@/db/schema';
import type { Engine } from '../engine';
import { countVersionDownloads } from './count-downloads';
import { findPackageRow } from './find-version';
import { sortVersionsDesc } from './pick-latest';
import { digestRef, type PackageView } from './views';

export function getPackage(engine: Engine, name: string): PackageView {
  const pkg = findPackageRow(engine, name);
  const rows = engine.db.select().from(versions).where(eq(versions.packageId, pkg.id)).all();
  const downloads = countVersionDownloads(engine, rows.map((r) => r.id));
  const tagRows = engine.db.select({ tag: tags.tag }).from(tags).where(eq(tags.packageId, pkg.id)).orderBy(asc(tags.id)).all();
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
