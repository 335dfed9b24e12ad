import { createHmac } from 'node:crypto';
import { AppError } from '../../errors';
import { unpackChunkAsync } from '../chunking/compress';
import type { BackupRepository, ChunkerParams, MasterKey, RepoBackend, RepoConfig } from '../types';
import { loadChunkIndex } from './chunk-index';
import { createChunkWriter } from './chunk-writer';
import { checkConfigMac, configMacMatches, encodeConfig, newConfig, readConfig } from './config-file';
import { unseal } from './sealing';
import { listKeyInfos, newMasterKey, unlockMasterKey, writeKeyFile } from './keys';
import { CONFIG_KEY, chunkKey, keyFileKey } from './layout';
import { acquireLock } from './repo-lock';
import { listSnapshotFiles, readSnapshotFile, resolveSnapshotId, writeSnapshotFile } from './snapshot-files';

type RepoOptions = { now?: () => number };

function makeRepository(backend: RepoBackend, config: RepoConfig, keyId: string, key: MasterKey, opts: RepoOptions): BackupRepository {
  const now = opts.now ?? Date.now;
  const chunkId = (data: Buffer) => createHmac('sha256', key.idKey).update(data).digest('hex');
  const damaged = (id: string, why: string) =>
    new AppError('BACKUP_CHUNK_DAMAGED', `chunk ${id} in backup repository ${backend.location} is damaged: ${why}`, {
      location: backend.location,
      chunkId: id,
    });

  return {
    backend,
    config,
    keyId,
    key,
    chunkId,
    loadIndex: () => loadChunkIndex(backend, key.encKey),
    openChunkWriter: (index) => createChunkWriter({ backend, encKey: key.encKey, idKey: key.idKey }, index),
    async readChunk(id) {
      const objectKey = chunkKey(id);
      const sealed = await backend.get(objectKey);
      if (!sealed) {
        throw new AppError('BACKUP_CHUNK_MISSING', `chunk ${id} is missing from backup repository ${backend.location}`, {
          location: backend.location,
          chunkId: id,
        });
      }
      // AES-GCM and the HMAC run here, decompression on the pool: through WebCrypto (its copies and
      // pool hops) a restore took ~25 % more CPU for the same wall time (bench/RESULTS.md, Backups notes).
      const packed = unseal(key.encKey, objectKey, sealed);
      if (!packed) throw damaged(id, 'it does not decrypt (altered, truncated or stored under another name)');
      let data: Buffer;
      try {
        data = await unpackChunkAsync(packed, config.chunker.maxSize);
      } catch {
        throw damaged(id, 'it does not decompress');
      }
      if (chunkId(data) !== id) throw damaged(id, 'its content does not match its id');
      return data;
    },
    writeSnapshot: (snapshot) => writeSnapshotFile(backend, key.encKey, snapshot),
    listSnapshots: () => listSnapshotFiles(backend, key.encKey),
    async readSnapshot(idOrPrefix) {
      const id = await resolveSnapshotId(backend, idOrPrefix);
      const snap = await readSnapshotFile(backend, key.encKey, id);
      if (!snap) throw new AppError('BACKUP_SNAPSHOT_NOT_FOUND', `snapshot ${id} is gone from backup repository ${backend.location}`, { snapshot: id });
      return snap;
    },
    async deleteSnapshot(id) {
      const full = await resolveSnapshotId(backend, id);
      await backend.delete(`snapshots/${full}`);
      await backend.flush();
    },
    lock: (mode, operation) => acquireLock({ backend, now }, mode, operation),
    async addKey(password, label) {
      const lock = await acquireLock({ backend, now }, 'exclusive', 'key add');
      try {
        return await writeKeyFile(backend, key, password, label ?? null, now());
      } finally {
        await lock.release();
      }
    },
    async removeKey(id) {
      const lock = await acquireLock({ backend, now }, 'exclusive', 'key remove');
      try {
        const keys = await listKeyInfos(backend, keyId);
        if (!keys.some((k) => k.id === id)) throw new AppError('KEY_NOT_FOUND', `no key ${id} in backup repository ${backend.location}`);
        if (id === keyId) throw new AppError('INVALID_INPUT', 'cannot remove the key this repository was opened with');
        if (keys.length <= 1) throw new AppError('INVALID_INPUT', 'cannot remove the last key of a backup repository');
        await backend.delete(keyFileKey(id));
        await backend.flush();
      } finally {
        await lock.release();
      }
    },
    listKeys: () => listKeyInfos(backend, keyId),
  };
}

/** Create a repository (BACKUP_REPO_EXISTS when `config` is already there). */
export async function initRepository(
  backend: RepoBackend,
  password: string,
  opts: { chunker?: ChunkerParams; label?: string; now?: () => number } = {},
): Promise<BackupRepository> {
  const now = opts.now ?? Date.now;
  if (password === '') throw new AppError('INVALID_INPUT', 'a backup repository password cannot be empty');
  if (await backend.stat(CONFIG_KEY)) {
    throw new AppError('BACKUP_REPO_EXISTS', `a backup repository already exists at ${backend.location}`, { location: backend.location });
  }
  const config = newConfig(opts.chunker, now());
  const key = newMasterKey();
  // The key first: a config without a key file would be a repository nobody can open.
  const keyId = await writeKeyFile(backend, key, password, opts.label ?? null, now());
  if (!(await backend.putIfAbsent(CONFIG_KEY, encodeConfig(config, key.idKey)))) {
    await backend.delete(keyFileKey(keyId));
    throw new AppError('BACKUP_REPO_EXISTS', `a backup repository already exists at ${backend.location}`, { location: backend.location });
  }
  await backend.flush();
  return makeRepository(backend, config, keyId, key, { now });
}

/** Open with any of its passwords (BACKUP_REPO_NOT_FOUND, BACKUP_WRONG_PASSWORD, BACKUP_FORMAT_UNSUPPORTED). */
export async function openRepository(backend: RepoBackend, password: string, opts: RepoOptions = {}): Promise<BackupRepository> {
  const file = await readConfig(backend);
  const { keyId, key } = await unlockMasterKey(backend, password, (k) => configMacMatches(file, k.idKey));
  const config = checkConfigMac(backend, file, key.idKey);
  return makeRepository(backend, config, keyId, key, opts);
}
