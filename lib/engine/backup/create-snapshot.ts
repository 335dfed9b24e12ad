import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors';
import type { BlobStore } from '../storage/blob-store';
import { copyRegistryDb } from './copy-registry-db';
import { registrySettings } from './registry-settings';
import { storeStream } from './store-file';
import { reuse, takeSnapshot, type SnapshotOptions } from './take-snapshot';
import type { BackupRepository, Snapshot, SnapshotFile } from './types';

export type RegistrySource = {
  dataDir: string;
  blobs: BlobStore;
  now?: () => number;
  /** Where the TORSH_* settings are read from (process.env by default). */
  env?: Record<string, string | undefined>;
};

export const REGISTRY_FILES = {
  db: 'db/torsh.db',
  key: 'keys/registry-ed25519.pem',
  settings: 'config/settings.json',
  blob: (digest: string) => `blobs/${digest}`,
} as const;

/**
 * A snapshot of the whole registry while it keeps serving: a consistent copy of the database
 * (online backup API), every blob that copy references (held against garbage collection
 * meanwhile), the registry key and the non-secret settings. Blobs are content-addressed and
 * immutable, so one already in the repository (same sha256 and size, all its chunks indexed)
 * reuses its chunk list without being read: a backup reads only new blobs and the database.
 */
export async function createRegistrySnapshot(repo: BackupRepository, source: RegistrySource, opts: SnapshotOptions): Promise<Snapshot> {
  const now = source.now ?? Date.now;
  const dataDir = path.resolve(source.dataDir);
  return takeSnapshot(repo, { kind: 'registry', source: dataDir, time: now() }, opts, async ({ ctx, known, expect }) => {
    const copy = await copyRegistryDb(dataDir, now);
    try {
      const keyFile = path.join(dataDir, REGISTRY_FILES.key);
      const key = await readFile(keyFile).catch((err: NodeJS.ErrnoException) => {
        if (err.code === 'ENOENT') return null;
        throw err;
      });
      const settings = Buffer.from(`${JSON.stringify(registrySettings(source.env ?? process.env), null, 2)}\n`);
      const toRead = copy.blobs.filter((b) => !known.has(`${b.digest}:${b.size}`));
      expect(copy.size + (key?.length ?? 0) + settings.length + toRead.reduce((n, b) => n + b.size, 0));
      // The database first: its copy is then removed, while the holds keep the blobs until the end.
      const db = await storeStream(ctx, REGISTRY_FILES.db, createReadStream(copy.file));
      await copy.dropFile();
      const files: SnapshotFile[] = [db];
      for (const b of copy.blobs) {
        ctx.signal?.throwIfAborted();
        const name = REGISTRY_FILES.blob(b.digest);
        const file = reuse(known, name, b.digest, b.size) ?? (await storeStream(ctx, name, await source.blobs.get(b.digest)));
        if (file.sha256 !== b.digest || file.size !== b.size) {
          throw new AppError('DIGEST_MISMATCH', `blob ${b.digest} read back as ${file.size} bytes with sha256 ${file.sha256} (the database says ${b.size} bytes)`);
        }
        files.push(file);
      }
      if (key) files.push(await storeStream(ctx, REGISTRY_FILES.key, [key]));
      files.push(await storeStream(ctx, REGISTRY_FILES.settings, [settings]));
      return files;
    } finally {
      await copy.release();
    }
  });
}
