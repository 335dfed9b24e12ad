import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { FileStore } from '@tus/file-store';
import { ERRORS, type Server } from '@tus/server';
import type { Engine } from '@/lib/engine/engine';
import { isUploadClaimed, pruneUploadClaims } from '@/lib/engine/registry/upload-claims';
import { UPLOAD_ID_RE } from './upload-metadata';
import { uploadExpiryMs, uploadServer } from './upload-server';

/**
 * Half an upload (bytes without tus's JSON info, or info without bytes: a crash between the two
 * writes or removals) is invisible to the listing below; remove it once it is past the expiry.
 */
async function sweepOrphans(dir: string, cutoff: number): Promise<number> {
  const names = new Set(await readdir(dir));
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

/**
 * Remove the uploads of one tus server created more than its expiry before `now`, finished or
 * not, except those `keep` names (being published). Returns how many went.
 */
export async function expireUploadsOf(server: Server, now: number, keep: (id: string) => boolean = () => false): Promise<number> {
  const store = server.datastore as FileStore;
  await mkdir(store.directory, { recursive: true });
  const cutoff = now - store.getExpiration();
  let removed = await sweepOrphans(store.directory, cutoff);
  for (const id of await store.configstore.list!()) {
    const created = Date.parse((await store.configstore.get(id))?.creation_date ?? '');
    if (!(created < cutoff) || keep(id)) continue;
    try {
      await store.remove(id);
      removed++;
    } catch (err) {
      if (err !== ERRORS.FILE_NOT_FOUND) throw err; // cancelled meanwhile
    }
  }
  return removed;
}

/**
 * Remove uploads older than TORSH_UPLOAD_EXPIRY_HOURS (counted from creation) that were never
 * published, and the claims of published ones. Run by the hourly housekeeping (lib/server/engine.ts).
 */
export async function expireUploads(engine: Engine): Promise<number> {
  const now = engine.now();
  const removed = await expireUploadsOf(uploadServer(engine), now, (id) => isUploadClaimed(engine, id));
  pruneUploadClaims(engine, now - uploadExpiryMs());
  return removed;
}
