import type { Readable } from 'node:stream';
import type { VersionRow } from '@/db/schema';
import type { Engine } from '../engine';
import { logger } from '../observability/log';
import type { ByteRange } from '../storage/blob-store';
import { restoreFromReplicas } from './replica-sources';
import { getReplicationConfig } from './replication-config';

// Concurrent downloads of one missing blob share one repair.
const repairs = new Map<string, Promise<string>>();

function repairPrimary(engine: Engine, row: Pick<VersionRow, 'digest' | 'size'>): Promise<string> {
  const key = `${engine.dataDir}\u0000${row.digest}`;
  let p = repairs.get(key);
  if (!p) {
    p = restoreFromReplicas(engine, { digest: row.digest, size: row.size }).finally(() => repairs.delete(key));
    repairs.set(key, p);
  }
  return p;
}

/**
 * The version's bytes from the primary store. With auto_failover on, a primary copy that is
 * missing or unreadable (the store's get throws) is first fetched from the best healthy node
 * holding a present replica into the primary store (digest and size verified: this repairs
 * the primary), then served from there as usual. Off, or when no node can supply it, the
 * primary's error stands.
 */
export async function getWithFailover(
  engine: Engine,
  row: Pick<VersionRow, 'digest' | 'size' | 'version'> & { name?: string },
  range?: ByteRange,
): Promise<Readable> {
  try {
    return await engine.blobs.get(row.digest, range);
  } catch (err) {
    if ((err as { code?: string }).code === 'RANGE_NOT_SATISFIABLE') throw err;
    if (!getReplicationConfig(engine).auto_failover) throw err;
    const what = `${row.name ?? '?'}@${row.version}`;
    let node: string;
    try {
      node = await repairPrimary(engine, row);
    } catch (repairErr) {
      logger.warn({ version: what, digest: row.digest, err: { message: (repairErr as Error).message } }, 'download failover: no replica could repair the primary copy');
      throw err;
    }
    logger.warn({ version: what, digest: row.digest, node, cause: (err as Error).message }, `download failover: ${what} served from node ${node} (primary copy repaired)`);
    return engine.blobs.get(row.digest, range);
  }
}
