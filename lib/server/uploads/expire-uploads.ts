import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FileStore } from '@tus/file-store';
import type { Server } from '@tus/server';
import type { Engine } from '@/lib/engine/engine';
import { UPLOAD_ID_RE } from './upload-metadata';
import { uploadServer } from './upload-server';

/**
 * Half an upload (bytes without tus's JSON info, or info without bytes: a crash between the two
 * writes or removals) is invisible to tus's own cleanup; remove it once it is past the expiry.
 */
async function sweepOrphans(dir: string, expiryMs: number): Promise<number> {
  const names = new Set(await readdir(dir).catch(() => [] as string[]));
  const cutoff = Date.now() - expiryMs;
  let removed = 0;
  for (const name of names) {
    const id = name.endsWith('.json') ? name.slice(0, -5) : name;
    if (!UPLOAD_ID_RE.test(id) || (names.has(id) && names.has(`${id}.json`))) continue;
    const file = path.join(dir, name);
    const st = await stat(file).catch(() => null);
    if (st && st.mtimeMs < cutoff) {
      await rm(file, { force: true });
      removed++;
    }
  }
  return removed;
}

/** Remove the expired uploads of one tus server (its FileStore's directory and expiry). */
export async function expireUploadsOf(server: Server): Promise<number> {
  const store = server.datastore as FileStore;
  await mkdir(store.directory, { recursive: true });
  const orphans = await sweepOrphans(store.directory, store.getExpiration());
  return orphans + (await server.cleanUpExpiredUploads());
}

/**
 * Remove uploads older than TORSH_UPLOAD_EXPIRY_HOURS (counted from creation) that were never
 * published. Run by the hourly housekeeping (lib/server/engine.ts); returns how many went.
 */
export function expireUploads(engine: Engine): Promise<number> {
  return expireUploadsOf(uploadServer(engine));
}
