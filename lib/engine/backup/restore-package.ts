import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { PERMISSIONS } from '../access/permissions';
import type { Actor } from '../actor';
import type { Engine } from '../engine';
import { AppError } from '../errors';
import { setChannel } from '../registry/move-channel';
import { publishVersion } from '../registry/publish-version';
import { setYanked } from '../registry/yank-version';
import { REGISTRY_FILES } from './create-snapshot';
import { PACKAGE_RECORD_PATH, packageFilePath, readPackageRecord, type PackageRecord } from './package-record';
import { readSnapshotFile, restoreFileTo } from './restore-file';
import type { BackupRepository, Snapshot, SnapshotFile } from './types';

function fileOf(snapshot: Snapshot, filePath: string): SnapshotFile {
  const f = snapshot.files.find((x) => x.path === filePath);
  if (!f) throw new AppError('BACKUP_CHUNK_DAMAGED', `snapshot ${snapshot.id.slice(0, 8)} has no ${filePath}`);
  return f;
}

async function readAll(repo: BackupRepository, file: SnapshotFile): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const b of readSnapshotFile(repo, file)) parts.push(b);
  return Buffer.concat(parts);
}

/** name@version's record and bytes in a snapshot: a package snapshot's own, or read from a registry snapshot's database. */
async function locate(
  repo: BackupRepository,
  engine: Engine,
  snapshot: Snapshot,
  coords: { name: string; version: string } | null,
): Promise<{ record: PackageRecord; blob: SnapshotFile }> {
  if (snapshot.kind === 'package') {
    const own = snapshot.package!;
    if (coords && (coords.name !== own.name || coords.version !== own.version)) {
      throw new AppError('VERSION_NOT_FOUND', `snapshot ${snapshot.id.slice(0, 8)} holds ${own.name}@${own.version}, not ${coords.name}@${coords.version}`);
    }
    const record = JSON.parse((await readAll(repo, fileOf(snapshot, PACKAGE_RECORD_PATH))).toString('utf8')) as PackageRecord;
    return { record, blob: fileOf(snapshot, packageFilePath(own.name, own.version)) };
  }
  if (!coords) throw new AppError('INVALID_INPUT', 'name the version to restore from a registry snapshot');
  const tmp = path.join(engine.dataDir, 'tmp', `restore-${randomBytes(8).toString('hex')}.db`);
  try {
    await restoreFileTo(repo, fileOf(snapshot, REGISTRY_FILES.db), tmp, { mode: 0o600 });
    const db = new Database(tmp, { readonly: true, fileMustExist: true });
    let record: PackageRecord;
    try {
      record = readPackageRecord(db, coords.name, coords.version);
    } finally {
      db.close();
    }
    return { record, blob: fileOf(snapshot, REGISTRY_FILES.blob(record.digest)) };
  } finally {
    await rm(tmp, { force: true });
  }
}

/**
 * Publish name@version again from a package snapshot (or from a registry snapshot's database
 * and blob) into the live registry, through the normal publish path: the bytes are validated
 * and hashed as any publish's, every invariant holds, and a version that exists (or is
 * tombstoned) gets the usual conflict. The snapshot's channels that the package no longer has
 * are re-created and a yanked version is yanked again. The restorer is the publisher; a supplied
 * signature is verified again against the keys of today's registry.
 */
export async function restorePackage(
  repo: BackupRepository,
  engine: Engine,
  snapshotIdOrPrefix: string,
  coords: { name: string; version: string } | null,
  actor: { userId: number | null; name: string },
): Promise<{ name: string; version: string }> {
  const lock = await repo.lock('shared', 'restore package');
  try {
    const snapshot = await repo.readSnapshot(snapshotIdOrPrefix);
    const { record, blob } = await locate(repo, engine, snapshot, coords);
    const as: Actor = { kind: actor.userId === null ? 'system' : 'user', name: actor.name, userId: actor.userId, permissions: new Set(PERMISSIONS), scopes: null, isAdmin: true };
    const description = record.row.encrypted ? (JSON.parse(record.row.manifest) as { description?: string }).description : undefined;
    await publishVersion(engine, as, {
      name: record.name,
      version: record.version,
      source: { kind: 'stream', body: Readable.from(readSnapshotFile(repo, blob)), contentLength: blob.size },
      signature: record.row.signature ? { value: record.row.signature, keyId: record.row.signatureKeyId } : undefined,
      encrypted: record.row.encrypted ? { description } : undefined,
    });
    const existing = new Set(
      engine.db.$client
        .prepare('SELECT c.name FROM channels c JOIN packages p ON p.id = c.package_id WHERE p.name = ?')
        .pluck()
        .all(record.name) as string[],
    );
    for (const channel of record.channels) {
      if (!existing.has(channel)) setChannel(engine, as, { name: record.name, channel, version: record.version });
    }
    if (record.row.yanked) setYanked(engine, as, { name: record.name, version: record.version, yanked: true, reason: record.row.yankReason ?? undefined });
    return { name: record.name, version: record.version };
  } finally {
    await lock.release();
  }
}
