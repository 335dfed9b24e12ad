import { eq } from 'drizzle-orm';
import { packages, tags } from '@/db/schema';
import type { Actor } from '../actor';
import type { Engine } from '../engine';
import { findPackageRow } from './find-version';
import { getPackage } from './get-package';
import { ZPackageEdits, type PackageEdits } from './package-edits';
import { refreshPackageSummary } from './refresh-package-summary';
import type { PackageView } from './views';

/** Update: edit a package's description, tags, homepage and README (searchable at once). */
export function updatePackage(engine: Engine, actor: Actor, name: string, edits: PackageEdits): PackageView {
  const input = ZPackageEdits.parse(edits);
  const pkg = findPackageRow(engine, name);
  const now = Date.now();
  engine.db.transaction((tx) => {
    const set: Partial<typeof packages.$inferInsert> = {};
    if (input.description !== undefined) Object.assign(set, { description: input.description, descriptionEdited: input.description !== null });
    if (input.tags !== undefined) set.tagsEdited = input.tags !== null;
    if (input.homepage !== undefined) set.homepage = input.homepage;
    if (input.readme !== undefined) set.readme = input.readme;
    tx.update(packages).set(set).where(eq(packages.id, pkg.id)).run();
    if (input.tags) {
      tx.delete(tags).where(eq(tags.packageId, pkg.id)).run();
      const unique = [...new Set(input.tags)];
      if (unique.length > 0) tx.insert(tags).values(unique.map((tag) => ({ packageId: pkg.id, tag }))).run();
    }
    refreshPackageSummary(tx, pkg.id, pkg.name, now);
  });
  return getPackage(engine, name, actor);
}
