import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '@/db';
import { channels, packages, resources, tags, versions } from '@/db/schema';
import { recordChange } from '../registry/record-change';
import { refreshPackageSummary } from '../registry/refresh-package-summary';
import type { ChannelView, PackageView, VersionView } from '../registry/views';
import { removesPackage, type PreparedChange } from './prepare-change';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

const hex = (digest: string) => digest.replace(/^sha256:/, '');

function packageIdOf(tx: Tx, name: string): number | null {
  return tx.select({ id: packages.id }).from(packages).where(eq(packages.name, name)).get()?.id ?? null;
}

type Held = { version: string; digest: string; size: number };

function versionsOf(tx: Tx, packageId: number): Held[] {
  return tx.select({ version: versions.version, digest: versions.digest, size: versions.size }).from(versions).where(eq(versions.packageId, packageId)).all();
}

function removePackage(tx: Tx, name: string): Held[] {
  const id = packageIdOf(tx, name);
  if (id === null) return [];
  const held = versionsOf(tx, id);
  tx.delete(packages).where(eq(packages.id, id)).run(); // versions, resources, channels, tags by cascade
  tx.run(sql`DELETE FROM packages_fts WHERE rowid = ${id}`);
  return held;
}

/** The package row with the upstream's own fields (those refreshPackageSummary does not derive). */
function upsertPackage(tx: Tx, pkg: PackageView, now: number): number {
  const own = {
    homepage: pkg.homepage,
    readme: pkg.readme,
    descriptionEdited: pkg.edited.description,
    tagsEdited: pkg.edited.tags,
    ...(pkg.edited.description ? { description: pkg.description } : {}),
  };
  tx.insert(packages)
    .values({ name: pkg.name, ...own, createdAt: pkg.created_at, updatedAt: now })
    .onConflictDoUpdate({ target: packages.name, set: own })
    .run();
  const id = packageIdOf(tx, pkg.name)!;
  if (pkg.edited.tags) {
    tx.delete(tags).where(eq(tags.packageId, id)).run();
    if (pkg.tags.length > 0) tx.insert(tags).values(pkg.tags.map((tag) => ({ packageId: id, tag }))).run();
  }
  return id;
}

function insertVersion(tx: Tx, packageId: number, v: VersionView): boolean {
  const row = tx
    .insert(versions)
    .values({
      packageId,
      version: v.version,
      digest: hex(v.digest),
      size: v.size,
      formatVersion: v.format_version,
      manifest: JSON.stringify(v.manifest),
      publishedAt: v.published_at,
      publisher: v.publisher,
      yanked: v.yanked,
      yankedAt: v.yanked_at,
      yankReason: v.yank_reason,
      signature: v.signature?.value ?? null,
      signatureKeyId: v.signature?.key_id ?? null,
      signatureStatus: v.signature?.status ?? null,
      signatureSigner: v.signature?.signer ?? null,
      encrypted: v.encrypted,
    })
    .onConflictDoNothing()
    .returning({ id: versions.id })
    .get();
  if (!row) return false;
  if (v.resources.length === 0) return true;
  tx.insert(resources)
    .values(
      v.resources.map((r) => ({
        versionId: row.id,
        path: r.path,
        name: r.name,
        type: r.type,
        size: r.size,
        compressedSize: r.compressed_size,
        compression: r.compression,
        sha256: r.sha256,
        metadata: r.metadata ? JSON.stringify(r.metadata) : null,
      })),
    )
    .run();
  return true;
}

/** The upstream's channels, for the versions this mirror holds (the rest follow with their publish). */
function syncChannels(tx: Tx, packageId: number, list: ChannelView[]): void {
  tx.delete(channels).where(eq(channels.packageId, packageId)).run();
  for (const c of list) {
    const v = tx.select({ id: versions.id }).from(versions).where(and(eq(versions.packageId, packageId), eq(versions.version, c.version))).get();
    if (v) tx.insert(channels).values({ packageId, name: c.name, versionId: v.id, updatedAt: c.updated_at, updatedBy: c.updated_by }).run();
  }
}

/**
 * Apply one prepared change to the mirror's rows (inside the caller's transaction, which also
 * moves the feed position), and note what changed here in the mirror's own change feed, so
 * another mirror can follow this one. Returns the digests whose rows went: their blobs can be
 * deleted once nothing references them.
 */
export function applyChange(tx: Tx, p: PreparedChange, now: number): string[] {
  const { change } = p;
  const note = (kind: typeof change.kind, fields: { version?: string | null; digest?: string | null; size?: number | null; data?: Record<string, unknown> | null } = {}) =>
    recordChange(tx, { kind, name: change.name, version: fields.version ?? null, digest: fields.digest ?? null, size: fields.size ?? null, data: fields.data ?? undefined }, now);
  const deleted = (held: Held[]) => {
    for (const h of held) note('delete', { ...h, data: { visibility: 'public', package_deleted: true } });
    return held.map((h) => h.digest);
  };

  if (removesPackage(change)) {
    const held = removePackage(tx, change.name);
    if (change.kind === 'visibility') {
      if (held.length > 0) note('visibility', { data: change.data });
      return held.map((h) => h.digest);
    }
    return deleted(held);
  }

  if (change.kind === 'delete') {
    const id = packageIdOf(tx, change.name);
    if (id === null || !change.version) return [];
    const row = versionsOf(tx, id).find((v) => v.version === change.version);
    if (!row) return [];
    if (versionsOf(tx, id).length === 1) return deleted(removePackage(tx, change.name));
    tx.delete(versions).where(and(eq(versions.packageId, id), eq(versions.version, change.version))).run();
    refreshPackageSummary(tx, id, change.name, now);
    note('delete', { ...row, data: { visibility: 'public', package_deleted: false } });
    return [row.digest];
  }

  if (!p.pkg) return []; // gone upstream: the change that removed it comes later in the feed
  const creates = change.kind === 'publish' || change.kind === 'visibility';
  let id = packageIdOf(tx, change.name);
  if (id === null && (!creates || p.versions.length === 0)) return [];
  id = upsertPackage(tx, p.pkg, now);
  const added = p.versions.filter((v) => insertVersion(tx, id, v.view));
  const held = (version: string | null) => version !== null && versionsOf(tx, id).some((v) => v.version === version);
  if ((change.kind === 'yank' || change.kind === 'unyank') && held(change.version)) {
    const yanked = change.kind === 'yank';
    const reason = typeof change.data?.reason === 'string' ? change.data.reason : null;
    tx.update(versions)
      .set({ yanked, yankedAt: yanked ? change.created_at : null, yankReason: yanked ? reason : null })
      .where(and(eq(versions.packageId, id), eq(versions.version, change.version!)))
      .run();
    note(change.kind, { version: change.version, data: change.data });
  }
  refreshPackageSummary(tx, id, change.name, now);
  syncChannels(tx, id, p.channels);
  if (change.kind === 'visibility') {
    if (added.length > 0) note('visibility', { data: change.data });
  } else if (change.kind === 'publish') {
    for (const v of added) note('publish', { version: v.view.version, digest: hex(v.view.digest), size: v.view.size });
  } else if (change.kind === 'channel') {
    note('channel', { version: change.version, data: change.data });
  }
  return [];
}
