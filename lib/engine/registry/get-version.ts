import { downloadTotals } from '../metrics/download-counts';
import { asc, eq, sql } from 'drizzle-orm';
import { resources, type PackageRow, type VersionRow } from '@/db/schema';
import { SYSTEM, type Actor } from '../actor';
import type { Engine } from '../engine';
import { findKey } from '../security/keys';
import { fingerprintOf } from '../security/signing';
import { prepared } from '../prepared';
import { resolveVersionRow } from './find-version';
import { canViewStats } from './stats-access';
import { digestRef, downloadUrl, type VersionView } from './views';

function keyFingerprint(engine: Engine, keyId: string | null): string | null {
  const key = keyId ? findKey(engine, keyId) : undefined;
  return key ? fingerprintOf(key.publicKey) : null;
}

export function toVersionView(engine: Engine, pkg: PackageRow, row: VersionRow, viewer: Actor = SYSTEM): VersionView {
  const res = prepared(engine.db, 'resources-of-version', (db) =>
    db.select().from(resources).where(eq(resources.versionId, sql.placeholder('versionId'))).orderBy(asc(resources.path)).prepare(),
  ).all({ versionId: row.id });
  return {
    name: pkg.name,
    version: row.version,
    digest: digestRef(row.digest),
    size: row.size,
    format_version: row.formatVersion,
    published_at: row.publishedAt,
    publisher: row.publisher,
    yanked: row.yanked,
    yanked_at: row.yankedAt,
    yank_reason: row.yankReason,
    signature: row.signature
      ? {
          key_id: row.signatureKeyId,
          value: row.signature,
          status: row.signatureStatus ?? 'unknown_key',
          signer: row.signatureSigner,
          fingerprint: keyFingerprint(engine, row.signatureKeyId),
        }
      : null,
    downloads: canViewStats(engine, viewer, pkg) ? downloadTotals(engine, [`v:${row.id}`]).get(`v:${row.id}`)!.downloads : null,
    download_url: downloadUrl(pkg.name, row.version),
    encrypted: row.encrypted,
    manifest: JSON.parse(row.manifest),
    resources: res.map((r) => ({
      path: r.path,
      name: r.name,
      type: r.type,
      size: r.size,
      compressed_size: r.compressedSize,
      compression: r.compression,
      sha256: r.sha256,
      metadata: r.metadata ? JSON.parse(r.metadata) : null,
    })),
  };
}

/**
 * `ref`: an exact version, `latest` or a channel name (the view names the version it resolved to).
 * `viewer`: whose rights shape the answer (see getPackage).
 */
export function getVersion(engine: Engine, name: string, ref: string, viewer: Actor = SYSTEM): VersionView {
  const { pkg, row } = resolveVersionRow(engine, name, ref);
  return toVersionView(engine, pkg, row, viewer);
}
