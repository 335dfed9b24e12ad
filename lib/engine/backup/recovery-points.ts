import { AppError } from '../errors';
import type { BackupRepository } from './types';

/**
 * The snapshot a recovery point names (the crate's restore_to_recovery_point): the newest snapshot
 * holding that recovery point name. BACKUP_SNAPSHOT_NOT_FOUND listing the names that exist.
 */
export async function findRecoveryPoint(repo: BackupRepository, name: string): Promise<string> {
  const snapshots = await repo.listSnapshots();
  const named = snapshots.filter((s) => s.recoveryPoint?.name === name);
  if (named.length > 0) return named[named.length - 1].id;
  const names = [...new Set(snapshots.flatMap((s) => (s.recoveryPoint ? [s.recoveryPoint.name] : [])))];
  throw new AppError(
    'BACKUP_SNAPSHOT_NOT_FOUND',
    `no recovery point named "${name}"${names.length ? ` (recovery points: ${names.join(', ')})` : ' (the repository has no recovery points)'}`,
  );
}
