import { downloadTotals } from '../metrics/download-counts';
import { asc, eq, sql } from 'drizzle-orm';
import { tags, versions } from '@/db/schema';
import { canOnPackage } from '../access/package-access';
import { PACKAGE_PERMISSIONS, type Permission } from '../access/permissions';
import { SYSTEM, type Actor } from '../actor';
import type { Engine } from '../engine';
import { prepared } from '../prepared';
import { findPackageRow } from './find-version';
import { sortVersionsDesc } from './pick-latest';
import { canViewStats } from './stats-access';
import { digestRef, type PackageView } from './views';

const VIEWER_PERMISSIONS: readonly Permission[] = [...PACKAGE_PERMISSIONS, 'ViewStats'];

/**
 * `viewer`: whose rights shape the answer (download figures need ViewStats on a non-public
 * package); the engine's own callers see everything. `includePermissions` adds what the viewer
 * may do on the package (the UI shows only the actions that can work).
 */
export function getPackage(engine: Engine, name: string, viewer: Actor = SYSTEM, opts: { includePermissions?: boolean } = {}): PackageView {
  const pkg = findPackageRow(engine, name);
  const rows = prepared(engine.db, 'versions-of-package', (db) => db.select().from(versions).where(eq(versions.packageId, sql.placeholder('packageId'))).prepare()).all({
    packageId: pkg.id,
  });
  const stats = canViewStats(engine, viewer, pkg);
  const totals = stats ? downloadTotals(engine, [`p:${pkg.id}`, ...rows.map((r) => `v:${r.id}`)]) : null;
  const downloads = totals ? new Map(rows.map((r) => [r.id, totals.get(`v:${r.id}`)!.downloads])) : null;
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
    homepage: pkg.homepage,
    readme: pkg.readme,
    edited: { description: pkg.descriptionEdited, tags: pkg.tagsEdited },
    created_at: pkg.createdAt,
    updated_at: pkg.updatedAt,
    downloads: totals ? totals.get(`p:${pkg.id}`)!.downloads : null,
    versions: sortVersionsDesc(rows).map((r) => ({
      version: r.version,
      digest: digestRef(r.digest),
      size: r.size,
      published_at: r.publishedAt,
      publisher: r.publisher,
      yanked: r.yanked,
      downloads: downloads ? (downloads.get(r.id) ?? 0) : null,
    })),
    ...(opts.includePermissions ? { viewer_permissions: VIEWER_PERMISSIONS.filter((p) => (p === 'ViewStats' ? stats : canOnPackage(engine, viewer, p, pkg))) } : {}),
  };
}
