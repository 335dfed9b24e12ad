import { AppError } from '../../errors';
import { packChunk, unpackChunk } from '../chunking/compress';
import type { RepoBackend, Snapshot } from '../types';
import { MAX_METADATA, forEachLimited } from './chunk-index';
import { ID_RE, SNAPSHOTS_PREFIX, listIds, snapshotKey } from './layout';
import { newId } from './keys';
import { seal, unseal } from './sealing';

/** A fresh snapshot id (64 random hex). */
export const newSnapshotId = newId;

export async function writeSnapshotFile(backend: RepoBackend, encKey: Buffer, snapshot: Snapshot): Promise<void> {
  if (!ID_RE.test(snapshot.id)) throw new AppError('INVALID_INPUT', `snapshot id must be 64 hex characters: ${snapshot.id}`);
  const key = snapshotKey(snapshot.id);
  await backend.put(key, seal(encKey, key, packChunk(Buffer.from(JSON.stringify(snapshot)))));
  await backend.flush();
}

export function listSnapshotIds(backend: RepoBackend): Promise<string[]> {
  return listIds(backend, SNAPSHOTS_PREFIX).then((ids) => ids.filter((id) => ID_RE.test(id)));
}

/** One snapshot file; null when absent; BACKUP_CHUNK_DAMAGED naming it when it does not decrypt. */
export async function readSnapshotFile(backend: RepoBackend, encKey: Buffer, id: string): Promise<Snapshot | null> {
  const key = snapshotKey(id);
  const raw = await backend.get(key);
  if (!raw) return null;
  const plain = unseal(encKey, key, raw);
  let snap: Snapshot | null = null;
  if (plain) {
    try {
      snap = JSON.parse(unpackChunk(plain, MAX_METADATA).toString('utf8')) as Snapshot;
    } catch {
      snap = null;
    }
  }
  if (!snap || snap.id !== id) {
    throw new AppError('BACKUP_CHUNK_DAMAGED', `backup repository ${backend.location}: snapshot file ${key} is damaged (it does not decrypt)`, {
      location: backend.location,
      object: key,
      snapshot: id,
    });
  }
  return snap;
}

export async function listSnapshotFiles(backend: RepoBackend, encKey: Buffer): Promise<Snapshot[]> {
  const ids = await listSnapshotIds(backend);
  const out: Snapshot[] = [];
  await forEachLimited(ids, 8, async (id) => {
    const s = await readSnapshotFile(backend, encKey, id);
    if (s) out.push(s);
  });
  return out.sort((a, b) => a.time - b.time || a.id.localeCompare(b.id));
}

/** The full id for an id or a unique prefix of at least 8 hex. */
export async function resolveSnapshotId(backend: RepoBackend, idOrPrefix: string): Promise<string> {
  const p = idOrPrefix.trim().toLowerCase();
  if (!/^[0-9a-f]{8,64}$/.test(p)) {
    throw new AppError('INVALID_INPUT', `a snapshot id or a prefix of at least 8 hex characters is needed (got "${idOrPrefix}")`);
  }
  const matches = (await listSnapshotIds(backend)).filter((id) => id.startsWith(p));
  if (matches.length === 0) {
    throw new AppError('BACKUP_SNAPSHOT_NOT_FOUND', `no snapshot ${p} in backup repository ${backend.location}`, { snapshot: p });
  }
  if (matches.length > 1) {
    throw new AppError('INVALID_INPUT', `snapshot prefix ${p} is ambiguous (${matches.length} snapshots match)`, { snapshot: p });
  }
  return matches[0];
}
