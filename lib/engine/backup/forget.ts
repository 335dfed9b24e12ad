/**
 * Forget (issue 11 §3): which snapshots a policy removes and what that really frees, then removing
 * them. Forget only deletes snapshot files; prune (prune.ts) deletes the chunks nothing references.
 */
import { AppError } from '../errors';
import { referencedChunks } from './chunk-references';
import { ID_RE, snapshotKey } from './repo/layout';
import { listSnapshotIds } from './repo/snapshot-files';
import { selectSnapshots } from './retention';
import type { BackupRepository, ChunkIndex, ForgetPlan, RetentionPolicy, Snapshot } from './types';

/** The plan for these snapshots: freed = chunks only the removed ones reference, stored sizes from the index. */
export function planFromSnapshots(snapshots: Snapshot[], index: ChunkIndex, policy: RetentionPolicy, now: number): ForgetPlan {
  const decisions = selectSnapshots(snapshots, policy, now);
  const removeIds = decisions.filter((d) => !d.keep).map((d) => d.id);
  const remove = new Set(removeIds);
  const kept = referencedChunks(snapshots.filter((s) => !remove.has(s.id)));
  const dropped = referencedChunks(snapshots.filter((s) => remove.has(s.id)));
  let freedChunks = 0;
  let freedBytes = 0;
  for (const id of dropped) {
    if (kept.has(id)) continue;
    const entry = index.get(id);
    if (!entry) continue; // not indexed: prune counts it among the orphans
    freedChunks++;
    freedBytes += entry.stored;
  }
  return { decisions, remove: removeIds, freedChunks, freedBytes };
}

/** Dry run: the decisions and the bytes a prune after this forget frees (shared lock; changes nothing). */
export async function planForget(repo: BackupRepository, policy: RetentionPolicy, now: number): Promise<ForgetPlan> {
  selectSnapshots([], policy, now); // a bad policy fails before the repository is touched
  const lock = await repo.lock('shared', 'forget --dry-run');
  try {
    const [snapshots, index] = await Promise.all([repo.listSnapshots(), repo.loadIndex()]);
    return planFromSnapshots(snapshots, index, policy, now);
  } finally {
    await lock.release();
  }
}

async function deleteSnapshotFiles(repo: BackupRepository, ids: string[]): Promise<void> {
  for (const id of ids) await repo.backend.delete(snapshotKey(id));
  await repo.backend.flush();
}

/**
 * Remove these snapshots (full ids or unique prefixes of ≥ 8 hex), exclusive lock. Every id is
 * resolved before anything is deleted: one unknown id removes nothing (BACKUP_SNAPSHOT_NOT_FOUND).
 * Recovery points named here are removed too: naming one is how it is deleted.
 */
export async function forgetSnapshots(repo: BackupRepository, ids: string[]): Promise<{ removed: string[] }> {
  const lock = await repo.lock('exclusive', 'forget');
  try {
    const all = await listSnapshotIds(repo.backend);
    const removed: string[] = [];
    for (const raw of ids) {
      const p = raw.trim().toLowerCase();
      if (!/^[0-9a-f]{8,64}$/.test(p)) {
        throw new AppError('INVALID_INPUT', `a snapshot id or a prefix of at least 8 hex characters is needed (got "${raw}")`);
      }
      const matches = all.filter((id) => id.startsWith(p));
      if (matches.length === 0) {
        throw new AppError('BACKUP_SNAPSHOT_NOT_FOUND', `no snapshot ${p} in backup repository ${repo.backend.location}`, { snapshot: p });
      }
      if (matches.length > 1) throw new AppError('INVALID_INPUT', `snapshot prefix ${p} is ambiguous (${matches.length} snapshots match)`);
      if (ID_RE.test(matches[0]) && !removed.includes(matches[0])) removed.push(matches[0]);
    }
    await deleteSnapshotFiles(repo, removed);
    return { removed };
  } finally {
    await lock.release();
  }
}

/** Apply a policy under one exclusive lock (scheduled retention, `torsh backup forget` without --dry-run). */
export async function applyRetention(repo: BackupRepository, policy: RetentionPolicy, now: number): Promise<ForgetPlan> {
  selectSnapshots([], policy, now);
  const lock = await repo.lock('exclusive', 'forget');
  try {
    const [snapshots, index] = await Promise.all([repo.listSnapshots(), repo.loadIndex()]);
    const plan = planFromSnapshots(snapshots, index, policy, now);
    await deleteSnapshotFiles(repo, plan.remove);
    return plan;
  } finally {
    await lock.release();
  }
}
