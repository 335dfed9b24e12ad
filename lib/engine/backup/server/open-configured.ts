import type { BackupRepositoryRow } from '@/db/schema';
import { AppError } from '../../errors';
import { redactSecrets } from '../../replication/probe-node';
import type { NodeBackendSecret } from '../../replication/types';
import { openRepoBackend } from '../repo/open-backend';
import { openRepository } from '../repo/repository';
import type { BackupRepository, RepoBackend, RepoLocation } from '../types';
import { readPassword } from './password-source';
import { rowBackend, rowPasswordSource, rowSecret } from './repository-rows';
import { toRepoLocation } from './repo-location';

/** Repository errors keep their code; anything else (an SDK's, a file system's) becomes BACKUP_REPO_UNAVAILABLE, secrets removed. */
export function asRepoError(err: unknown, where: string, secret: NodeBackendSecret | null): AppError {
  if (err instanceof AppError) return new AppError(err.code, redactSecrets(err.message, secret), err.details);
  const message = err instanceof Error ? err.message || err.name : String(err);
  return new AppError('BACKUP_REPO_UNAVAILABLE', redactSecrets(`${where} cannot be reached: ${message}`, secret));
}

export function openBackendAt(location: RepoLocation, secret: NodeBackendSecret | null, where: string): RepoBackend {
  try {
    return openRepoBackend(location);
  } catch (err) {
    throw asRepoError(err, where, secret);
  }
}

/**
 * Open a configured repository: read its password now (BACKUP_PASSWORD_UNAVAILABLE), open the
 * location with it and check the location still holds the repository that was configured (a
 * bucket emptied and re-initialised is another repository: BACKUP_REPO_UNAVAILABLE).
 */
export async function openConfiguredRepository(row: BackupRepositoryRow, env: Record<string, string | undefined> = process.env): Promise<BackupRepository> {
  const password = await readPassword(rowPasswordSource(row), env);
  const secret = rowSecret(row);
  const where = `backup repository "${row.id}"`;
  const backend = openBackendAt(toRepoLocation(rowBackend(row), secret), secret, where);
  let repo: BackupRepository;
  try {
    repo = await openRepository(backend, password);
  } catch (err) {
    throw asRepoError(err, where, secret);
  }
  if (repo.config.id !== row.repoUid) {
    throw new AppError(
      'BACKUP_REPO_UNAVAILABLE',
      `${where} at ${backend.location} now holds another repository (id ${repo.config.id.slice(0, 8)}…, configured ${row.repoUid.slice(0, 8)}…): remove it and attach the one there if that is intended`,
    );
  }
  return repo;
}
