import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Engine } from '../engine';
import { versionPath, type UpstreamClient } from './upstream-client';

export type ScrubResult = { checked: number; bad: number; refetched: number; failed: { digest: string; error: string }[] };

async function hashBlob(engine: Engine, digest: string): Promise<{ digest: string; size: number } | null> {
  let stream;
  try {
    stream = await engine.blobs.get(digest);
  } catch {
    return null; // missing
  }
  const h = createHash('sha256');
  let size = 0;
  for await (const chunk of stream) {
    h.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { digest: h.digest('hex'), size };
}

/**
 * Re-hash every blob the mirror's versions reference; fetch again from the upstream any that
 * is missing or no longer hashes to its name (bit rot, a tampered file), verified as on sync.
 */
export async function scrubBlobs(engine: Engine, upstream: UpstreamClient, opts: { signal?: AbortSignal } = {}): Promise<ScrubResult> {
  const rows = engine.db.all<{ digest: string; size: number; name: string; version: string }>(sql`
    SELECT v.digest, v.size, p.name, v.version
    FROM versions v JOIN packages p ON p.id = v.package_id
    WHERE v.id IN (SELECT min(id) FROM versions GROUP BY digest)`);
  const result: ScrubResult = { checked: 0, bad: 0, refetched: 0, failed: [] };
  for (const r of rows) {
    if (opts.signal?.aborted) break;
    result.checked++;
    const seen = await hashBlob(engine, r.digest);
    if (seen && seen.digest === r.digest && seen.size === r.size) continue;
    result.bad++;
    try {
      const { body } = await upstream.stream(`${versionPath(r.name, r.version)}/download`);
      const staged = await engine.blobs.stage(body, { expectedDigest: r.digest, expectedSize: r.size });
      try {
        await staged.commit();
      } finally {
        await staged.discard();
      }
      result.refetched++;
    } catch (err) {
      result.failed.push({ digest: r.digest, error: err instanceof Error ? err.message : String(err) });
    }
  }
  return result;
}
