import { eq, sql } from 'drizzle-orm';
import type { Db } from '@/db';
import { packages, tags, versions } from '@/db/schema';
import { parseTags } from './parse-tags';
import { pickLatest, sortVersionsDesc } from './pick-latest';

type Tx = Pick<Db, 'select' | 'update' | 'delete' | 'insert' | 'run'>;

type ManifestSummary = {
  description?: string;
  author?: string;
  license?: string;
  metadata?: Record<string, string>;
};

/**
 * Recompute what a package shows (latest version, description, author, license, tags) and its
 * full-text row from its versions. Runs inside the transaction of every publish, yank, unyank,
 * delete and edit. A description or tags set through Update win over the manifests.
 */
export function refreshPackageSummary(tx: Tx, packageId: number, name: string, now: number): void {
  const rows = tx
    .select({ version: versions.version, yanked: versions.yanked, manifest: versions.manifest })
    .from(versions)
    .where(eq(versions.packageId, packageId))
    .all();
  const pkg = tx
    .select({ description: packages.description, descriptionEdited: packages.descriptionEdited, tagsEdited: packages.tagsEdited, readme: packages.readme })
    .from(packages)
    .where(eq(packages.id, packageId))
    .get()!;
  const latest = pickLatest(rows);
  // With everything yanked, the newest version still describes the package.
  const shown = rows.find((r) => r.version === latest) ?? sortVersionsDesc(rows)[0];
  const manifest: ManifestSummary = shown ? JSON.parse(shown.manifest) : {};
  const description = pkg.descriptionEdited ? pkg.description : (manifest.description ?? null);

  tx.update(packages)
    .set({
      latestVersion: latest,
      description,
      author: manifest.author ?? null,
      license: manifest.license ?? null,
      updatedAt: now,
    })
    .where(eq(packages.id, packageId))
    .run();

  let tagList: string[];
  if (pkg.tagsEdited) {
    tagList = tx.select({ tag: tags.tag }).from(tags).where(eq(tags.packageId, packageId)).orderBy(tags.id).all().map((t) => t.tag);
  } else {
    tagList = parseTags(manifest.metadata);
    tx.delete(tags).where(eq(tags.packageId, packageId)).run();
    if (tagList.length > 0) tx.insert(tags).values(tagList.map((tag) => ({ packageId, tag }))).run();
  }

  tx.run(sql`DELETE FROM packages_fts WHERE rowid = ${packageId}`);
  tx.run(
    sql`INSERT INTO packages_fts (rowid, name, description, author, tags, readme)
        VALUES (${packageId}, ${name}, ${description ?? ''}, ${manifest.author ?? ''}, ${tagList.join(' ')}, ${pkg.readme ?? ''})`,
  );
}
