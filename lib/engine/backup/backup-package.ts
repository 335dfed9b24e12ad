import type { Engine } from '../engine';
import { holdBlob } from '../registry/blob-holds';
import { checkCoordinates } from '../registry/check-coordinates';
import { PACKAGE_RECORD_PATH, packageFilePath, readPackageRecord } from './package-record';
import { storeStream } from './store-file';
import { reuse, takeSnapshot, type SnapshotOptions } from './take-snapshot';
import type { BackupRepository, Snapshot } from './types';

/**
 * A snapshot of one name@version: its package bytes (`package/<name>-<version>.torshpkg`,
 * deduplicated against every other snapshot) and `package/version.json`, the rows needed to
 * publish it again (restorePackage).
 */
export async function createPackageSnapshot(repo: BackupRepository, engine: Engine, name: string, version: string, opts: SnapshotOptions): Promise<Snapshot> {
  checkCoordinates(name, version);
  const first = readPackageRecord(engine.db.$client, name, version);
  // Held, then read again: from here a concurrent delete cannot take the blob away.
  const hold = holdBlob(engine);
  hold.digest(first.digest);
  try {
    const record = readPackageRecord(engine.db.$client, name, version);
    const meta = { kind: 'package' as const, source: engine.dataDir, time: engine.now(), package: { name, version } };
    return await takeSnapshot(repo, meta, opts, async ({ ctx, known, expect }) => {
      const path = packageFilePath(name, version);
      let blob = reuse(known, path, record.digest, record.size);
      if (!blob) {
        expect(record.size);
        blob = await storeStream(ctx, path, await engine.blobs.get(record.digest));
      }
      const json = await storeStream(ctx, PACKAGE_RECORD_PATH, [Buffer.from(`${JSON.stringify(record, null, 2)}\n`)]);
      return [blob, json];
    });
  } finally {
    hold.release();
  }
}
