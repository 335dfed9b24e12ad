import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Engine } from '../engine';
import { isTempFileHeld } from '../registry/blob-holds';
import { stagingDir, unlinkUnlessKept } from '../storage/temp-staging';
import { nodeRows, storageFor } from './node-registry';
import type { NodeBackendPublic } from './types';

/** TORSH_REPLICATION_TEMP_GRACE_S, default 600: a temp file untouched this long is a crashed write's leftover. */
export function nodeTempGraceMs(env: Record<string, string | undefined> = process.env): number {
  const s = Number(env.TORSH_REPLICATION_TEMP_GRACE_S);
  return (Number.isFinite(s) && s > 0 ? s : 600) * 1_000;
}

async function sweepDir(dir: string, olderThan: number, keep?: (p: string) => boolean): Promise<number> {
  const names = await readdir(dir).catch(() => [] as string[]);
  let removed = 0;
  for (const name of names) {
    const p = path.join(dir, name);
    const st = await stat(p).catch(() => null);
    if (st?.isFile() && st.mtimeMs < olderThan && unlinkUnlessKept(p, keep && (() => keep(p)))) removed++;
  }
  return removed;
}

/**
 * Remove what writes killed mid-way left behind (a process killed while streaming a replica):
 * temp files of local nodes (blobs and refs) and the origin's staging files for S3 and Azure
 * nodes, once untouched for the grace period (a write in progress touches its file all along;
 * a publish in progress holds its own). Unreachable nodes are skipped.
 */
export async function sweepNodeTemp(engine: Engine, graceMs = nodeTempGraceMs()): Promise<number> {
  const olderThan = engine.now() - graceMs;
  let removed = 0;
  for (const row of nodeRows(engine)) {
    const backend = JSON.parse(row.backend) as NodeBackendPublic;
    if (backend.type !== 'local') continue;
    removed += await storageFor(engine, row)
      .blobs.sweepTemp({ olderThan })
      .catch(() => 0);
    removed += await sweepDir(path.join(backend.path, '.tmp'), olderThan);
  }
  return removed + (await sweepDir(stagingDir(engine.dataDir), olderThan, (p) => isTempFileHeld(engine, p)));
}
