import { resources } from '@/db/schema';
import type { Db } from '@/db';
import type { PackageContents } from '../format';

type Tx = Pick<Db, 'insert'>;

/** The `resources` rows of a version: one per package entry (publish, and a conflict resolved in a node copy's favour). */
export function insertResources(tx: Tx, versionId: number, entries: PackageContents['entries']): void {
  if (entries.length === 0) return;
  tx.insert(resources)
    .values(
      entries.map((e) => ({
        versionId,
        path: e.path,
        name: e.name,
        type: e.type,
        size: e.size,
        compressedSize: e.compressedSize,
        compression: e.compression,
        sha256: e.sha256,
        metadata: e.metadata ? JSON.stringify(e.metadata) : null,
      })),
    )
    .run();
}
