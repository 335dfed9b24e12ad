import Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { AppError } from '../errors';
import { HOLD_TTL_MS } from '../registry/blob-holds';

export type BlobRef = { digest: string; size: number };

export type DbCopy = {
  /** A self-contained SQLite file (rollback journal, no -wal beside it). */
  file: string;
  size: number;
  /** Every blob a version row of the copy references, each held against garbage collection. */
  blobs: BlobRef[];
  /** Remove the copy (once stored); the holds stay. */
  dropFile(): Promise<void>;
  /** Drop the holds and the copy. */
  release(): Promise<void>;
};

/** Copies retaken when versions were deleted between a copy and its holds (each retry needs a new delete). */
const MAX_ATTEMPTS = 5;

const STALE_COPY_MS = 6 * 60 * 60 * 1000;

/**
 * A consistent copy of a live registry database (SQLite's online backup API: the server keeps
 * serving, from this process or another), with every blob it references held against garbage
 * collection (blob_holds rows in the live database) until release().
 *
 * Holds are taken right after the copy, in one transaction with a check that each digest is
 * still referenced by a version row in the live database: a referenced blob is never collected,
 * so from then on every blob of the copy exists. A digest no longer referenced means a version
 * was deleted in between and its blob may be gone already: the copy is taken again (a later
 * state, without that version), so a snapshot is always one real state of the registry with
 * all of its blobs.
 */
export async function copyRegistryDb(dataDir: string, now: () => number, hooks: { afterCopy?: (attempt: number) => Promise<void> } = {}): Promise<DbCopy> {
  const liveFile = path.join(dataDir, 'torsh.db');
  await stat(liveFile).catch(() => {
    throw new AppError('NOT_A_REGISTRY', `no registry database at ${liveFile}`);
  });
  const tmpDir = path.join(dataDir, 'tmp');
  const live = new Database(liveFile, { fileMustExist: true });
  live.pragma('busy_timeout = 10000');
  const holdIds: number[] = [];
  let file: string | null = null;
  const dropHolds = () => {
    if (holdIds.length === 0) return;
    const del = live.prepare('DELETE FROM blob_holds WHERE id = ?');
    live.transaction(() => {
      for (const id of holdIds) del.run(id);
    })();
    holdIds.length = 0;
  };
  const dropFile = async () => {
    if (file) await rm(file, { force: true });
    file = null;
  };
  const release = async () => {
    try {
      dropHolds();
    } finally {
      live.close();
      await dropFile();
    }
  };
  try {
    await mkdir(tmpDir, { recursive: true });
    await sweepStaleCopies(tmpDir, now());
    for (let attempt = 1; ; attempt++) {
      await dropFile();
      file = path.join(tmpDir, `${COPY_PREFIX}${randomBytes(8).toString('hex')}.db`);
      // All pages in one step (one read transaction): stepped copies restart whenever another
      // connection writes, and a serving registry writes every second (metrics, jobs).
      await live.backup(file, { progress: () => 0x7fffffff });
      const blobs = settle(file);
      await hooks.afterCopy?.(attempt);
      dropHolds();
      const gone = holdReferenced(live, blobs, now(), holdIds);
      if (gone === 0 || attempt === MAX_ATTEMPTS) {
        if (gone > 0) throw new AppError('INTERNAL', `versions kept being deleted while the database was copied (${MAX_ATTEMPTS} attempts)`);
        return { file, size: (await stat(file)).size, blobs, dropFile, release };
      }
    }
  } catch (err) {
    await release();
    throw err;
  }
}

const COPY_PREFIX = 'backup-';

/**
 * Copies left by a killed backup. A copy lives only while the database is being stored (the
 * first step of a snapshot), so one this old belongs to no running backup.
 */
async function sweepStaleCopies(tmpDir: string, now: number): Promise<void> {
  for (const name of await readdir(tmpDir)) {
    if (!name.startsWith(COPY_PREFIX) || !/\.db(-journal)?$/.test(name)) continue;
    const st = await stat(path.join(tmpDir, name)).catch(() => null);
    if (st && st.mtimeMs < now - STALE_COPY_MS) await rm(path.join(tmpDir, name), { force: true });
  }
}

/** Make the copy a single self-contained file, check it, and list the blobs its versions reference. */
function settle(file: string): BlobRef[] {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = DELETE');
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new AppError('INTERNAL', `the database copy fails its integrity check: ${String(check)}`);
    return db.prepare('SELECT digest, max(size) AS size FROM versions GROUP BY digest ORDER BY digest').all() as BlobRef[];
  } finally {
    db.close();
  }
}

/** Hold every blob still referenced in the live database; returns how many are not (deleted meanwhile). */
function holdReferenced(live: Database.Database, blobs: BlobRef[], now: number, holdIds: number[]): number {
  const referenced = live.prepare('SELECT 1 FROM versions WHERE digest = ? LIMIT 1').pluck();
  const insert = live.prepare('INSERT INTO blob_holds (digest, created_at, expires_at) VALUES (?, ?, ?)');
  let gone = 0;
  // IMMEDIATE: no delete can commit between the check and the hold.
  live.transaction(() => {
    for (const b of blobs) {
      if (referenced.get(b.digest) === undefined) {
        gone++;
        continue;
      }
      holdIds.push(Number(insert.run(b.digest, now, now + HOLD_TTL_MS).lastInsertRowid));
    }
  }).immediate();
  return gone;
}
