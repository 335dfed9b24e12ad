import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createLocalRepoBackend } from '../repo/local-backend';
import { initRepository, openRepository } from '../repo/repository';
import type { BackupRepository } from '../types';

export const TEST_PASSWORD = 'correct horse battery staple';

/** The repository in this folder (the local backend), opened with TEST_PASSWORD. */
export async function openTestRepo(dir: string): Promise<BackupRepository> {
  return openRepository(createLocalRepoBackend(dir), TEST_PASSWORD);
}

/** A new repository in a temp folder (the local backend). */
export async function tempBackupRepo(): Promise<{ repo: BackupRepository; dir: string; cleanup(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'torsh-backup-repo-'));
  const repo = await initRepository(createLocalRepoBackend(dir), TEST_PASSWORD);
  return { repo, dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Every table's rows (as sorted JSON lines), for comparing two registry databases. */
export function dumpTables(file: string, skip: string[] = []): Record<string, unknown[]> {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    const names = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
      .pluck()
      .all() as string[];
    const out: Record<string, unknown[]> = {};
    for (const t of names) {
      if (skip.includes(t)) continue;
      out[t] = (db.prepare(`SELECT * FROM "${t}"`).raw().all() as unknown[][]).map((r) => JSON.stringify(r)).sort();
    }
    return out;
  } finally {
    db.close();
  }
}
