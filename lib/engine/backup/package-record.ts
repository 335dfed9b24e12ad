import type Database from 'better-sqlite3';
import { AppError } from '../errors';

/** `package/version.json` of a package snapshot: what re-creating name@version needs beside its bytes. */
export type PackageRecord = {
  format: 1;
  name: string;
  version: string;
  digest: string;
  size: number;
  package: { description: string | null; visibility: string; tags: string[] };
  row: {
    formatVersion: string;
    manifest: string;
    publishedAt: number;
    publisher: string;
    yanked: boolean;
    yankReason: string | null;
    signature: string | null;
    signatureKeyId: string | null;
    signatureStatus: string | null;
    encrypted: boolean;
  };
  /** Channels pointing at this version when the snapshot was taken. */
  channels: string[];
};

type VersionSql = {
  id: number;
  package_id: number;
  digest: string;
  size: number;
  format_version: string;
  manifest: string;
  published_at: number;
  publisher: string;
  yanked: number;
  yank_reason: string | null;
  signature: string | null;
  signature_key_id: string | null;
  signature_status: string | null;
  encrypted: number;
  description: string | null;
  visibility: string;
};

/** Read name@version from a registry database (the live one or a snapshot's copy): VERSION_NOT_FOUND when absent. */
export function readPackageRecord(db: Database.Database, name: string, version: string): PackageRecord {
  const v = db
    .prepare(
      `SELECT v.*, p.description, p.visibility FROM versions v JOIN packages p ON p.id = v.package_id
        WHERE p.name = ? AND v.version = ?`,
    )
    .get(name, version) as VersionSql | undefined;
  if (!v) throw new AppError('VERSION_NOT_FOUND', `${name}@${version} is not in this registry`);
  const tags = db.prepare('SELECT tag FROM tags WHERE package_id = ? ORDER BY tag').pluck().all(v.package_id) as string[];
  const channels = db.prepare('SELECT name FROM channels WHERE version_id = ? ORDER BY name').pluck().all(v.id) as string[];
  return {
    format: 1,
    name,
    version,
    digest: v.digest,
    size: v.size,
    package: { description: v.description, visibility: v.visibility, tags },
    row: {
      formatVersion: v.format_version,
      manifest: v.manifest,
      publishedAt: v.published_at,
      publisher: v.publisher,
      yanked: v.yanked === 1,
      yankReason: v.yank_reason,
      signature: v.signature,
      signatureKeyId: v.signature_key_id,
      signatureStatus: v.signature_status,
      encrypted: v.encrypted === 1,
    },
    channels,
  };
}

export function packageFilePath(name: string, version: string): string {
  return `package/${name}-${version}.torshpkg`;
}

export const PACKAGE_RECORD_PATH = 'package/version.json';
